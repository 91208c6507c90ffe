/**
 * For a command that installs Python packages: does it reach the system Python's PEP 668 check,
 * and is that check overridden? Encodes pip's measured behaviour (shared/knowledge/pip-behaviour.md,
 * indirect-pip.md): which subcommands and options are checked, the override's truth values, what
 * `--isolated` and `sudo` do, how flit, uv, pipenv and pip-sync pick their interpreter.
 */
import type { Interpreter } from '../shell/classify.ts';
import { type Assignment, basename } from '../shell/commands.ts';
import type { EnvValue, PipConf, Step } from './simulate.ts';

export type InstallTool = 'pip' | 'flit' | 'uv' | 'pipenv' | 'pip-sync' | 'ansible' | 'poetry';

export interface InstallCheck {
  tool: InstallTool;
  /** A short name for messages: `pip install`, `flit install`, `uv pip install --system`. */
  label: string;
  /** True when the command installs into (or uninstalls from) the job's system Python. */
  hitsSystem: boolean;
  /** Why it does or does not (for `inspect` and messages). */
  why: string;
  /** The override in force, if any. */
  override?: string;
  /** An override that was set but does not reach this command (sudo, `--isolated`). */
  overrideLost?: string;
  /** True when the override in force is the platform's pip.conf, not the job's own. */
  overrideByPlatform?: boolean;
  /** The variable that overrides this tool's check. */
  overrideVariable: 'PIP_BREAK_SYSTEM_PACKAGES' | 'UV_BREAK_SYSTEM_PACKAGES';
}

/** pip's boolean parsing (strtobool): measured, shared/knowledge/pip-behaviour.md "E_*" rows. */
export function pipBoolean(value: string): boolean | 'invalid' {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on', 'y', 't'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', 'n', 'f', ''].includes(v)) return false;
  return 'invalid';
}

/** `.venv`, `venv`, `/opt/venv`, `$VIRTUAL_ENV`, `env` … — a path that names a virtual environment. */
const VENV_DIR =
  /(^|\/)\.?(venv|virtualenv|virtualenvs|env|\.venv|pyenv|conda|miniconda3?|miniforge3?|mambaforge|micromamba)[^/]*(\/|$)|\$\{?VIRTUAL_ENV\}?|\$\{?CONDA_PREFIX\}?|pipx\/venvs/i;
const SYSTEM_BIN =
  /^(\/usr\/bin|\/bin|\/usr\/local\/bin|~\/\.local\/bin|\$\{?HOME\}?\/\.local\/bin|\/root\/\.local\/bin|\/usr\/sbin)$/;

/** Classifies an interpreter given by path (`--python`, `.venv/bin/pip`): system, or something else. */
function pathTargetsSystem(path: string): boolean {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  if (dir === '') return true; // a bare name resolves through PATH like plain pip
  if (SYSTEM_BIN.test(dir)) return true;
  return false;
}

export interface VarLookup {
  value: string;
  source: string;
}

/** The value pip (or uv) sees for a variable: the command's own prefix, else the shell's exported env. */
function lookupVar(step: Step, name: string): { seen?: VarLookup; lost?: VarLookup } {
  const { command, state } = step;
  const own = [...command.assignments].reverse().find((a: Assignment) => a.name === name);
  const dropped = own !== undefined && command.droppedBySudo.includes(own);
  if (own && !dropped) return { seen: { value: own.value, source: `${name}=${own.value} on the command` } };
  const exported: EnvValue | undefined = state.env.get(name);
  const sudo = command.sudo;
  const keptBySudo = !sudo || sudo.preserveAll || sudo.preserve.includes(name);
  if (own && dropped) return { lost: { value: own.value, source: `${name}=${own.value} before sudo` } };
  if (!exported) return {};
  if (!keptBySudo) return { lost: { value: exported.value, source: `${exported.origin}` } };
  return { seen: { value: exported.value, source: exported.origin } };
}

/** The value a variable had before sudo dropped it, when sudo drops it for this command (env_reset). */
export function lostToSudo(step: Step, name: string): VarLookup | undefined {
  return lookupVar(step, name).lost;
}

