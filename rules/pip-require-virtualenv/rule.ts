import { venvRequiredOutsideVenv } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan } from '../../src/engine/simulate.ts';

export default defineRule({
  id: 'pip-require-virtualenv',
  severity: 'error',
  summary:
    'pip told to require a virtualenv (PIP_REQUIRE_VIRTUALENV, --require-virtualenv) runs outside one: it stops on any image',
  fixable: 'none',
  since: '0.1.0',
  check(ctx) {
    for (const step of ctx.analysis.steps) {
      const source = venvRequiredOutsideVenv(step);
      if (source === null || step.action.kind !== 'pip') continue;
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: 'error',
        message:
          `job ${ctx.job.label} runs pip ${step.action.args.subcommand} outside a virtual environment with ${source}: ` +
          'pip stops with "ERROR: Could not find an activated virtualenv (required)." on any image, and no ' +
          'PEP 668 override changes that — create and activate a venv first, or drop the requirement',
      });
    }
  },
});
