/**
 * pip's command line as pip parses it: general options before the subcommand, `--opt=value` and
 * `--opt value`, combined short flags (`-qU`, `-Ur req.txt`), and the install options that decide
 * whether PEP 668's check runs. Also: how a Python interpreter is spelled (`python3.11 -m pip`).
 */
import type { Word } from './tokenize.ts';

/** General options that take a value (pip/_internal/cli/cmdoptions.py, general_group). */
const GENERAL_WITH_VALUE = new Set([
  '--python',
  '--log',
  '--log-file',
  '--local-log',
  '--proxy',
  '--retries',
  '--timeout',
  '--exists-action',
  '--trusted-host',
  '--cert',
  '--client-cert',
  '--cache-dir',
  '--use-feature',
  '--use-deprecated',
  '--keyring-provider',
  '--resume-retries',
]);

/** install/uninstall/download/wheel options that take a value. */
const COMMAND_WITH_VALUE = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-t',
  '--target',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--root',
  '--prefix',
  '--src',
  '--upgrade-strategy',
  '--global-option',
  '--install-option',
  '-C',
  '--config-settings',
  '--no-binary',
  '--only-binary',
  '--progress-bar',
  '--root-user-action',
  '--report',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--group',
  '-d',
  '--dest',
  '-w',
  '--wheel-dir',
  '--build-option',
  // list/freeze/config
  '--format',
  '--path',
  '--exclude',
  '--editor',
]);

/**
 * Long options that take no value, general and install/uninstall ones (pip/_internal/cli/cmdoptions.py,
 * pip/_internal/commands/install.py). With those above they are what an abbreviation is resolved
 * against: pip's optparse accepts any unambiguous prefix (`--targ` is `--target`).
 */
const FLAGS = [
  '--help',
  '--debug',
  '--isolated',
  '--require-virtualenv',
  '--verbose',
  '--version',
  '--quiet',
  '--no-input',
  '--no-cache-dir',
  '--disable-pip-version-check',
  '--no-color',
  '--no-python-version-warning',
  '--no-deps',
  '--pre',
  '--dry-run',
  '--user',
  '--no-user',
  '--upgrade',
  '--force-reinstall',
  '--ignore-installed',
  '--ignore-requires-python',
  '--no-build-isolation',
  '--use-pep517',
  '--no-use-pep517',
  '--check-build-dependencies',
  '--break-system-packages',
  '--compile',
  '--no-compile',
  '--no-warn-script-location',
  '--no-warn-conflicts',
  '--prefer-binary',
  '--require-hashes',
  '--no-clean',
  '--no-index',
  '--yes',
];
const LONG_OPTIONS = [...FLAGS, ...GENERAL_WITH_VALUE, ...COMMAND_WITH_VALUE].filter((o) =>
  o.startsWith('--'),
);
/**
 * `pip config`'s own options (pip/_internal/commands/configuration.py): after that subcommand
 * `--global` is the site-wide file, not an abbreviation of install's `--global-option`.
 */
const CONFIG_FLAGS = ['--global', '--user', '--site'];

/**
 * The long option `name` stands for: itself, or the one known option it is an unambiguous prefix of;
 * `ambiguous` when it is a prefix of several (pip then stops: "ambiguous option: --upgr (--upgrade,
 * --upgrade-strategy?)", measured with pip 23.0.1).
 */
function resolveLong(name: string, subcommand: string | null): { name: string; ambiguous: boolean } {
  if (LONG_OPTIONS.includes(name) || (subcommand === 'config' && CONFIG_FLAGS.includes(name)))
    return { name, ambiguous: false };
  const matches = LONG_OPTIONS.filter((o) => o.startsWith(name));
  return matches.length === 1
    ? { name: matches[0]!, ambiguous: false }
    : { name, ambiguous: matches.length > 1 };
}

/** Short options that take a value (so `-Ur x` is `-U -r x`). */
const SHORT_WITH_VALUE = new Set(['r', 'c', 'e', 't', 'i', 'f', 'C', 'd', 'w']);

export interface PipArgs {
  subcommand: string | null;
  subcommandWord?: Word;
  /** `--python X` (pip ≥ 22.3) before the subcommand: the interpreter pip really installs into. */
  python?: string;
  /** `--python` after the subcommand: pip stops with "must be placed before the pip subcommand name" (Z08). */
  pythonMisplaced: boolean;
  /** A long option abbreviated so that it fits several (`--upgr`): pip stops with a usage error. */
  ambiguousOption?: string;
  isolated: boolean;
  user: boolean;
  noUser: boolean;
  target: boolean;
  prefix: boolean;
  root: boolean;
  dryRun: boolean;
  report: boolean;
  /** `--break-system-packages` after install/uninstall (accepted by pip ≥ 23.0.1). */
  breakSystemPackages: boolean;
  /**
   * `--break-system-packages` where pip does not accept it, so it exits 2 "no such option": before the
   * subcommand, or after one other than install/uninstall (shared/knowledge/pip-behaviour.md S24, S29).
   */
  breakFlagMisplaced: boolean;
  upgrade: boolean;
  forceReinstall: boolean;
  ignoreInstalled: boolean;
  requirements: string[];
  editables: string[];
  /** Positional arguments after the subcommand (package specs, paths). */
  packages: Word[];
  /** The words of options, as given (for messages). */
  options: string[];
}

