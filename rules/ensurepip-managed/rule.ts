import { checkInstall } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan } from '../../src/engine/simulate.ts';

const DEBIAN_FAMILY = new Set(['debian', 'ubuntu', 'kali']);

export default defineRule({
  id: 'ensurepip-managed',
  severity: 'error',
  summary: 'python3 -m ensurepip or get-pip.py on an externally managed Python',
  fixable: 'none',
  since: '0.1.0',
  check(ctx) {
    if (ctx.env.managed !== 'yes') return;
    for (const step of ctx.analysis.steps) {
      const a = step.action;
      if (a.kind !== 'ensurepip' && a.kind !== 'get-pip') continue;
      if (a.interpreter.dir !== undefined && !/^(\/usr)?\/bin$/.test(a.interpreter.dir)) continue;
      if (step.state.venv || step.state.conda || step.state.pathPython) continue;
      let why: string;
      if (a.kind === 'ensurepip') {
        why = DEBIAN_FAMILY.has(ctx.env.distro ?? '')
          ? 'Debian and Ubuntu disable ensurepip for the system Python ("ensurepip is disabled in Debian/Ubuntu for the system python"), and no override changes that'
          : 'ensurepip refuses an externally managed Python and has no override (python/cpython#118384)';
      } else {
        const check = checkInstall(step, ctx.env);
        if (!check?.hitsSystem || check.override) continue;
        why = 'get-pip.py is pip installing itself, and pip refuses an externally managed Python';
      }
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: ctx.env.certainty === 'certain' ? 'error' : 'warning',
        message:
          `job ${ctx.job.label} bootstraps pip into ${ctx.env.description}: ${why} — install the distribution's pip ` +
          '(apt-get install python3-pip, apk add py3-pip) and use a venv, or create the venv with `python3 -m venv` (it brings its own pip)',
      });
    }
  },
});
