import { checkInstall } from '../../src/engine/pip-target.ts';
import { reportRefusal } from '../../src/engine/refusal.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan, type Step } from '../../src/engine/simulate.ts';

export default defineRule({
  id: 'sudo-pip-system',
  severity: 'error',
  summary: 'sudo pip after activating a venv or setup-python: sudo resets PATH and reaches the system Python',
  fixable: 'none',
  since: '0.1.0',
  check(ctx) {
    for (const step of ctx.analysis.steps) {
      const past = sudoPastEnvironment(step);
      if (!past) continue;
      const check = checkInstall(step, ctx.env);
      if (!check?.hitsSystem) continue;
      if (ctx.env.managed === 'yes' && !check.override) {
        reportRefusal(ctx, step, check, {
          refuser: 'pip',
          how: `sudo resets PATH (secure_path), so this pip is the system's, not the one of ${past}`,
          remedy: `drop sudo (${past} is yours to write), or call its pip by path`,
        });
      } else if (ctx.env.managed !== 'unknown') {
        ctx.report({
          span: commandSpan(step.line, step.command),
          severity: 'warning',
          message:
            `job ${ctx.job.label} runs sudo ${check.label} after ${past}: sudo resets PATH (secure_path), so the packages go ` +
            `into the system Python, not into ${past} — drop sudo, or call its pip by path`,
        });
      }
    }
  },
});

/** The environment a `sudo pip` leaves behind: an active venv, conda env or setup-python's Python. */
export function sudoPastEnvironment(step: Step): string | undefined {
  const a = step.action;
  if (!step.command.sudo) return undefined; // even with -E: secure_path replaces PATH
  if (a.kind !== 'pip' || a.interpreter.dir !== undefined || a.args.python !== undefined) return undefined;
  if (step.state.venv) return `the venv ${step.state.venv.dir}`;
  if (step.state.conda) return 'the conda environment';
  if (step.state.pathPython?.known) return `${step.state.pathPython.by}'s Python`;
  return undefined;
}
