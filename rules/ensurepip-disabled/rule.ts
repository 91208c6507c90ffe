import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan, type Step } from '../../src/engine/simulate.ts';
import { isDebianFamily } from '../../src/environment/knowledge.ts';
import type { PythonEnvironment } from '../../src/environment/resolve.ts';

export default defineRule({
  id: 'ensurepip-disabled',
  severity: 'error',
  summary:
    'python3 -m ensurepip on an externally managed system Python: disabled (Debian, Ubuntu) or refused, whatever the override',
  fixable: 'none',
  since: '0.1.0',
  check(ctx) {
    if (ctx.env.managed !== 'yes') return;
    const debian = isDebianFamily(ctx.env.distro);
    for (const step of ctx.analysis.steps) {
      if (step.action.kind !== 'ensurepip' || !onSystemPython(step)) continue;
      const why = debian
        ? 'Debian and Ubuntu ship ensurepip only in python3-venv and disable it for the system Python ' +
          '("No module named ensurepip" without that package, "ensurepip is disabled in Debian/Ubuntu for the system python" with it), ' +
          'and no override changes that'
        : 'ensurepip refuses an externally managed Python with "externally-managed-environment" and has no override (python/cpython#118384)';
      const caught = step.command.after === '||' || step.state.errexitOff;
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: ctx.env.certainty === 'certain' && !caught ? 'error' : 'warning',
        message:
          `job ${ctx.job.label} bootstraps pip into ${ctx.env.description}: ${why}` +
          `${caught ? ' (`||` or `set +e` lets the job go on, without pip)' : ''} — ${bootstrapRemedy(ctx.env)}`,
      });
    }
  },
});

/** `python3 …` through PATH with no environment of its own active, or `/usr/bin/python3`. */
export function onSystemPython(step: Step): boolean {
  const a = step.action;
  if (a.kind !== 'ensurepip' && a.kind !== 'get-pip') return false;
  if (a.interpreter.dir !== undefined && !/^(\/usr)?\/bin$/.test(a.interpreter.dir)) return false;
  return !(step.state.venv || step.state.conda || step.state.pathPython);
}

/** What to do instead of bootstrapping pip into the system Python. */
export function bootstrapRemedy(env: PythonEnvironment): string {
  if (env.venvReady)
    return `this runner's python3 already has pip${env.pip ? ` (${env.pip})` : ''}: drop this line, or create a venv (python3 -m venv .venv), which brings its own pip`;
  if (isDebianFamily(env.distro))
    return (
      'install python3-venv and create a venv (apt-get install -y python3-venv && python3 -m venv .venv), which brings its own pip; ' +
      "apt-get install python3-pip gives the distribution's pip, but it refuses to install into the system Python too"
    );
  if (env.distro === 'alpine')
    return (
      'create a venv (python3 -m venv .venv), which brings its own pip; ' +
      "apk add py3-pip gives the distribution's pip, but it refuses to install into the system Python too"
    );
  return 'create a venv (python3 -m venv .venv), which brings its own pip';
}
