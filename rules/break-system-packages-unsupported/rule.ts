import { checkInstall } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan } from '../../src/engine/simulate.ts';
import { deleteWord, insertBefore } from '../../src/fixes/insert.ts';
import { pipKnowsFlag } from '../../src/fixes/override.ts';

export default defineRule({
  id: 'break-system-packages-unsupported',
  severity: 'error',
  summary: '--break-system-packages where pip does not accept it (pip < 23.0.1, or before the subcommand)',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    for (const step of ctx.analysis.steps) {
      const a = step.action;
      if (a.kind !== 'pip') continue;
      const misplaced = a.args.breakFlagMisplaced;
      const tooOld = a.args.breakSystemPackages && ctx.env.pip !== undefined && !pipKnowsFlag(ctx.env.pip);
      if (!misplaced && !tooOld) continue;
      const check = checkInstall(step, ctx.env);
      // a venv's pip is not the distribution's: only judge the system pip by the image's version
      if (tooOld && !misplaced && !check?.hitsSystem) continue;
      const why = misplaced
        ? `it is an option of pip install/uninstall only, not of pip itself or pip ${a.args.subcommand ?? ''}`.trimEnd()
        : `pip ${ctx.env.pip} on ${ctx.env.description} predates it (added in pip 23.0.1)`;
      const flag = step.command.argv.find((w) => w.value === '--break-system-packages');
      const source = ctx.source(step.line.path);
      const edits = flag
        ? [
            deleteWord(
              step.line,
              step.command.toRoot(flag.start),
              step.command.toRoot(flag.end - 1) + 1,
              source,
            ),
            insertBefore(step.line, step.command.envInsertAt, 'PIP_BREAK_SYSTEM_PACKAGES=1 ', source),
          ]
        : [];
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: 'error',
        message:
          `job ${ctx.job.label} passes --break-system-packages, which pip rejects here with "no such option" (exit 2): ${why} — ` +
          'use PIP_BREAK_SYSTEM_PACKAGES=1 instead, which pips that do not know it ignore',
        fixes:
          step.line.exact && edits.length > 0 && edits.every((e) => e !== null)
            ? [
                {
                  title: 'Replace the flag with PIP_BREAK_SYSTEM_PACKAGES=1 on the command',
                  strategy: 'override',
                  applicability: 'safe',
                  edits: edits as NonNullable<(typeof edits)[number]>[],
                },
              ]
            : [],
      });
    }
  },
});
