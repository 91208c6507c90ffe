import { caughtFailure } from '../../src/engine/messages.ts';
import { pipAbsent } from '../../src/engine/pip-presence.ts';
import { checkInstall } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan } from '../../src/engine/simulate.ts';
import { bootstrapRemedy, onSystemPython } from '../ensurepip-disabled/rule.ts';

const VENV_INSTEAD =
  'bootstrap into a venv instead (python3 -m venv --without-pip .venv && .venv/bin/python get-pip.py), or keep the pip apt installed';

export default defineRule({
  id: 'get-pip-on-managed-python',
  severity: 'error',
  summary:
    "python3 get-pip.py on an externally managed Python: refused, and with the override it fails (Debian 13) or deletes Debian's pip (Debian 12)",
  fixable: 'none',
  since: '0.1.0',
  check(ctx) {
    if (ctx.env.managed !== 'yes') return;
    const release = ctx.env.knowledge?.release ?? '';
    for (const step of ctx.analysis.steps) {
      const a = step.action;
      if (a.kind !== 'get-pip' || !onSystemPython(step)) continue;
      const check = checkInstall(step, ctx.env);
      if (!check?.hitsSystem) continue;
      const caught = caughtFailure(step);
      const certain = ctx.env.certainty === 'certain';
      const at = `job ${ctx.job.label} runs get-pip.py on ${ctx.env.description}`;
      const report = (severity: 'error' | 'warning', message: string) =>
        ctx.report({ span: commandSpan(step.line, step.command), severity, message });
      if (!check.override) {
        // get-pip.py is pip running `pip install pip` (indirect-pip.md G01, G04)
        report(
          certain && !caught ? 'error' : 'warning',
          `${at}: get-pip.py is pip installing itself, and pip refuses an externally managed Python with "externally-managed-environment"` +
            `${caught ? `; ${caught}` : ''} — ${bootstrapRemedy(ctx.env)}`,
        );
        continue;
      }
      // with the override it gets past PEP 668; what follows depends on whether Debian's pip is there to replace
      if (pipAbsent(ctx.env, ctx.analysis, step) || a.args.ignoreInstalled) continue;
      if (release.startsWith('Debian 13'))
        report(
          caught ? 'warning' : 'error',
          `${at} with ${check.override}: that gets past PEP 668, but get-pip.py then has to uninstall the pip Debian installed, and Debian 13's pip refuses: ` +
            `"error: uninstall-no-record-file … The package was installed by debian" (measured on Debian 13)${caught ? `; ${caught}` : ''} — ${VENV_INSTEAD}`,
        );
      else if (release.startsWith('Debian 12'))
        report(
          'warning',
          `${at} with ${check.override}: it succeeds, but it deletes the files of Debian's python3-pip ` +
            `(558 files missing per dpkg --verify, measured on Debian 12), so dpkg no longer matches what is on disk — ${VENV_INSTEAD}`,
        );
    }
  },
});
