import { remedies } from '../../src/engine/messages.ts';
import { pipAbsent } from '../../src/engine/pip-presence.ts';
import { checkInstall } from '../../src/engine/pip-target.ts';
import { reportRefusal } from '../../src/engine/refusal.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { pipOverrideDroppedBySudo } from '../override-dropped-by-sudo/rule.ts';
import { isUserInstall } from '../pip-user-install-managed/rule.ts';
import { sudoPastEnvironment } from '../sudo-pip-system/rule.ts';

export default defineRule({
  id: 'pip-install-system-python',
  severity: 'error',
  summary: 'pip install/uninstall into an externally managed system Python (PEP 668)',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    if (ctx.env.managed !== 'yes') return;
    for (const step of ctx.analysis.steps) {
      const check = checkInstall(step, ctx.env);
      if (check?.tool !== 'pip' || !check.hitsSystem || check.override) continue;
      // these have rules of their own, with the message that fits
      if (
        step.action.kind === 'get-pip' ||
        isUserInstall(step) ||
        sudoPastEnvironment(step) ||
        pipOverrideDroppedBySudo(ctx, step, check) ||
        pipAbsent(ctx.env, ctx.analysis, step)
      )
        continue;
      const isolated = step.action.kind === 'pip' && step.action.args.isolated;
      reportRefusal(ctx, step, check, { refuser: 'pip', remedy: remedies(isolated) });
    }
  },
});
