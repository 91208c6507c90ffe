import { checkInstall } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan } from '../../src/engine/simulate.ts';
import { isDebianFamily } from '../../src/environment/knowledge.ts';

export default defineRule({
  id: 'ensurepip-managed',
  severity: 'error',
  summary: 'python3 -m ensurepip or get-pip.py on an externally managed Python',
  fixable: 'none',
  since: '0.1.0',
  check(ctx) {
    if (ctx.env.managed !== 'yes') return;
    const debian = isDebianFamily(ctx.env.distro);
    for (const step of ctx.analysis.steps) {
      const a = step.action;
      if (a.kind !== 'ensurepip' && a.kind !== 'get-pip') continue;
      if (a.interpreter.dir !== undefined && !/^(\/usr)?\/bin$/.test(a.interpreter.dir)) continue;
      if (step.state.venv || step.state.conda || step.state.pathPython) continue;
      let why: string;
      if (a.kind === 'ensurepip') {
        why = debian
          ? 'Debian and Ubuntu ship ensurepip only in python3-venv and disable it for the system Python ' +
            '("No module named ensurepip" without that package, "ensurepip is disabled in Debian/Ubuntu for the system python" with it), ' +
            'and no override changes that'
          : 'ensurepip refuses an externally managed Python with "externally-managed-environment" and has no override (python/cpython#118384)';
      } else {
        const check = checkInstall(step, ctx.env);
        if (!check?.hitsSystem || check.override) continue;
        why =
          'get-pip.py is pip installing itself, and pip refuses an externally managed Python with "externally-managed-environment"';
      }
      const remedy = ctx.env.venvReady
        ? `this runner's python3 already has pip${ctx.env.pip ? ` (${ctx.env.pip})` : ''}: drop this line, or create a venv (python3 -m venv .venv), which brings its own pip`
        : debian
          ? 'install python3-venv and create a venv (apt-get install -y python3-venv && python3 -m venv .venv), which brings its own pip; ' +
            "apt-get install python3-pip gives the distribution's pip, but it refuses to install into the system Python too"
          : ctx.env.distro === 'alpine'
            ? 'create a venv (python3 -m venv .venv), which brings its own pip; ' +
              "apk add py3-pip gives the distribution's pip, but it refuses to install into the system Python too"
            : 'create a venv (python3 -m venv .venv), which brings its own pip';
      const caught = step.command.after === '||' || step.state.errexitOff;
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: ctx.env.certainty === 'certain' && !caught ? 'error' : 'warning',
        message:
          `job ${ctx.job.label} bootstraps pip into ${ctx.env.description}: ${why}` +
          `${caught ? ' (`||` or `set +e` lets the job go on, without pip)' : ''} — ${remedy}`,
      });
    }
  },
});