/** The check, with the override its variable gives (or a note that sudo or --isolated lost it). */
function withEnvOverride(check: InstallCheck, step: Step): InstallCheck {
  const env = envOverride(step, check.overrideVariable);
  if (env.override) check.override = env.override;
  if (env.lost) check.overrideLost = env.lost;
  return check;
}

function envOverride(
  step: Step,
  name: InstallCheck['overrideVariable'],
): { override?: string; lost?: string } {
  const { seen, lost } = lookupVar(step, name);
  const out: { override?: string; lost?: string } = {};
  if (seen && pipBoolean(seen.value) === true) out.override = `${name}=${seen.value} (${seen.source})`;
  if (lost && pipBoolean(lost.value) === true) out.lost = `${name} (${lost.source}) is dropped by sudo`;
  return out;
}

/** pip commands that stop outside a virtual environment under require-virtualenv (measured, pip 23.0.1). */
const NEEDS_VENV = new Set(['install', 'uninstall', 'download', 'wheel', 'freeze']);

/**
 * What makes this pip call demand a virtual environment — `--require-virtualenv`, or
 * PIP_REQUIRE_VIRTUALENV on (ignored under `--isolated`) — when it does not run in one: pip then stops
 * with "Could not find an activated virtualenv (required)" whatever the image, and no PEP 668 override
 * helps. A conda environment or setup-python's Python is not a virtual environment. Null otherwise.
 */
export function venvRequiredOutsideVenv(step: Step): string | null {
  const a = step.action;
  if (a.kind !== 'pip' || !NEEDS_VENV.has(a.args.subcommand ?? '')) return null;
  let source: string | null = null;
  if (a.args.options.includes('--require-virtualenv')) source = '--require-virtualenv';
  else if (!a.args.isolated) {
    const { seen } = lookupVar(step, 'PIP_REQUIRE_VIRTUALENV');
    if (seen && pipBoolean(seen.value) === true)
      source = `PIP_REQUIRE_VIRTUALENV=${seen.value} (${seen.source})`;
  }
  if (source === null) return null;
  // `--python X` runs pip again under X: X decides
  const python = a.args.python ?? (a.interpreter.dir !== undefined ? a.interpreter.spelled : undefined);
  if (python !== undefined)
    return VENV_DIR.test(python) && !/conda|mamba|pyenv/i.test(python) ? null : source;
  return step.state.venv && !step.command.sudo ? null : source;
}

/**
 * Whether the command resolves `pip`/`python` through PATH to the job's system interpreter. sudo's
 * secure_path (the Linux distributions' sudoers default) replaces PATH; macOS's sudo keeps the
 * caller's (actions/setup-python#1292), so there the active environment decides as without sudo.
 */
function bareTargetsSystem(step: Step, platform: PlatformPip): { system: boolean; why: string } {
  if (step.command.sudo && platform.runner?.os !== 'macos')
    return { system: true, why: 'sudo resets PATH to the system Python' };
  if (step.state.venv) return { system: false, why: `venv ${step.state.venv.dir} is active` };
  if (step.state.conda) return { system: false, why: 'a conda environment is active' };
  const put = step.state.pathPython;
  if (put)
    return {
      system: false,
      why: put.known
        ? `${put.by} put its own Python first on PATH`
        : `${put.by} may have changed the Python on PATH`,
    };
  return { system: true, why: 'no venv is active in this shell' };
}

/** What the job's platform itself says about pip (GitHub's Ubuntu images ship `/etc/pip.conf`). */
export interface PlatformPip {
  pipConfOverride?: string;
  /** The GitHub runner the command runs on, whose OS decides what sudo does to PATH. */
  runner?: { os: string };
  /** The image's system Python version (`3.11`), when known. */
  python?: string;
}

/**
 * Homebrew puts `python3` and `pip3` on PATH and keeps the unversioned `python`/`pip` in its libexec
 * (docs.brew.sh/Homebrew-and-Python): on a macOS runner those names may be some other Python, or none.
 */
