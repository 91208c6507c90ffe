import { managedPhrase } from '../../src/engine/messages.ts';
import { checkInstall } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan } from '../../src/engine/simulate.ts';
import { fixesFor } from '../../src/fixes/index.ts';
import { sudoPastEnvironment } from '../sudo-pip-system/rule.ts';

export default defineRule({
  id: 'relies-on-runner-pip-override',
  severity: 'info',
  summary: "pip into the system Python works only because the runner image's /etc/pip.conf overrides PEP 668",
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    if (ctx.env.managed !== 'yes' || !ctx.env.pipConfOverride) return;
    for (const step of ctx.analysis.steps) {
      const check = checkInstall(step, ctx.env);
      if (!check?.hitsSystem || !check.overrideByPlatform) continue;
      // `sudo pip` past a venv or setup-python's Python: sudo-pip-system says what is wrong there
      if (sudoPastEnvironment(step)) continue;
      // the job's own variable set before sudo, which drops it: it has to get past sudo to count
      const pastSudo =
        'use actions/setup-python or a venv, or hand it to pip past sudo (sudo env PIP_BREAK_SYSTEM_PACKAGES=1 …)';
      const remedy = check.overrideLost
        ? `, and ${check.overrideLost} — ${pastSudo}`
        : step.command.sudo
          ? ` — ${pastSudo}`
          : ' — use actions/setup-python or a venv, or set PIP_BREAK_SYSTEM_PACKAGES=1 explicitly';
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: 'info',
        message:
          `job ${ctx.job.label} runs ${check.label} on ${managedPhrase(ctx.env)}: it works today only because ` +
          `${ctx.env.pipConfOverride}; if the image drops that file this line fails with "externally-managed-environment"${remedy}`,
        fixes: fixesFor(ctx, step, check),
      });
    }
  },
});