export function parsePipArgs(args: Word[]): PipArgs {
  const out: PipArgs = {
    subcommand: null,
    pythonMisplaced: false,
    isolated: false,
    user: false,
    noUser: false,
    target: false,
    prefix: false,
    root: false,
    dryRun: false,
    report: false,
    breakSystemPackages: false,
    breakFlagMisplaced: false,
    upgrade: false,
    forceReinstall: false,
    ignoreInstalled: false,
    requirements: [],
    editables: [],
    packages: [],
    options: [],
  };
  const set = (name: string, value: string | undefined) => {
    switch (name) {
      case '--python':
        if (out.subcommand !== null) out.pythonMisplaced = true;
        else if (value !== undefined) out.python = value;
        break;
      case '--isolated':
        out.isolated = true;
        break;
      case '--user':
        out.user = true;
        break;
      case '--no-user':
        out.noUser = true;
        break;
      case '-t':
      case '--target':
        out.target = true;
        break;
      case '--prefix':
        out.prefix = true;
        break;
      case '--root':
        out.root = true;
        break;
      case '--dry-run':
        out.dryRun = true;
        break;
      case '--report':
        out.report = true;
        break;
      case '--break-system-packages':
        if (out.subcommand === 'install' || out.subcommand === 'uninstall') out.breakSystemPackages = true;
        else out.breakFlagMisplaced = true;
        break;
      case '-U':
      case '--upgrade':
        out.upgrade = true;
        break;
      case '--force-reinstall':
        out.forceReinstall = true;
        break;
      case '-I':
      case '--ignore-installed':
        out.ignoreInstalled = true;
        break;
      case '-r':
      case '--requirement':
        if (value !== undefined) out.requirements.push(value);
        break;
      case '-e':
      case '--editable':
        if (value !== undefined) out.editables.push(value);
        break;
    }
  };

  let k = 0;
  let endOfOptions = false;
  while (k < args.length) {
    const w = args[k]!;
    const v = w.value;
    k++;
    if (!endOfOptions && v === '--') {
      endOfOptions = true;
      continue;
    }
    if (!endOfOptions && v.startsWith('--') && v.length > 2) {
      out.options.push(v);
      const eq = v.indexOf('=');
      const long = resolveLong(eq === -1 ? v : v.slice(0, eq), out.subcommand);
      if (long.ambiguous) out.ambiguousOption ??= long.name;
      const name = long.name;
      const takesValue = GENERAL_WITH_VALUE.has(name) || COMMAND_WITH_VALUE.has(name);
      let value: string | undefined;
      if (eq !== -1) value = v.slice(eq + 1);
      else if (takesValue) value = args[k++]?.value;
      set(name, value);
      continue;
    }
    if (!endOfOptions && v.startsWith('-') && v.length > 1) {
      out.options.push(v);
      // combined short flags: -qqU, -Ur req.txt, -rreq.txt
      for (let j = 1; j < v.length; j++) {
        const letter = v[j]!;
        if (SHORT_WITH_VALUE.has(letter)) {
          const attached = v.slice(j + 1);
          set(`-${letter}`, attached !== '' ? attached : args[k++]?.value);
          break;
        }
        set(`-${letter}`, undefined);
      }
      continue;
    }
    if (out.subcommand === null) {
      out.subcommand = v;
      out.subcommandWord = w;
      continue;
    }
    out.packages.push(w);
  }
  return out;
}

export interface PythonArgs {
  /** `-m MODULE`, if given. */
  module?: string;
  /** Words after the module name (its arguments). */
  moduleArgs: Word[];
  /** `-c CODE`, if given. */
  code?: string;
  isolated: boolean;
}

const PYTHON_WITH_VALUE = new Set(['-W', '-X', '--check-hash-based-pycs']);

/** `python3 [options] -m MODULE args…` */
export function parsePythonArgs(args: Word[]): PythonArgs {
  const out: PythonArgs = { moduleArgs: [], isolated: false };
  for (let k = 0; k < args.length; k++) {
    const v = args[k]!.value;
    if (!v.startsWith('-') || v === '-') return out; // a script file: not our business
    if (v === '--') return out;
    if (PYTHON_WITH_VALUE.has(v)) {
      k++;
      continue;
    }
    if (v.startsWith('--')) continue;
    for (let j = 1; j < v.length; j++) {
      const letter = v[j]!;
      if (letter === 'I') out.isolated = true;
      if (letter === 'm' || letter === 'c') {
        const attached = v.slice(j + 1);
        const value = attached !== '' ? attached : args[++k]?.value;
        if (letter === 'm') {
          if (value !== undefined) out.module = value;
          out.moduleArgs = args.slice(k + 1);
        } else if (value !== undefined) out.code = value;
        return out;
      }
      if (letter === 'W' || letter === 'X') {
        if (j === v.length - 1) k++;
        break;
      }
    }
  }
  return out;
}

/**
 * `python`, `python3`, `python3.12`, `python3.12d`, `python3.13t` (free-threaded)… and PyPy's `pypy3`,
 * `pypy3.10` (basename only).
 */
export const PYTHON_NAME = /^(python(\d+(\.\d+)?)?[dmut]?|pypy(\d+(\.\d+)?)?)$/;
/** `pip`, `pip3`, `pip3.12` (basename only). */
export const PIP_NAME = /^pip(\d+(\.\d+)?)?$/;

/** The distribution name of a requirement spec: `Requests[socks]>=2` → `requests`. */
export function requirementName(spec: string): string {
  return spec.toLowerCase().replace(/[[<>=!~;@ ].*$/, '');
}
