import { pipAbsent, pythonInstalled } from '../../src/engine/pip-presence.ts';
import { checkInstall } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan } from '../../src/engine/simulate.ts';
import { fixesFor } from '../../src/fixes/index.ts';

export default defineRule({
  id: 'pip-not-installed',
  severity: 'error',
  summary: 'pip called on an image whose Python has no pip (debian, ruby, node:*-bookworm …)',
  fixable: 'unsafe',
  since: '0.1.0',
  check(ctx) {
    for (const step of ctx.analysis.steps) {
      const a = step.action;
      if (a.kind !== 'pip' || a.interpreter.dir !== undefined) continue;
      const check = checkInstall(step, ctx.env);
      if (!check?.hitsSystem || !pipAbsent(ctx.env, ctx.analysis, step)) continue;
      const missing =
        a.interpreter.form === 'pip-script'
          ? `${a.interpreter.spelled}: command not found`
          : `No module named pip`;
      const noPython = ctx.env.pythonInImage === false && !pythonInstalled(ctx.analysis);
      const trap =
        ctx.env.managed === 'yes'
          ? ' — and installing python3-pip then runs into PEP 668 ("externally-managed-environment") on this image, so'
          : ' —';
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: 'error',
        message:
          `job ${ctx.job.label} runs ${check.label} on ${ctx.env.description}, which has ${noPython ? 'no python3 and ' : ''}no pip, ` +
          `and the job installs none before this line: "${missing}"${trap} create a venv (apt-get install -y python3-venv && python3 -m venv .venv), which brings its own pip`,
        // the venv fix installs python3-venv (and so python3) and gives pip; an override would not install pip
        fixes: fixesFor(ctx, step, check).filter((f) => f.strategy === 'venv'),
      });
    }
  },
});