function unversionedOnMacos(interpreter: Interpreter, platform: PlatformPip): boolean {
  return (
    platform.runner?.os === 'macos' &&
    interpreter.dir === undefined &&
    /^(pip|python)$/.test(interpreter.spelled)
  );
}

/**
 * `python3.12`/`pip3.12` on a macOS runner whose python3 is another version: Homebrew's python@3.12
 * (environments.md §2: its formulae carry the marker from 3.12 on, and it was seen on 3.11-era images).
 */
function homebrewVersion(interpreter: Interpreter, platform: PlatformPip): string | undefined {
  if (platform.runner?.os !== 'macos' || interpreter.dir !== undefined) return undefined;
  const version = /^(?:python|pip)(3\.\d+)$/.exec(interpreter.spelled)?.[1];
  return version !== undefined && version !== platform.python ? version : undefined;
}

/**
 * `python3.12`/`pip3.12` name a version. In an image whose system Python is another one, that is a
 * Python the job brought (deadsnakes, a build) or none at all ("command not found"): not the one the
 * knowledge is about. Runners are left alone: they carry several Pythons (Homebrew's python@3.x).
 */
function otherVersion(spelled: string, platform: PlatformPip): string | undefined {
  if (platform.runner || !platform.python) return undefined;
  const version = /^(?:python|pip)(\d+\.\d+)$/.exec(basename(spelled))?.[1];
  return version !== undefined && version !== platform.python ? version : undefined;
}

/**
 * Whether an install step reaches the system Python, and what overrides reach it. The verdict is
 * worked out once per step (for the job's platform) and shared by every rule that asks: never change it.
 */
export function checkInstall(step: Step, platform: PlatformPip = {}): Readonly<InstallCheck> | null {
  const known = step.verdict;
  if (known?.step === step && known.platform === platform) return known.check;
  const check = judgeInstall(step, platform);
  step.verdict = { step, platform, check };
  return check;
}

function judgeInstall(step: Step, platform: PlatformPip): InstallCheck | null {
  const a = step.action;
  let check: InstallCheck | null;
  switch (a.kind) {
    case 'pip':
      check = checkPip(step, a, platform);
      break;
    case 'get-pip': {
      // pip installing itself: the same check, the same overrides (indirect-pip.md G01–G04)
      const pip = checkPip(step, { kind: 'pip', interpreter: a.interpreter, args: a.args }, platform);
      check = pip && { ...pip, label: 'get-pip.py' };
      break;
    }
    case 'flit-install':
      check = checkFlit(step, a, platform);
      break;
    case 'uv-pip':
      check = checkUv(step, a);
      break;
    case 'pipenv':
      check = checkPipenv(step, a);
      break;
    case 'poetry':
      check = checkPoetryRemoval(step, a, platform);
      break;
    case 'pip-sync':
      check = checkPipSync(step, a, platform);
      break;
    case 'ansible-pip':
      check = checkAnsiblePip(step, a, platform);
      break;
    default:
      return null;
  }
  // pip config files (the platform's, e.g. GitHub's /etc/pip.conf, or ones the job wrote) reach every
  // pip, except under --isolated or with PIP_CONFIG_FILE=/dev/null (pip-behaviour.md C01–C07)
  const isolated = (a.kind === 'pip' || a.kind === 'get-pip') && a.args.isolated;
  const noConfig = lookupVar(step, 'PIP_CONFIG_FILE').seen?.value === '/dev/null';
  // with the marker deleted there is nothing to check (pip-behaviour.md M01); uv reads the same marker
  // (environments.md §3: it "respects the marker"). A marker of another Python version is not this one's.
  const gone = step.state.markerGone;
  const ours = gone && (!gone.version || !platform.python || gone.version === platform.python);
  if (check?.hitsSystem && !check.override && ours) {
    check.override = gone.said;
    return check;
  }
  if (a.kind === 'uv-pip' || !check?.hitsSystem || check.override) return check; // uv reads no pip config
  const command =
    (a.kind === 'pip' && a.args.subcommand === 'uninstall') || a.kind === 'poetry' ? 'uninstall' : 'install';
  const conf = configSetting(step.state.pipConf, command, platform);
  if (!conf?.on) {
    const elsewhere = conf ? undefined : otherSection(step.state.pipConf, command);
    if (elsewhere)
      check.overrideLost = appendNote(
        check.overrideLost,
        `the job's pip config sets break-system-packages in [${elsewhere.section}] only (${elsewhere.said}), and pip ${command} does not read that section`,
      );
    return check;
  }
  if (isolated || noConfig) {
    const skip = isolated ? '--isolated' : 'PIP_CONFIG_FILE=/dev/null';
    const whose = conf.byPlatform ? "the runner image's /etc/pip.conf" : conf.said;
    check.overrideLost = appendNote(
      check.overrideLost,
      `${skip} makes pip read no config file, and the override was in one (${whose})`,
    );
    return check;
  }
  // the variable beats a config file: `PIP_BREAK_SYSTEM_PACKAGES=0` turns a pip.conf's `true` off (C05)
  const variable = lookupVar(step, 'PIP_BREAK_SYSTEM_PACKAGES').seen?.value;
  if (variable !== undefined && variable.trim() !== '' && pipBoolean(variable) === false)
    check.overrideLost = `PIP_BREAK_SYSTEM_PACKAGES=${variable} turns off the break-system-packages of the pip config (the variable beats a config file)`;
  else {
    check.override = conf.said;
    check.overrideByPlatform = conf.byPlatform;
  }
  return check;
}

