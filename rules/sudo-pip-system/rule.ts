import { pipAbsent } from '../../src/engine/pip-presence.ts';
import { checkInstall } from '../../src/engine/pip-target.ts';
import { reportRefusal } from '../../src/engine/refusal.ts';
import { defineRule, type RuleContext } from '../../src/engine/rule.ts';
import { commandSpan, type Step } from '../../src/engine/simulate.ts';

export default defineRule({
  id: 'sudo-pip-system',
  severity: 'error',
  summary: 'sudo pip after activating a venv or setup-python: sudo resets PATH and reaches the system Python',
  fixable: 'none',
  since: '0.1.0',
  check(ctx) {
    // secure_path is the Linux distributions' sudoers default; macOS's sudo is not known to set one
    // (actions/setup-python#1292 shows it using the caller's PATH), and Windows is no sudo country: not judged
    const os = ctx.env.runner?.os;
    if (os === 'macos' || os === 'windows' || ctx.env.distro === 'homebrew') return;
    for (const step of ctx.analysis.steps) {
      const past = sudoPastEnvironment(step);
      if (!past) continue;
      const check = checkInstall(step, ctx.env);
      if (!check?.hitsSystem) continue;
      const noSudo = noSudoNote(ctx);
      const a = step.action;
      if (a.kind === 'pip' && pipAbsent(ctx.env, ctx.analysis, step)) {
        // the system Python has no pip at all (debian:bookworm with python3-venv only …): pip-not-installed
        // leaves `sudo pip` past a venv to this rule
        const missing =
          a.interpreter.form === 'pip-script'
            ? `${a.interpreter.spelled}: command not found`
            : 'No module named pip';
        ctx.report({
          span: commandSpan(step.line, step.command),
          severity: ctx.env.certainty === 'certain' ? 'error' : 'warning',
          message:
            `job ${ctx.job.label} runs sudo ${check.label} after ${past}: sudo replaces PATH with its secure_path, so this looks for ` +
            `the system's pip, and ${ctx.env.description} has none: "${missing}" — drop sudo (${past} needs no root), or call its pip by path${noSudo}`,
        });
      } else if (ctx.env.managed === 'yes' && !check.override) {
        // the shared override fix would make the wrong Python's install succeed: no fix here
        const report: RuleContext['report'] = (input) => ctx.report({ ...input, fixes: [] });
        reportRefusal(
          { ...ctx, report },
          step,
          { ...check, label: `sudo ${check.label}` },
          {
            refuser: 'pip',
            how: `this is the system's pip, not the one of ${past}`,
            remedy: `drop sudo (${past} needs no root), or call its pip by path${noSudo}`,
          },
        );
      } else if (ctx.env.managed !== 'unknown') {
        ctx.report({
          span: commandSpan(step.line, step.command),
          severity: 'warning',
          message:
            `job ${ctx.job.label} runs sudo ${check.label} after ${past}: sudo replaces PATH with its secure_path, so the packages go ` +
            `into the system Python, not into ${past} — drop sudo, or call its pip by path${noSudo}`,
        });
      }
    }
  },
});

/**
 * In a container image sudo is usually not even there, unless the job installs it: measured in
 * debian:bookworm (pip-behaviour.md U01); the distributions' own images ship none.
 */
function noSudoNote(ctx: RuleContext): string {
  const known = ctx.env.knowledge;
  if (ctx.env.runner || !known) return '';
  if (ctx.analysis.installs.some((i) => i.packages.some((p) => /^sudo(=.*)?$/.test(p)))) return '';
  return known.repos.includes('debian') || known.repos.includes('ubuntu')
    ? `; ${ctx.env.image} has no sudo unless the job installs it, so the line fails first with "sudo: command not found"`
    : `; container images rarely ship sudo: unless ${ctx.env.image} does, the line fails first with "sudo: command not found"`;
}

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
