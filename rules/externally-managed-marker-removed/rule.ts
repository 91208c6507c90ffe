import { removedMarker } from '../../src/engine/marker.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan } from '../../src/engine/simulate.ts';
import { cutInMiddle, oneLine } from '../../src/model/quote.ts';

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
      // a search (`find / -name EXTERNALLY-MANAGED -delete`) is shown as written, not as the paths it stands for
      const searched = step.command.found !== undefined || program === 'find';
      const runs = searched
        ? `runs ${cutInMiddle(oneLine(step.line.text.slice(step.command.start, step.command.end).trim()), 80, 50, 25)}, which removes the EXTERNALLY-MANAGED markers it finds`
        : `runs ${program} on ${removed.path}`;
      const python = ctx.env.python;
      if (removed.version && python && removed.version !== python) {
        ctx.report({
          span: commandSpan(step.line, step.command),
          severity: 'warning',
          message:
            `job ${ctx.job.label} ${runs}, but the Python of ${ctx.env.description} is ${python}: ` +
            'that is not its marker, so pip still refuses there — say PIP_BREAK_SYSTEM_PACKAGES=1 on the commands that need it, or use a venv',
        });
        continue;
      }
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: 'warning',
        message:
          `job ${ctx.job.label} ${runs}: without the marker pip stops checking, so every ` +
          "later pip install or uninstall in this job may change the distribution's own Python packages without a word" +
          (removed.literal
            ? `, and the line stops working when the image moves to a Python other than ${removed.version ?? 'the one it names'}`
            : '') +
          ' — say it explicitly with PIP_BREAK_SYSTEM_PACKAGES=1 on the commands that need it, or use a venv',
      });
    }
  },
});
