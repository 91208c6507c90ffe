import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan } from '../../src/engine/simulate.ts';

export default defineRule({
  id: 'externally-managed-marker-removed',
  severity: 'warning',
  summary:
    "rm/mv of the EXTERNALLY-MANAGED marker: works, but silently gives up the distribution's protection",
  fixable: 'none',
  since: '0.1.0',
  check(ctx) {
    for (const step of ctx.analysis.steps) {
      if (step.action.kind !== 'marker-removed') continue;
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: 'warning',
        message:
          `job ${ctx.job.label} deletes ${step.action.path}: every later pip, in every later step, may now overwrite ` +
          "the distribution's own Python packages without a word, and the job breaks again when the path changes " +
          '(python3.12, 3.13 …) — say it explicitly with PIP_BREAK_SYSTEM_PACKAGES=1 on the commands that need it, or use a venv',
      });
    }
  },
});
