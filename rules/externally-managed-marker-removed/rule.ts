import { removedMarker } from '../../src/engine/marker.ts';
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
      const program = step.command.argv[0]!.value.replace(/^.*\//, '');
      const removed = removedMarker(step.command, step.line.text);
      if (!removed) continue;
      const python = ctx.env.python;
      if (removed.version && python && removed.version !== python) {
        ctx.report({
          span: commandSpan(step.line, step.command),
          severity: 'warning',
          message:
            `job ${ctx.job.label} runs ${program} on ${removed.path}, but the Python of ${ctx.env.description} is ${python}: ` +
            'that is not its marker, so pip still refuses there — say PIP_BREAK_SYSTEM_PACKAGES=1 on the commands that need it, or use a venv',
        });
        continue;
      }
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: 'warning',
        message:
          `job ${ctx.job.label} runs ${program} on ${removed.path}: without the marker pip stops checking, so every ` +
          "later pip install or uninstall in this job may change the distribution's own Python packages without a word" +
          (removed.literal
            ? ', and the line stops working when the image moves to another Python (python3.12, 3.13 …)'
            : '') +
          ' — say it explicitly with PIP_BREAK_SYSTEM_PACKAGES=1 on the commands that need it, or use a venv',
      });
    }
  },
});