/**
 * `break-system-packages` as pip's `command` reads it: the job's own config files (the command's
 * section over `[global]`), else the platform's (GitHub's `/etc/pip.conf`, `[global]`).
 */
function configSetting(
  own: PipConf | null,
  command: string,
  platform: PlatformPip,
): { on: boolean; said: string; byPlatform: boolean } | undefined {
  const set = own?.sections.get(command) ?? own?.sections.get('global');
  if (set) return { ...set, byPlatform: false };
  if (platform.pipConfOverride) return { on: true, said: platform.pipConfOverride, byPlatform: true };
  return undefined;
}

/** A section of the job's pip config that turns the override on for some other command only. */
function otherSection(own: PipConf | null, command: string) {
  for (const [section, set] of own?.sections ?? [])
    if (set.on && section !== command && section !== 'global') return { section, said: set.said };
  return undefined;
}

/** A note added to those already said, in one parenthesis of the message. */
function appendNote(note: string | undefined, more: string): string {
  return note ? `${note}; ${more}` : more;
}

function checkPip(
  step: Step,
  a: Extract<Step['action'], { kind: 'pip' }>,
  platform: PlatformPip,
): InstallCheck | null {
  const sub = a.args.subcommand;
  if (sub !== 'install' && sub !== 'uninstall') return null;
  // pip stops at the misplaced flag with "no such option" before any check (S24), at a misplaced
  // `--python` with "must be placed before the pip subcommand name" (Z08), at an ambiguous abbreviation
  if (a.args.breakFlagMisplaced || a.args.pythonMisplaced || a.args.ambiguousOption) return null;
  const label = `pip ${sub}`;
  const base = { tool: 'pip' as const, label, overrideVariable: 'PIP_BREAK_SYSTEM_PACKAGES' as const };
  const no = (why: string): InstallCheck => ({ ...base, hitsSystem: false, why });
  if (sub === 'install') {
    if (a.args.target) return no('--target skips the check');
    if (a.args.prefix) return no('--prefix skips the check');
    if (a.args.root) return no('--root skips the check');
    if (a.args.dryRun && a.args.report) return no('--dry-run with --report skips the check');
    if (!a.args.isolated) {
      for (const v of ['PIP_TARGET', 'PIP_PREFIX', 'PIP_ROOT']) {
        const { seen } = lookupVar(step, v);
        if (seen && seen.value !== '') return no(`${v} skips the check`);
      }
    }
  }
  let target: { system: boolean; why: string };
  if (a.args.python === undefined && otherVersion(a.interpreter.spelled, platform))
    return no(
      `${a.interpreter.spelled} is not the image's python ${platform.python}: it may not even be there`,
    );
  if (a.args.python === undefined && /^pypy/.test(basename(a.interpreter.spelled))) {
    // the knowledge covers the distributions' CPython only: a PyPy's marker is not known
    return no(`${a.interpreter.spelled} is PyPy, whose EXTERNALLY-MANAGED status is not known`);
  }
  if (a.args.python !== undefined) {
    target =
      pathTargetsSystem(a.args.python) && !VENV_DIR.test(a.args.python)
        ? a.args.python.includes('/')
          ? { system: true, why: `--python ${a.args.python}` }
          : bareTargetsSystem(step, platform)
        : { system: false, why: `--python ${a.args.python} is not the system Python` };
  } else if (a.interpreter.dir !== undefined) {
    target =
      pathTargetsSystem(a.interpreter.spelled) && !VENV_DIR.test(a.interpreter.spelled)
        ? { system: true, why: `${a.interpreter.spelled} is the system's` }
        : { system: false, why: `${a.interpreter.spelled} is not the system Python` };
  } else target = bareTargetsSystem(step, platform);
  if (!target.system) return no(target.why);
  if (a.args.python === undefined && unversionedOnMacos(a.interpreter, platform))
    return no(
      `${a.interpreter.spelled} on a macOS runner: Homebrew's Python is python3/pip3, and which ${a.interpreter.spelled} is on PATH there is not known`,
    );
  const brew = a.args.python === undefined ? homebrewVersion(a.interpreter, platform) : undefined;
  if (brew !== undefined) {
    const [, minor] = brew.split('.').map(Number);
    if (minor! < 11)
      return no(
        `${a.interpreter.spelled} on a macOS runner is Homebrew's python@${brew}, whose marker is not recorded`,
      );
    target = {
      system: true,
      why: `${a.interpreter.spelled} is Homebrew's python@${brew}, which is marked too; ${target.why}`,
    };
  }
  const check: InstallCheck = { ...base, hitsSystem: true, why: target.why };
  if (a.args.breakSystemPackages) {
    check.override = '--break-system-packages';
    return check;
  }
  if (a.args.isolated) {
    const { seen } = lookupVar(step, 'PIP_BREAK_SYSTEM_PACKAGES');
    if (seen && pipBoolean(seen.value) === true)
      check.overrideLost = 'PIP_BREAK_SYSTEM_PACKAGES is ignored under --isolated';
    return check;
  }
  return withEnvOverride(check, step);
}

