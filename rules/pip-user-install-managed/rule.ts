import { checkInstall } from '../../src/engine/pip-target.ts';
import { reportRefusal } from '../../src/engine/refusal.ts';
import { defineRule } from '../../src/engine/rule.ts';

export default defineRule({
  id: 'pip-user-install-managed',
  severity: 'error',
  summary: 'pip install --user into an externally managed Python: refused too, --user is not a way out',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    if (ctx.env.managed !== 'yes') return;
    for (const step of ctx.analysis.steps) {
      const check = checkInstall(step, ctx.env);
      if (check?.tool !== 'pip' || !check.hitsSystem || check.override || !isUserInstall(step)) continue;
      reportRefusal(ctx, step, check, {
        refuser: 'pip',
        how: '--user is not a way out: pip refuses user installs into an externally managed Python as well',
        remedy: 'use a venv (without --user), pipx for applications, or set PIP_BREAK_SYSTEM_PACKAGES=1',
      });
    }
  },
});

/** `pip install --user …` or `PIP_USER=1` (pip-behaviour.md S07, I06). */
export function isUserInstall(step: import('../../src/engine/simulate.ts').Step): boolean {
  const a = step.action;
  if (a.kind !== 'pip' || a.args.subcommand !== 'install' || a.args.noUser) return false;
  if (a.args.user) return true;
  const own =
    step.command.assignments.find((x) => x.name === 'PIP_USER')?.value ??
    step.state.env.get('PIP_USER')?.value;
  return own !== undefined && /^(1|true|yes|on)$/i.test(own);
}
