/**
 * pipx, for applications only (pipx refuses libraries: shared/knowledge/pip-behaviour.md "pipx 1.1.0
 * facts"). Always a suggestion: whether a package is only ever *run*, never imported, is for a person
 * to confirm. pipx puts commands in ~/.local/bin, which is not on PATH in CI containers, so the
 * fix adds it explicitly (`pipx ensurepath` would not reach the running shell).
 */
import type { InstallCheck } from '../engine/pip-target.ts';
import type { JobAnalysis, Step } from '../engine/simulate.ts';
import type { PythonEnvironment } from '../environment/resolve.ts';
import type { Edit, Fix } from '../model/finding.ts';
import { requirementName } from '../shell/pip.ts';
import { addAptPackage, aptLineBefore, installed } from './apt.ts';
import { encodeInsertion, offsetAfter, offsetBefore } from './insert.ts';

/**
 * Command-line applications commonly pip-installed in CI that pipx can run in isolation. A package
 * is here only when it is used as a command and works without the project's own dependencies.
 */
export const KNOWN_APPLICATIONS = new Set([
  'ansible-lint',
  'awscli',
  'black',
  'bump2version',
  'bump-my-version',
  'cfn-lint',
  'checkov',
  'codespell',
  'commitizen',
  'conan',
  'cookiecutter',
  'copier',
  'esptool',
  'flake8',
  'gcovr',
  'gitlint',
  'hatch',
  'httpie',
  'isort',
  'meson',
  'nox',
  'pdm',
  'pip-audit',
  'pipenv',
  'platformio',
  'poetry',
  'pre-commit',
  'reuse',
  'ruff',
  'semgrep',
  'sqlfluff',
  'tox',
  'twine',
  'uv',
  'west',
  'yamllint',
]);

const PATH_EXPORT = 'export PATH="$HOME/.local/bin:$PATH"';

export function pipxFix(
  step: Step,
  check: InstallCheck,
  analysis: JobAnalysis,
  env: PythonEnvironment,
  source: string,
): Fix | null {
  const { command, line, action } = step;
  // (the fix writes `pipx install x && export PATH=…`: shell text, so not into docker's argument list)
  if (command.sudo || command.wrappers.length > 0 || command.inPipeline || command.inArgv) return null;
  if (command.after === '||' || command.after === '|' || command.before === '||') return null;
  let installs: string[];
  if (action.kind === 'pip' && check.tool === 'pip') {
    const args = action.args;
    if (action.args.subcommand !== 'install' || args.requirements.length > 0 || args.editables.length > 0)
      return null;
    const names = args.packages.map((w) => w.value);
    if (names.length === 0 || args.packages.some((w) => w.dynamic)) return null;
    if (!names.every((n) => KNOWN_APPLICATIONS.has(requirementName(n)))) return null;
    // evidence that each is used as a command: the job runs it later by name
    if (!names.every((n) => commandsOf(requirementName(n)).some((c) => runsLater(analysis, step, c))))
      return null;
    installs = names;
  } else if (action.kind === 'flit-install' && !action.symlink && runsAProgramLater(analysis, step)) {
    installs = ['.'];
  } else return null;

  const replacement = [...installs.map((n) => `pipx install ${shellQuote(n)}`), PATH_EXPORT].join(' && ');
  const start = offsetBefore(line, command.start);
  const end = offsetAfter(line, command.end - 1, source);
  // the whole command is replaced: it must be written in one piece of the same scalar
  if (end <= start || source.slice(start, end).includes('\n')) return null;
  const encoded = encodeInsertion(line, start, replacement, source);
  if (encoded === null) return null;
  const edits: Edit[] = [{ path: line.path, start, end, text: encoded }];
  let note = '';
  const debianFamily = env.distro === 'debian' || env.distro === 'ubuntu';
  if (debianFamily && !installed(analysis, /^pipx$/)) {
    const apt = aptLineBefore(analysis, step);
    const aptEdit = apt ? addAptPackage(apt, 'pipx', source) : null;
    if (!aptEdit) return null;
    edits.push(aptEdit);
    note = ', adding pipx to the apt-get line';
  }
  const what = installs[0] === '.' ? 'the project' : installs.join(', ');
  return {
    title: `Install ${what} with pipx and put ~/.local/bin on PATH${note} (only if it is used as a command, never imported)`,
    strategy: 'pipx',
    applicability: 'suggestion',
    edits,
  };
}

/** The commands a package installs, where they differ from its name. */
const COMMANDS: Record<string, string[]> = {
  awscli: ['aws'],
  httpie: ['http', 'https'],
  platformio: ['pio', 'platformio'],
  esptool: ['esptool', 'esptool.py'],
  'bump-my-version': ['bump-my-version'],
  commitizen: ['cz'],
};
const commandsOf = (pkg: string) => COMMANDS[pkg] ?? [pkg];

/** True when a later command of the job runs `name` (by name, not by path). */
function runsLater(analysis: JobAnalysis, step: Step, name: string): boolean {
  return stepsAfter(analysis, step).some(
    (s) => s.action.kind === 'other' && s.command.argv[0]?.value === name,
  );
}

const stepsAfter = (analysis: JobAnalysis, step: Step) =>
  analysis.steps.slice(analysis.steps.indexOf(step) + 1);

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_.,:/=@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Commands that are the system's own, not something a project installs. */
const SYSTEM_COMMANDS = new Set(
  'echo printf cd ls cat cp mv rm mkdir test [ true false exit set export unset source . git make cmake sh bash python python3 pip pip3 apt-get apt dpkg sudo env which command grep sed awk find xargs tar curl wget chmod chown ln touch head tail sort tee sleep date pwd'.split(
    ' ',
  ),
);

/** True when a later command runs a program that is neither a system tool nor installed by the distribution. */
function runsAProgramLater(analysis: JobAnalysis, step: Step): boolean {
  return stepsAfter(analysis, step).some(
    (s) => s.action.kind === 'other' && !SYSTEM_COMMANDS.has(s.action.name) && !s.action.name.includes('/'),
  );
}
