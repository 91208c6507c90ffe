/**
 * The explicit override: `PIP_BREAK_SYSTEM_PACKAGES=1` (or uv's `UV_BREAK_SYSTEM_PACKAGES=1`) as a
 * prefix of the one command that needs it — the narrowest scope there is. The variable reaches
 * pip when another tool (flit, pipenv, pip-sync) runs it, and is ignored by pips too old to know it.
 * Under sudo it goes in as `sudo env VAR=1 …`: sudo's env_reset drops what the caller set
 * (pip-behaviour.md U03–U06, indirect-pip.md rule 11), and `env` sets it whatever sudoers says about
 * setting variables on sudo's own command line. The fix never leaves a job that still fails: on
 * Debian 13 it adds `--ignore-installed` where the call would replace what apt installed, and it
 * offers nothing for pip-sync there (src/engine/debian-replace.ts).
 */
import {
  debianDistributionsReplaced,
  mayRefuseReplacingDebianPackages,
  refusesReplacingDebianPackages,
} from '../engine/debian-replace.ts';
import type { InstallCheck } from '../engine/pip-target.ts';
import type { JobAnalysis, Step } from '../engine/simulate.ts';
import type { PythonEnvironment } from '../environment/resolve.ts';
import type { Edit, Fix } from '../model/finding.ts';
import { textIndex } from '../shell/tokenize.ts';
import { insertAfter, insertBefore, offsetAfter, offsetBefore } from './insert.ts';

export function overrideFix(
  step: Step,
  check: InstallCheck,
  env: PythonEnvironment,
  analysis: JobAnalysis,
  source: string,
): Fix | null {
  const name = check.overrideVariable;
  const { command, line, action } = step;
  // pip-sync on Debian 13 wants to uninstall every apt-installed distribution: refused anyway (T08)
  if (action.kind === 'pip-sync' && refusesReplacingDebianPackages(env)) return null;
  const keep = ignoreInstalledEdits(step, env, analysis, source);
  if (keep === null) return null;
  // --isolated makes pip ignore every PIP_* variable: only the flag works, and only on pip >= 23.0.1
  if (action.kind === 'pip' && action.args.isolated)
    return flagFix(step, env, keep, source, 'pip ignores PIP_* variables under --isolated');
  const title =
    keep.length > 0
      ? `Set ${name}=1 and add --ignore-installed for this command (it may then change the system Python's packages)`
      : `Set ${name}=1 for this command (it may then change the system Python's packages)`;
  // the command already sets the variable (to a false value): change that value
  const own = command.assignments.find((a) => a.name === name && !command.droppedBySudo.includes(a));
  if (own) {
    const w = own.word;
    if (name.length + 1 > w.value.length || own.dynamic) return null;
    const valueStart = textIndex(w, name.length + 1);
    const start = offsetBefore(line, command.toRoot(valueStart));
    const end = offsetAfter(line, command.toRoot(w.end - 1), source);
    return {
      title,
      strategy: 'override',
      applicability: 'safe',
      edits: [{ path: line.path, start, end, text: '1' }, ...keep],
    };
  }
  if (sudoInsideVariable(command))
    return flagFix(step, env, keep, source, 'the sudo inside the variable would drop PIP_* variables');
  const edit = setBeforeProgram(step, [`${name}=1`], source);
  if (!edit) return null;
  return {
    title,
    strategy: 'override',
    applicability: 'safe',
    edits: [edit, ...keep],
  };
}

/** pip learned `--break-system-packages` in 23.0.1 (pip-behaviour.md, "Version facts"). */
export function pipKnowsFlag(pip: string | undefined): boolean {
  if (!pip || pip.startsWith('<')) return false;
  const [major = 0, minor = 0, patch = 0] = pip
    .replace(/\+$/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10));
  return major > 23 || (major === 23 && (minor > 0 || patch >= 1));
}

/**
 * `VAR=value …` where the program sees it: a prefix, or `env VAR=value …` after sudo, which drops
 * prefixes written before it and may refuse ones written after it (sudoers' setenv), and in another
 * program's argument list (`docker exec C env VAR=1 pip …`), where no shell reads a prefix.
 */
export function setBeforeProgram(step: Step, assignments: string[], source: string): Edit | null {
  const { command, line } = step;
  if (sudoInsideVariable(command)) return null;
  const text = `${command.sudo || command.inArgv ? 'env ' : ''}${assignments.join(' ')} `;
  return insertBefore(line, command.envInsertAt, text, source);
}

/**
 * `$PIP install x` with PIP="sudo pip": sudo and the program are one word of the file, so there is
 * no place past sudo to set a variable, and before it sudo drops it.
 */
const sudoInsideVariable = (command: Step['command']) => !!command.sudo && !!command.argv[0]?.fromVariable;

/** `--break-system-packages` after `install`, where the variable cannot reach pip (`why`). */
function flagFix(step: Step, env: PythonEnvironment, keep: Edit[], source: string, why: string): Fix | null {
  const { action, command, line } = step;
  if (action.kind !== 'pip' || !action.args.subcommandWord || !pipKnowsFlag(env.pip)) return null;
  const edit = insertAfter(
    line,
    command.toRoot(action.args.subcommandWord.end - 1),
    ' --break-system-packages',
    source,
  );
  if (!edit) return null;
  // `--ignore-installed` goes after the subcommand too: one insertion (two at one point would conflict)
  const here = keep.filter((e) => e.start === edit.start && e.end === edit.end);
  const fix: Fix = {
    title: `Add --break-system-packages (${why})`,
    strategy: 'override',
    applicability: 'safe',
    edits: [
      { ...edit, text: edit.text + here.map((e) => e.text).join('') },
      ...keep.filter((e) => !here.includes(e)),
    ],
  };
  ADDS_FLAG.add(fix);
  return fix;
}

/**
 * Fixes that add `--break-system-packages`: right only where every pip that runs the command knows
 * the flag, and a line may also run in jobs that were not reported (a matrix leg on pip 22).
 */
const ADDS_FLAG = new WeakSet<Fix>();
export const addsBreakFlag = (fix: Fix) => ADDS_FLAG.has(fix);

/**
 * On Debian 13 the override gets past PEP 668, but replacing a distribution apt installed (pip itself on
 * `pip install -U pip`, wheel, any python3-* from apt) then fails with "uninstall-no-record-file"
 * (and setuptools' files are deleted); `--ignore-installed` avoids both (indirect-pip.md N06–N08). It is
 * added wherever the release may be 13 (`rust:latest`), not only where it is known to be.
 * Returns the extra edit (or none), or null when the call cannot be made to work this way.
 */
export function ignoreInstalledEdits(
  step: Step,
  env: PythonEnvironment,
  analysis: JobAnalysis,
  source: string,
): Edit[] | null {
  const a = step.action;
  if (
    a.kind !== 'pip' ||
    !mayRefuseReplacingDebianPackages(env) ||
    !debianDistributionsReplaced(step, analysis)
  )
    return [];
  const sub = a.args.subcommandWord;
  if (!sub) return null;
  const edit = insertAfter(step.line, step.command.toRoot(sub.end - 1), ' --ignore-installed', source);
  return edit ? [edit] : null;
}
