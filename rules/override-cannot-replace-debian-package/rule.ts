import {
  debianDistributionsReplaced,
  refusesReplacingDebianPackages,
} from '../../src/engine/debian-replace.ts';
import { caughtFailure } from '../../src/engine/messages.ts';
import { checkInstall } from '../../src/engine/pip-target.ts';
import { defineRule, type RuleContext } from '../../src/engine/rule.ts';
import { commandSpan, type Step } from '../../src/engine/simulate.ts';
import { ignoreInstalledEdits } from '../../src/fixes/override.ts';
import type { Fix } from '../../src/model/finding.ts';

const EVIDENCE = 'measured on Debian 13';

export default defineRule({
  id: 'override-cannot-replace-debian-package',
  severity: 'error',
  summary:
    'with the override set, pip upgrades or reinstalls a distribution apt installed: Debian 13 refuses to uninstall it (uninstall-no-record-file)',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    if (ctx.env.managed !== 'yes' || !refusesReplacingDebianPackages(ctx.env)) return;
    for (const step of ctx.analysis.steps) {
      const check = checkInstall(step, ctx.env);
      if (!check?.hitsSystem || !check.override) continue;
      const caught = caughtFailure(step);
      const at = `job ${ctx.job.label} runs ${check.label} on ${ctx.env.description} with ${check.override}`;
      const span = commandSpan(step.line, step.command);
      if (step.action.kind === 'pip-sync') {
        ctx.report({
          span,
          severity: caught ? 'warning' : 'error',
          message:
            `${at}: that gets past PEP 668, but pip-sync then uninstalls every distribution not in the requirements, including all that apt installed, ` +
            `and Debian 13's pip refuses: "error: uninstall-no-record-file … The package was installed by debian" (${EVIDENCE})` +
            `${caught ? `; ${caught}` : ''} — run pip-sync in a venv (python3 -m venv .venv && .venv/bin/pip-sync …)`,
        });
        continue;
      }
      const replaced = debianDistributionsReplaced(step, ctx.analysis);
      if (!replaced) continue;
      const upgradesPip = replaced.refused.includes('pip');
      const remedy = `add --ignore-installed (pip then installs beside apt's copy, in /usr/local)${upgradesPip ? ', drop the self-upgrade of pip' : ''}, or use a venv`;
      const fix = ignoreInstalledFix(ctx, step);
      if (replaced.refused.length > 0)
        ctx.report({
          span,
          severity: caught ? 'warning' : 'error',
          message:
            `${at}: that gets past PEP 668, but pip must first uninstall ${replaced.refused.join(', ')}, which apt installed, and Debian 13's pip refuses: ` +
            `"error: uninstall-no-record-file … The package was installed by debian" (${EVIDENCE})${caught ? `; ${caught}` : ''} — ${remedy}`,
          fixes: fix ? [fix] : [],
        });
      else
        ctx.report({
          span,
          severity: 'warning',
          message:
            `${at}: it passes, but pip uninstalls ${replaced.deleted.join(', ')} by deleting files dpkg owns (an .egg-info from apt; N07), ` +
            `so apt's package is broken from then on — ${remedy}`,
          fixes: fix ? [fix] : [],
        });
    }
  },
});

function ignoreInstalledFix(ctx: RuleContext, step: Step): Fix | null {
  if (!step.line.exact) return null;
  const edits = ignoreInstalledEdits(step, ctx.env, ctx.analysis, ctx.source(step.line.path));
  if (!edits || edits.length === 0) return null;
  return {
    title: 'Add --ignore-installed (leave the copy apt installed alone)',
    strategy: 'override',
    applicability: 'safe',
    edits,
  };
}