function checkFlit(
  step: Step,
  a: Extract<Step['action'], { kind: 'flit-install' }>,
  platform: PlatformPip,
): InstallCheck {
  const base = {
    tool: 'flit' as const,
    label: 'flit install',
    overrideVariable: 'PIP_BREAK_SYSTEM_PACKAGES' as const,
  };
  const no = (why: string): InstallCheck => ({ ...base, hitsSystem: false, why });
  // flit installs into the Python that runs flit unless --python / FLIT_INSTALL_PYTHON say otherwise
  const python = a.python ?? lookupVar(step, 'FLIT_INSTALL_PYTHON').seen?.value;
  if (python !== undefined) {
    if (!pathTargetsSystem(python) || VENV_DIR.test(python)) return no(`flit installs into ${python}`);
    if (!python.includes('/')) {
      const bare = bareTargetsSystem(step, platform);
      if (!bare.system) return no(`--python ${python} resolves to the active environment`);
    }
  } else if (a.interpreter.dir !== undefined && !pathTargetsSystem(a.interpreter.spelled)) {
    return no(`${a.interpreter.spelled} runs from its own environment`);
  } else if (step.state.venv || step.state.conda) {
    if (step.state.flitFrom !== 'distro') return no('flit runs from the active environment');
  }
  if (a.symlink && a.noDeps)
    return no('--symlink/--pth-file with --deps none writes files itself, without pip');
  const check: InstallCheck = {
    ...base,
    hitsSystem: true,
    why:
      step.state.venv && step.state.flitFrom === 'distro'
        ? "the distribution's flit installs into its own (system) Python even with a venv active"
        : 'flit runs pip for the Python that runs flit, the system one',
  };
  return withEnvOverride(check, step);
}

