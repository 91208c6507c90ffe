import { checkInstall } from '../../src/engine/pip-target.ts';
import { reportRefusal } from '../../src/engine/refusal.ts';
import { defineRule, type RuleContext } from '../../src/engine/rule.ts';
import type { Step } from '../../src/engine/simulate.ts';
import { pipOverrideDroppedBySudo } from '../override-dropped-by-sudo/rule.ts';
import { sudoPastEnvironment } from '../sudo-pip-system/rule.ts';

export default defineRule({
  id: 'pip-user-install-managed',
  severity: 'error',
  summary: 'pip install --user into an externally managed Python: refused too, --user is not a way out',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    if (ctx.env.managed !== 'yes') return;
    // PIP_USER=1 makes pip fail inside a venv (pip-behaviour.md V07): a venv made for this shell would
    // break every pip install of the job that still sees it, so no venv fix is offered then
    const pipUserInJob = ctx.analysis.steps.some((s) => userInstallSource(s)?.startsWith('PIP_USER'));
    for (const step of ctx.analysis.steps) {
      const check = checkInstall(step, ctx.env);
      const source = userInstallSource(step);
      if (check?.tool !== 'pip' || !check.hitsSystem || check.override || !source) continue;
      // `sudo pip install --user` after a venv or setup-python: sudo is the cause, sudo-pip-system says so
      if (sudoPastEnvironment(step) || pipOverrideDroppedBySudo(ctx, step, check)) continue;
      const report: RuleContext['report'] = (input) =>
        ctx.report({
          ...input,
          fixes: (input.fixes ?? []).filter((f) => !pipUserInJob || f.strategy === 'override'),
        });
      reportRefusal({ ...ctx, report }, step, check, {
        refuser: 'pip',
        how:
          source === '--user'
            ? '--user is not a way out (pip checks user installs too)'
            : `${source} makes this a --user install, which is not a way out (pip checks user installs too)`,
        remedy: pipUserInJob
          ? 'set PIP_BREAK_SYSTEM_PACKAGES=1, or drop PIP_USER and use a venv (pip refuses --user inside a venv)'
          : 'use a venv (without --user), pipx for applications, or set PIP_BREAK_SYSTEM_PACKAGES=1',
      });
    }
  },
});

/** `pip install --user …` or `PIP_USER=1` (pip-behaviour.md S07, I06). */
export function isUserInstall(step: Step): boolean {
  return userInstallSource(step) !== undefined;
}

/**
 * What makes this a user install, for messages: `--user`, or `PIP_USER=1` as pip sees it — a prefix of
 * the command or an exported variable, unless sudo drops it (U03/U04 show sudo's env_reset) or
 * `--isolated` ignores it (S26).
 */
export function userInstallSource(step: Step): string | undefined {
  const a = step.action;
  if (a.kind !== 'pip' || a.args.subcommand !== 'install' || a.args.noUser) return undefined;
  if (a.args.user) return '--user';
  if (a.args.isolated) return undefined;
  const { command, state } = step;
  const truthy = (v: string) => /^(1|true|yes|on)$/i.test(v.trim());
  const own = [...command.assignments].reverse().find((x) => x.name === 'PIP_USER');
  if (own && !command.droppedBySudo.includes(own))
    return truthy(own.value) ? `PIP_USER=${own.value} on the command` : undefined;
  const sudo = command.sudo;
  if (sudo && !sudo.preserveAll && !sudo.preserve.includes('PIP_USER')) return undefined;
  const exported = state.env.get('PIP_USER');
  if (!exported || !truthy(exported.value)) return undefined;
  return `PIP_USER=${exported.value} (${exported.origin})`;
}
