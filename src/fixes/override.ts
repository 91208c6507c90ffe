/**
 * The explicit override: `PIP_BREAK_SYSTEM_PACKAGES=1` (or uv's `UV_BREAK_SYSTEM_PACKAGES=1`) as a
 * prefix of the one command that needs it — the narrowest scope there is. The variable reaches
 * pip when another tool (flit, pipenv, pip-sync) runs it, is ignored by pips too old to know it,
 * and is placed after `sudo`, which would drop it otherwise (shared/knowledge/pip-behaviour.md U03–U06).
 */
import type { InstallCheck } from '../engine/pip-target.ts';
import type { Step } from '../engine/simulate.ts';
import type { PythonEnvironment } from '../environment/resolve.ts';
import type { Edit, Fix } from '../model/finding.ts';
import { requirementName } from '../shell/pip.ts';
import { insertAfter, insertBefore, offsetAfter, offsetBefore } from './insert.ts';

export function overrideFix(
  step: Step,
  check: InstallCheck,
  env: PythonEnvironment,
  source: string,
): Fix | null {
  const name = check.overrideVariable;
  const { command, line, action } = step;
  // --isolated makes pip ignore every PIP_* variable: only the flag works, and only on pip >= 23.0.1
  if (action.kind === 'pip' && action.args.isolated) return flagFix(step, env, source);
  const title = `Set ${name}=1 for this command (it may then change the system Python's packages)`;
  const keep = keepDebianInstalled(step, env, source);
  if (keep === null) return null;
  // the command already sets the variable (to a false value): change that value
  const own = command.assignments.find((a) => a.name === name && !command.droppedBySudo.includes(a));
  if (own) {
    const w = own.word;
    const valueStart = w.valueMap[name.length + 1];
    if (valueStart === undefined || own.dynamic) return null;
    const start = offsetBefore(line, command.toRoot(valueStart));
    const end = offsetAfter(line, command.toRoot(w.end - 1), source);
    return {
      title: keep.length > 0 ? `${title}, with --ignore-installed` : title,
      strategy: 'override',
      applicability: 'safe',
      edits: [{ path: line.path, start, end, text: '1' }, ...keep],
    };
  }
  const edit = insertBefore(line, command.envInsertAt, `${name}=1 `, source);
  if (!edit) return null;
  return {
    title: keep.length > 0 ? `${title}, with --ignore-installed` : title,
    strategy: 'override',
    applicability: 'safe',
    edits: [edit, ...keep],
  };
}

/** pip learned `--break-system-packages` in 23.0.1 (pip-behaviour.md, "Version facts"). */
export function pipKnowsFlag(pip: string | undefined): boolean {
  if (!pip) return false;
  const [major = 0, minor = 0, patch = 0] = pip
    .replace(/\+$/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10));
  return major > 23 || (major === 23 && (minor > 0 || patch >= 1));
}

function flagFix(step: Step, env: PythonEnvironment, source: string): Fix | null {
  const { action, command, line } = step;
  if (action.kind !== 'pip' || !action.args.subcommandWord || !pipKnowsFlag(env.pip)) return null;
  const edit = insertAfter(
    line,
    command.toRoot(action.args.subcommandWord.end - 1),
    ' --break-system-packages',
    source,
  );
  if (!edit) return null;
  return {
    title: 'Add --break-system-packages (pip ignores PIP_* variables under --isolated)',
    strategy: 'override',
    applicability: 'safe',
    edits: [edit],
  };
}

/** What `python3-pip` brings in from the distribution (Debian's python3-pip depends on these). */
const DEBIAN_INSTALLED = /^(pip|setuptools|wheel)$/i;

/**
 * On Debian 13 (pip 25.x) the override gets past PEP 668, but replacing a distribution the system
 * installed (pip itself on `pip install -U pip`, setuptools, wheel, any python3-* from apt) then
 * fails with "uninstall-no-record-file … installed by debian"; `--ignore-installed` avoids it
 * (indirect-pip.md N06, N08, rule 5). Debian 12's pip only prints "Not uninstalling" and goes on.
 * Returns the extra edit (or none), or null when the call cannot be made to work this way.
 */
function keepDebianInstalled(step: Step, env: PythonEnvironment, source: string): Edit[] | null {
  const a = step.action;
  if (a.kind !== 'pip' || a.args.subcommand !== 'install' || a.args.ignoreInstalled) return [];
  if (!(a.args.upgrade || a.args.forceReinstall) || !replacesDistributionPackages(env)) return [];
  const names = a.args.packages.map((w) => requirementName(w.value));
  if (!names.some((n) => DEBIAN_INSTALLED.test(n))) return [];
  const sub = a.args.subcommandWord;
  if (!sub) return null;
  const edit = insertAfter(step.line, step.command.toRoot(sub.end - 1), ' --ignore-installed', source);
  return edit ? [edit] : null;
}

/** Releases measured to refuse replacing a distribution-installed package under the override: Debian 13. */
function replacesDistributionPackages(env: PythonEnvironment): boolean {
  return env.knowledge?.release.startsWith('Debian 13') === true;
}