function checkUv(step: Step, a: Extract<Step['action'], { kind: 'uv-pip' }>): InstallCheck | null {
  if (!['install', 'sync', 'uninstall'].includes(a.subcommand ?? '')) return null;
  const label = `uv pip ${a.subcommand}`;
  const base = { tool: 'uv' as const, label, overrideVariable: 'UV_BREAK_SYSTEM_PACKAGES' as const };
  const systemVar = lookupVar(step, 'UV_SYSTEM_PYTHON').seen;
  // `--python`, or UV_PYTHON, which uv reads for it
  const python = a.python ?? lookupVar(step, 'UV_PYTHON').seen?.value;
  const systemPath = python !== undefined && /^\/(usr\/)?bin\//.test(python);
  const system = a.system || (systemVar !== undefined && pipBoolean(systemVar.value) === true) || systemPath;
  if (!system)
    return { ...base, hitsSystem: false, why: 'uv pip only touches the system Python with --system' };
  // --system takes the first Python on PATH: actions/setup-python's has no marker (environments.md §2,
  // oz-for-oss#246: "--system installs succeeded there")
  const put = step.state.pathPython;
  // a version (`--python 3.12`) or another path is looked for there too: only /usr/bin's is the system's,
  // and what sudo's secure_path finds
  if (put?.known && !systemPath && !step.command.sudo)
    return {
      ...base,
      label: `${label} --system`,
      hitsSystem: false,
      why: `${put.by} put its own Python first on PATH`,
    };
  // name what told uv, as the user wrote it
  const told = a.system
    ? { label: `${label} --system`, why: 'uv was told to use the system Python' }
    : systemVar !== undefined && pipBoolean(systemVar.value) === true
      ? { label, why: `UV_SYSTEM_PYTHON=${systemVar.value} tells uv to use the system Python` }
      : a.python !== undefined
        ? { label: `${label} --python ${a.python}`, why: `--python ${a.python} is the system Python` }
        : { label, why: `UV_PYTHON=${python} is the system Python` };
  const check: InstallCheck = { ...base, ...told, hitsSystem: true };
  if (a.breakSystemPackages) {
    check.override = '--break-system-packages';
    return check;
  }
  return withEnvOverride(check, step);
}

function checkPipenv(step: Step, a: Extract<Step['action'], { kind: 'pipenv' }>): InstallCheck | null {
  // PIPENV_SYSTEM may also come from the environment (CI variables, export)
  const exported = lookupVar(step, 'PIPENV_SYSTEM').seen;
  const system = a.system || (exported !== undefined && pipBoolean(exported.value) === true);
  if (!['install', 'sync'].includes(a.subcommand ?? '') || !system) return null;
  const check: InstallCheck = {
    tool: 'pipenv',
    label: `pipenv ${a.subcommand} --system`,
    overrideVariable: 'PIP_BREAK_SYSTEM_PACKAGES',
    hitsSystem: !step.state.venv,
    why: step.state.venv ? 'a venv is active' : 'pipenv --system runs pip for the system Python',
  };
  return withEnvOverride(check, step);
}

/**
 * Poetry with `virtualenvs.create false` works on the Python it runs with. Its installs are not
 * refused (Poetry 1.3 runs pip with --prefix, Poetry 2 installs wheels itself: silent-system-install),
 * but it removes packages with `python -m pip uninstall`, which is (indirect-pip.md P07, rule 3;
 * `sync` and `install --sync` by the same code path, inferred). Under sudo the variable is dropped and
 * root's configuration read: override-dropped-by-sudo's.
 */
