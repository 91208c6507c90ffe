import { REMEDIES } from '../../src/engine/messages.ts';
import { checkInstall } from '../../src/engine/pip-target.ts';
import { reportRefusal } from '../../src/engine/refusal.ts';
import { defineRule } from '../../src/engine/rule.ts';

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
      reportRefusal(ctx, step, check, { refuser: 'pip', remedy: REMEDIES });
    }
  },
});
