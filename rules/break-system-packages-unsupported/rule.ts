import { pipAbsent } from '../../src/engine/pip-presence.ts';
import { checkInstall, pipBoolean } from '../../src/engine/pip-target.ts';
import { defineRule } from '../../src/engine/rule.ts';
import { commandSpan, type Step } from '../../src/engine/simulate.ts';
import type { PythonEnvironment } from '../../src/environment/resolve.ts';
import { deleteWord } from '../../src/fixes/insert.ts';
import { pipKnowsFlag, setBeforeProgram } from '../../src/fixes/override.ts';
import type { Edit } from '../../src/model/finding.ts';

const VARIABLE = 'PIP_BREAK_SYSTEM_PACKAGES';

export default defineRule({
  id: 'break-system-packages-unsupported',
  severity: 'error',
  summary: '--break-system-packages where pip does not accept it (pip < 23.0.1, or before the subcommand)',
  fixable: 'safe',
  since: '0.1.0',
  check(ctx) {
    ctx.analysis.steps.forEach((step, i) => {
      const a = step.action;
      if (a.kind !== 'pip') return;
      const misplaced = a.args.breakFlagMisplaced;
      const tooOld =
        a.args.breakSystemPackages &&
        ctx.env.pip !== undefined &&
        !pipKnowsFlag(ctx.env.pip) &&
        // after `pip install -U pip` the job's pip is no longer the distribution's
        !ctx.analysis.steps.slice(0, i).some((s) => changesSystemPip(s, ctx.env));
      if (!misplaced && !tooOld) return;
      // with no pip at all the line fails before pip reads a flag: pip-not-installed says so
      if (pipAbsent(ctx.env, ctx.analysis, step)) return;
      const check = checkInstall(step, ctx.env);
      // a venv's pip is not the distribution's: only judge the system pip by the image's version
      if (tooOld && !misplaced && !check?.hitsSystem) return;
      const sub = a.args.subcommand;
      const installs = sub === 'install' || sub === 'uninstall';
      const why = !misplaced
        ? `pip ${ctx.env.pip} on ${ctx.env.description} predates it (added in pip 23.0.1)`
        : installs
          ? `it is an option of pip ${sub}, so it must come after "${sub}"; before it, pip reads it as one of its own general options`
          : `only pip install and pip uninstall accept it, not pip ${sub ?? 'without a subcommand'}`;
      const remedy = installs
        ? `use ${VARIABLE}=1 instead, which pips that do not know it ignore`
        : `drop it: pip ${sub ?? ''} never checks the marker`.replace('  ', ' ');
      ctx.report({
        span: commandSpan(step.line, step.command),
        severity: 'error',
        message: `job ${ctx.job.label} passes --break-system-packages, which pip rejects here with "no such option" (exit 2): ${why} — ${remedy}`,
        fixes: flagFixes(step, ctx.source(step.line.path), installs),
      });
    });
  },
});

/** Delete the flag; for install/uninstall, say the same with the variable, which every pip accepts. */
function flagFixes(step: Step, source: string, installs: boolean) {
  const { command, line } = step;
  // every copy of the flag goes: one left behind fails the same way
  const flags = command.argv.filter((w) => w.value === '--break-system-packages');
  if (!line.exact || flags.length === 0) return [];
  const edits: (Edit | null)[] = flags.map((flag) =>
    deleteWord(line, command.toRoot(flag.start), command.toRoot(flag.end - 1) + 1, source),
  );
  if (installs) {
    const own = command.assignments.find((x) => x.name === VARIABLE && !command.droppedBySudo.includes(x));
    // `PIP_BREAK_SYSTEM_PACKAGES=0 pip install --break-system-packages`: which one was meant is not ours to say
    if (own && pipBoolean(own.value) !== true) return [];
    if (!own) edits.push(setBeforeProgram(step, [`${VARIABLE}=1`], source));
  }
  if (edits.some((e) => e === null)) return [];
  return [
    {
      title: installs
        ? `Replace the flag with ${VARIABLE}=1 on the command`
        : 'Remove --break-system-packages (this pip command never checks the marker)',
      strategy: 'override' as const,
      applicability: 'safe' as const,
      edits: edits as Edit[],
    },
  ];
}

/** `pip install -U pip`, `get-pip.py` … into the system Python: its pip is no longer the image's. */
function changesSystemPip(step: Step, env: PythonEnvironment): boolean {
  const a = step.action;
  if (a.kind === 'get-pip') return checkInstall(step, env)?.hitsSystem === true;
  if (a.kind !== 'pip' || a.args.subcommand !== 'install') return false;
  if (!a.args.packages.some((w) => /^pip([<>=!~;[ ]|$)/i.test(w.value))) return false;
  return checkInstall(step, env)?.hitsSystem === true;
}