function checkPoetryRemoval(
  step: Step,
  a: Extract<Step['action'], { kind: 'poetry' }>,
  platform: PlatformPip,
): InstallCheck | null {
  const sync = a.subcommand === 'install' && step.command.argv.some((w) => w.value === '--sync');
  if (a.subcommand !== 'remove' && a.subcommand !== 'sync' && !sync) return null;
  // under sudo only the variable that gets past it counts (`sudo -E`, `sudo VAR=…`): root reads its own
  // configuration, not the user's (indirect-pip.md P12, P13)
  const variable = lookupVar(step, 'POETRY_VIRTUALENVS_CREATE').seen;
  const off =
    variable !== undefined
      ? pipBoolean(variable.value) === false &&
        `POETRY_VIRTUALENVS_CREATE=${variable.value} (${variable.source})`
      : !step.command.sudo && step.state.poetryNoVenv;
  if (!off) return null;
  const target = bareTargetsSystem(step, platform);
  const check: InstallCheck = {
    tool: 'poetry',
    label: sync ? 'poetry install --sync' : `poetry ${a.subcommand}`,
    overrideVariable: 'PIP_BREAK_SYSTEM_PACKAGES',
    hitsSystem: target.system,
    why: target.system ? off : target.why,
  };
  return withEnvOverride(check, step);
}

/**
 * Ansible's pip module on this machine runs pip for the target's Python (environments.md §4): the
 * system's, unless `virtualenv=`/`executable=` or `ansible_python_interpreter` point elsewhere. With a
 * venv active, Ansible's own interpreter may be that venv's: not judged.
 */
function checkAnsiblePip(
  step: Step,
  a: Extract<Step['action'], { kind: 'ansible-pip' }>,
  platform: PlatformPip,
): InstallCheck {
  const base = {
    tool: 'ansible' as const,
    label: 'ansible -m pip',
    overrideVariable: 'PIP_BREAK_SYSTEM_PACKAGES' as const,
  };
  const no = (why: string): InstallCheck => ({ ...base, hitsSystem: false, why });
  const venv = a.options.get('virtualenv');
  if (venv) return no(`virtualenv=${venv}`);
  const elsewhere = [a.options.get('executable'), a.interpreter].find(
    (p) => p !== undefined && (!pathTargetsSystem(p) || VENV_DIR.test(p)),
  );
  if (elsewhere) return no(`${elsewhere} is not the system Python`);
  const target = bareTargetsSystem(step, platform);
  if (!target.system) return no(target.why);
  const check: InstallCheck = {
    ...base,
    hitsSystem: true,
    why: "the pip module installs into the target's system Python",
  };
  // the module's own switch (ansible-core ≥ 2.17), or the flag handed to pip
  const own = a.options.get('break_system_packages');
  if (own !== undefined && pipBoolean(own) === true) check.override = 'break_system_packages=true';
  else if (a.options.get('extra_args')?.includes('--break-system-packages'))
    check.override = 'extra_args=--break-system-packages';
  return check.override ? check : withEnvOverride(check, step);
}

function checkPipSync(
  step: Step,
  a: Extract<Step['action'], { kind: 'pip-sync' }>,
  platform: PlatformPip,
): InstallCheck {
  const base = {
    tool: 'pip-sync' as const,
    label: 'pip-sync',
    overrideVariable: 'PIP_BREAK_SYSTEM_PACKAGES' as const,
  };
  if (
    a.pythonExecutable !== undefined &&
    (!pathTargetsSystem(a.pythonExecutable) || VENV_DIR.test(a.pythonExecutable))
  ) {
    return { ...base, hitsSystem: false, why: `--python-executable ${a.pythonExecutable}` };
  }
  // it runs pip as `sys.executable -m pip` (indirect-pip.md T03): a venv's own (`.venv/bin/pip-sync`) syncs the venv
  const program = step.command.argv[0]?.value ?? '';
  if (a.pythonExecutable === undefined && !pathTargetsSystem(program))
    return { ...base, hitsSystem: false, why: `${program} runs on its own environment's Python` };
  const target =
    a.pythonExecutable !== undefined
      ? { system: true, why: `--python-executable ${a.pythonExecutable}` }
      : bareTargetsSystem(step, platform);
  const check: InstallCheck = { ...base, hitsSystem: target.system, why: target.why };
  return withEnvOverride(check, step);
}
