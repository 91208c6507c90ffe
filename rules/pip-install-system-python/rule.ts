import {
  declareHint,
  imageRelated,
  managedPhrase,
  overrideLostNote,
  pipAbsenceNote,
  REMEDIES,
} from '../../src/engine/messages.ts';
import { checkInstall } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan } from '../../src/engine/simulate.ts';
import { fixesFor } from '../../src/fixes/index.ts';

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
      const verb = ctx.env.certainty === 'certain' ? 'will' : 'will likely';
      const message =
        `job ${ctx.job.label} runs ${check.label} on ${managedPhrase(ctx.env)}${pipAbsenceNote(ctx.env, ctx.analysis)}: ` +
        `pip ${verb} refuse with "externally-managed-environment" (${check.why}${overrideLostNote(check)}) — ${REMEDIES}`;
      const hint = declareHint(ctx.env);
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: ctx.env.certainty === 'certain' ? 'error' : 'warning',
        message,
        ...(hint ? { hint } : {}),
        fixes: fixesFor(ctx, step, check),
        related: imageRelated(ctx.env),
      });
    }
  },
});
