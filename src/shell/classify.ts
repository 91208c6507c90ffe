/**
 * What a simple command means for Python packaging: a pip call (in all its spellings), a tool that
 * calls pip for you, a venv being made or activated, an environment change, a system package
 * install, a directory change — or nothing we care about. Pure: looks only at the words.
 */
import { type Assignment, basename, type Command, foundPaths } from './commands.ts';
import { PIP_NAME, type PipArgs, PYTHON_NAME, parsePipArgs, parsePythonArgs } from './pip.ts';
import { tokenize, type Word } from './tokenize.ts';

/** A path to a Python's PEP 668 marker file. */
export const MARKER = /(^|\/)EXTERNALLY-MANAGED$/;

/** How the program that runs pip was named. */
export interface Interpreter {
  /** argv[0] as written. */
  spelled: string;
  /** `pip …` script or `python -m pip`. */
  form: 'pip-script' | 'python-module';
  /** Directory part of argv[0], when it was a path (`.venv/bin/pip` → `.venv/bin`). */
  dir?: string;
}

export type PackageManager = 'apt' | 'apk' | 'dnf' | 'pacman' | 'zypper' | 'brew';

export type Action =
  | { kind: 'pip'; interpreter: Interpreter; args: PipArgs }
  | { kind: 'flit-install'; interpreter: Interpreter; python?: string; symlink: boolean; noDeps: boolean }
  | {
      kind: 'uv-pip';
      subcommand: string | null;
      system: boolean;
      python?: string;
      breakSystemPackages: boolean;
    }
  | { kind: 'pipenv'; subcommand: string | null; system: boolean }
  | { kind: 'pip-sync'; pythonExecutable?: string }
  | { kind: 'venv-create'; tool: 'venv' | 'virtualenv' | 'uv'; dir: string; interpreter: Interpreter }
  | { kind: 'activate'; dir: string }
  | { kind: 'conda-activate'; env: string }
  /**
   * `eval "$(pyenv init -)"`, `eval "$(conda shell.bash hook)"`: shell code from a Python manager that
   * may put its Python first on PATH, depending on settings a CI file does not show.
   */
  | { kind: 'python-manager-hook'; by: string }
  | { kind: 'deactivate' }
  /** `export A=1 B`: `B` (in `names`) exports the shell variable set earlier, with its value. */
  | { kind: 'export'; assignments: Assignment[]; names: string[] }
  | { kind: 'assign'; assignments: Assignment[] }
  | { kind: 'unset'; names: string[] }
  | { kind: 'package-install'; manager: PackageManager; packages: Word[] }
  | { kind: 'pipx'; subcommand: string | null; packages: Word[] }
  | { kind: 'cd'; dir: string | null }
  | { kind: 'remote'; via: string }
  /**
   * `docker run [options] IMAGE [command…]`: the command runs in a new container of IMAGE, with the
   * `-e NAME=value` / `-e NAME` variables in `env`; `name` is `--name`, for a later `docker exec`.
   */
  | { kind: 'container-run'; via: string; image: Word; command: Word[]; env: string[]; name?: string }
  /** `docker exec [options] CONTAINER command…`: the command runs in a running container. */
  | { kind: 'container-exec'; via: string; container: string; command: Word[]; env: string[] }
  /** `python3 -m ensurepip`: disabled on Debian's Python, refused on other managed ones, no override. */
  | { kind: 'ensurepip'; interpreter: Interpreter }
  /** `python3 get-pip.py`: pip installing itself; refused like pip on a managed Python. */
  | { kind: 'get-pip'; interpreter: Interpreter; args: PipArgs }
  /** `python3 setup.py install|develop`: installs without pip (not refused with setuptools < 80). */
  | { kind: 'setup-py'; subcommand: string; interpreter: Interpreter }
  /**
   * `rm`/`mv`/`unlink`/`find -delete` naming an `EXTERNALLY-MANAGED` marker; whose marker it takes
   * away, if any, is engine/marker.ts's to say.
   */
  | { kind: 'marker-removed' }
  | { kind: 'poetry'; subcommand: string | null }
  /**
   * `ansible localhost -c local -m pip -a 'name=x …'`: Ansible's pip module on the job's own machine
   * (an ad-hoc command whose target is visible); `options` are the module's `key=value` arguments.
   */
  | { kind: 'ansible-pip'; options: Map<string, string>; interpreter?: string }
  /** `make [-C DIR] [-f FILE] [NAME=value …] [TARGET …]`; `dryRun` (`-n`) prints recipes without running them. */
  | {
      kind: 'make';
      directory?: string;
      file?: string;
      targets: string[];
      variables: [string, string][];
      dryRun: boolean;
    }
  | { kind: 'other'; name: string };

/**
 * The shell code of `$(pyenv init -)` (its shims; whichever version pyenv selects, the system's
 * included) or `$(conda shell.bash hook)` (conda's function; base activated only if conda's
 * auto_activate setting says so), run where eval's text starts with it.
 */
function managerHook(word: string): string | undefined {
  if (!/^\s*[$`]/.test(word)) return undefined; // every command's name comes here: most are plain
  const inner = /^(?:\$\((.*)\)|`(.*)`)$/s.exec(word.trim());
  const code = (inner?.[1] ?? inner?.[2])?.trim();
  if (code === undefined) return undefined;
  if (/^(\S*\/)?pyenv\s+(init|virtualenv-init)\b/.test(code)) return '`pyenv init`';
  if (/^(\S*\/)?(conda|mamba|micromamba)\s+shell(\.\w+)?\s+hook\b/.test(code)) return "conda's shell hook";
  return undefined;
}

const VENV_MODULES = new Set(['venv', 'virtualenv']);
/** Options that take a value, so the value is not read as the venv directory. */
const VENV_WITH_VALUE = new Set(['--prompt']);
const VIRTUALENV_WITH_VALUE = new Set([
  '-p',
  '--python',
  '--prompt',
  '--activators',
  '--seeder',
  '--creator',
  '--app-data',
  '--discovery',
  '--extra-search-dir',
  '--pip',
  '--setuptools',
  '--wheel',
  '--try-first-with',
]);

/**
 * What a command does. `stdin` is what a pipeline feeds it, when known: `curl URL | python3 -` runs
 * the script at URL.
 */
export function classify(cmd: Command, stdin?: { url: string }): Action {
  const argv = cmd.argv;
  if (argv.length === 0) return { kind: 'assign', assignments: cmd.assignments };
  const first = argv[0]!;
  const hook = managerHook(first.value);
  if (hook) return { kind: 'python-manager-hook', by: hook };
  const name = basename(first.value);
  const args = argv.slice(1);
  const dir = first.value.includes('/') ? first.value.slice(0, first.value.lastIndexOf('/')) : undefined;
  const interp = (form: Interpreter['form']): Interpreter => {
    const i: Interpreter = { spelled: first.value, form };
    if (dir !== undefined) i.dir = dir;
    return i;
  };

  if (PIP_NAME.test(name))
    return { kind: 'pip', interpreter: interp('pip-script'), args: parsePipArgs(args) };

  if (PYTHON_NAME.test(name)) {
    const py = parsePythonArgs(args);
    const interpreter = interp('python-module');
    if (py.module === 'pip') return { kind: 'pip', interpreter, args: parsePipArgs(py.moduleArgs) };
    if (py.module && VENV_MODULES.has(py.module)) {
      const target = positional(
        py.moduleArgs,
        py.module === 'venv' ? VENV_WITH_VALUE : VIRTUALENV_WITH_VALUE,
      );
      if (target) return { kind: 'venv-create', tool: py.module as 'venv', dir: target, interpreter };
    }
    if (py.module === 'flit') return flitAction(py.moduleArgs, interpreter) ?? other(name);
    if (py.module === 'pipx') return pipxAction(py.moduleArgs);
    if (py.module === 'uv') return uvAction(py.moduleArgs) ?? other(name);
    if (py.module === 'piptools' && py.moduleArgs[0]?.value === 'sync')
      return pipSyncAction(py.moduleArgs.slice(1));
    if (py.module === 'pipenv') return pipenvAction(py.moduleArgs, cmd);
    if (py.module === 'ensurepip') return { kind: 'ensurepip', interpreter };
    if (py.module === 'poetry') return poetryAction(py.moduleArgs);
    // `python3 -` and a bare `python3` read their program from standard input
    const script = args.find((w) => !w.value.startsWith('-') || w.value === '-');
    const fromStdin = script === undefined || script.value === '-';
    const program = fromStdin ? stdin?.url : script.value;
    if (!py.module && py.code === undefined && program !== undefined) {
      const after = script ? args.slice(args.indexOf(script) + 1) : [];
      if (/(^|\/)get-pip\.py$/.test(program)) {
        // get-pip.py takes `pip install` options; parse them as such
        const parsed = parsePipArgs(after);
        const args = {
          ...parsed,
          subcommand: 'install',
          breakSystemPackages: parsed.breakSystemPackages || parsed.breakFlagMisplaced,
          breakFlagMisplaced: false,
        };
        return { kind: 'get-pip', interpreter, args };
      }
      const sub = after[0]?.value;
      if (/(^|\/)setup\.py$/.test(program) && (sub === 'install' || sub === 'develop')) {
        return { kind: 'setup-py', subcommand: sub, interpreter };
      }
    }
    return other(name);
  }

  switch (name) {
    case 'flit':
      return flitAction(args, interp('pip-script')) ?? other(name);
    case 'virtualenv': {
      const target = positional(args, VIRTUALENV_WITH_VALUE);
      return target
        ? { kind: 'venv-create', tool: 'virtualenv', dir: target, interpreter: interp('pip-script') }
        : other(name);
    }
    case 'uv':
      return uvAction(args) ?? other(name);
    case 'pipenv':
      return pipenvAction(args, cmd);
    case 'pip-sync':
      return pipSyncAction(args);
    case 'pipx':
      return pipxAction(args);
    case '.':
    case 'source': {
      const path = args[0]?.value;
      // `bin/` on POSIX; `Scripts/` is a venv made by Windows' Python (Git Bash on Windows runners)
      if (path && /(^|\/)(bin|Scripts)\/activate$/.test(path))
        return { kind: 'activate', dir: path.replace(/\/?(bin|Scripts)\/activate$/, '') || '.' };
      // conda before 4.4: `source activate ENV` / `source deactivate` run conda's scripts from PATH
      if (path === 'activate' && args[1]) return { kind: 'conda-activate', env: args[1].value };
      if (path === 'deactivate') return { kind: 'deactivate' };
      return other(name);
    }
    case 'conda':
    case 'mamba':
    case 'micromamba':
      if (args[0]?.value === 'activate') return { kind: 'conda-activate', env: args[1]?.value ?? 'base' };
      return other(name);
    case 'deactivate':
      return { kind: 'deactivate' };
    case 'rm':
    case 'mv':
    case 'unlink':
      // under `find … -name EXTERNALLY-MANAGED -exec rm {} ;`, `{}` is each marker found
      return args.some((w) => MARKER.test(w.value === '{}' && cmd.found ? cmd.found : w.value))
        ? { kind: 'marker-removed' }
        : other(name);
    case 'find':
      return args.some((w) => w.value === '-delete') && MARKER.test(foundPaths(argv))
        ? { kind: 'marker-removed' }
        : other(name);
    case 'poetry':
      return poetryAction(args);
    case 'make':
    case 'gmake':
      return makeAction(args);
    case 'export':
      return { kind: 'export', assignments: exportAssignments(args), names: exportedNames(args) };
    case 'declare':
    case 'typeset':
    case 'readonly': {
      // only `-x` exports; otherwise these set a shell variable, which pip does not see unless exported
      const exported = args.some((w) => /^-[A-Za-z]*x/.test(w.value));
      const assignments = exportAssignments(args);
      return exported
        ? { kind: 'export', assignments, names: exportedNames(args) }
        : { kind: 'assign', assignments };
    }
    case 'unset': {
      // `unset -f name` removes a function, not a variable
      if (args.some((w) => w.value === '-f')) return { kind: 'unset', names: [] };
      return { kind: 'unset', names: args.filter((w) => !w.value.startsWith('-')).map((w) => w.value) };
    }
    case 'cd':
    case 'pushd':
      return { kind: 'cd', dir: args.find((w) => !w.value.startsWith('-'))?.value ?? null };
    case 'docker':
    case 'podman':
    case 'nerdctl':
      return containerRun(name, args) ?? { kind: 'remote', via: name };
    case 'ansible':
      return ansibleAction(args);
    case 'ssh':
    case 'kubectl':
    case 'oc':
    case 'vagrant':
    case 'chroot':
    case 'schroot':
    case 'lxc':
    case 'incus':
    case 'multipass':
      return { kind: 'remote', via: name };
  }
  const manager = packageInstall(name, args);
  if (manager) return manager;
  return other(name);
}

function other(name: string): Action {
  return { kind: 'other', name };
}

/** First positional argument, skipping options (and the values of those that take one). */
function positional(args: Word[], withValue: Set<string>): string | undefined {
  const k = positionalIndex(args, withValue);
  return k === -1 ? undefined : args[k]!.value;
}

/** Index of the first positional argument, or -1. */
function positionalIndex(args: Word[], withValue: Set<string>): number {
  for (let k = 0; k < args.length; k++) {
    const v = args[k]!.value;
    if (v.startsWith('-')) {
      if (withValue.has(v)) k++;
      continue;
    }
    return k;
  }
  return -1;
}

function flitAction(args: Word[], interpreter: Interpreter): Action | null {
  const sub = positionalIndex(args, new Set(['-f', '--ini-file']));
  if (sub === -1 || args[sub]!.value !== 'install') return null;
  const rest = args.slice(sub + 1).map((w) => w.value);
  const action: Action = {
    kind: 'flit-install',
    interpreter,
    symlink: rest.some((v) => v === '-s' || v === '--symlink' || v === '--pth-file'),
    noDeps: rest.some((v, k) => v === '--deps=none' || (v === '--deps' && rest[k + 1] === 'none')),
  };
  const py = rest.findIndex((v) => v === '--python' || v.startsWith('--python='));
  if (py !== -1) {
    const v = rest[py]!;
    const value = v.includes('=') ? v.slice(v.indexOf('=') + 1) : rest[py + 1];
    if (value !== undefined) action.python = value;
  }
  return action;
}

/** uv's global options that take a value, which may come before the command (`uv -q --directory d pip …`). */
const UV_GLOBAL_WITH_VALUE = new Set([
  '--directory',
  '--project',
  '--cache-dir',
  '--config-file',
  '--color',
  '--python-preference',
  '--python-fetch',
  '--allow-insecure-host',
]);

function uvAction(allArgs: Word[]): Action | null {
  const at = positionalIndex(allArgs, UV_GLOBAL_WITH_VALUE);
  if (at === -1) return null;
  const args = allArgs.slice(at);
  const values = args.map((w) => w.value);
  if (values[0] === 'venv') {
    const target = positional(args.slice(1), new Set(['-p', '--python', '--prompt']));
    return {
      kind: 'venv-create',
      tool: 'uv',
      dir: target ?? '.venv',
      interpreter: { spelled: 'uv', form: 'pip-script' },
    };
  }
  if (values[0] !== 'pip') return null;
  const rest = values.slice(1);
  const subAt = positionalIndex(args.slice(1), new Set(['-p', '--python']));
  const sub = subAt === -1 ? null : rest[subAt]!;
  const action: Action = {
    kind: 'uv-pip',
    subcommand: sub,
    system: rest.includes('--system'),
    breakSystemPackages: rest.includes('--break-system-packages'),
  };
  const py = rest.findIndex((v) => v === '--python' || v === '-p' || v.startsWith('--python='));
  if (py !== -1) {
    const v = rest[py]!;
    const value = v.includes('=') ? v.slice(v.indexOf('=') + 1) : rest[py + 1];
    if (value !== undefined) action.python = value;
  }
  return action;
}

function pipenvAction(args: Word[], cmd: Command): Action {
  const values = args.map((w) => w.value);
  const subAt = positionalIndex(args, new Set(['--python', '--pypi-mirror']));
  const sub = subAt === -1 ? null : values[subAt]!;
  // pipenv treats 0/false/no/off (any case) as unset
  const envSystem = [...cmd.assignments]
    .reverse()
    .find((a) => a.name === 'PIPENV_SYSTEM' && !cmd.droppedBySudo.includes(a));
  const system =
    values.includes('--system') ||
    (envSystem !== undefined && !['0', 'false', 'no', 'off', ''].includes(envSystem.value.toLowerCase()));
  return { kind: 'pipenv', subcommand: sub, system };
}

/** `docker run` options that take a value (docker container run --help), so it is not read as the image. */
const RUN_WITH_VALUE = new Set(
  (
    '-a --attach --add-host --cap-add --cap-drop --cgroup-parent --cidfile --cpus --cpu-shares -c --cpuset-cpus ' +
    '--device --dns --entrypoint -e --env --env-file --expose --gpus --group-add -h --hostname --ip --ipc -l ' +
    '--label --log-driver --log-opt -m --memory --mount --name --network --net --pid --platform -p --publish ' +
    '--pull --restart --runtime --security-opt --shm-size --stop-signal --tmpfs --ulimit -u --user --userns ' +
    '-v --volume --volumes-from -w --workdir'
  ).split(' '),
);

function containerRun(via: string, args: Word[]): Action | null {
  let k = 0;
  while (k < args.length && args[k]!.value.startsWith('-')) k++; // global options (`docker --context x run`) are rare
  const sub = args[k]?.value === 'container' ? args[k + 1]?.value : args[k]?.value;
  if (sub !== 'run' && sub !== 'exec') return null;
  k += args[k]!.value === 'container' ? 2 : 1;
  const env: string[] = [];
  let name: string | undefined;
  while (k < args.length) {
    const v = args[k]!.value;
    if (!v.startsWith('-')) break;
    const eq = v.indexOf('=');
    const option = eq === -1 ? v : v.slice(0, eq);
    const value = eq !== -1 ? v.slice(eq + 1) : RUN_WITH_VALUE.has(v) ? args[k + 1]?.value : undefined;
    if ((option === '-e' || option === '--env') && value !== undefined) env.push(value);
    if (option === '--name' && value !== undefined) name = value;
    k += eq === -1 && RUN_WITH_VALUE.has(v) ? 2 : 1;
  }
  const target = args[k];
  // a container named by an expansion is not known; an image may be (`debian:$TAG`: engine/simulate.ts)
  if (!target || (target.dynamic && sub === 'exec')) return null;
  const command = args.slice(k + 1);
  if (sub === 'exec') return { kind: 'container-exec', via, container: target.value, command, env };
  return { kind: 'container-run', via, image: target, command, env, ...(name ? { name } : {}) };
}

/** make options that take a value (GNU make --help). */
const MAKE_WITH_VALUE = new Set(['-C', '-f', '-I', '-o', '-W', '-l', '--directory', '--file', '--makefile']);

function makeAction(args: Word[]): Action {
  const action: Extract<Action, { kind: 'make' }> = {
    kind: 'make',
    targets: [],
    variables: [],
    dryRun: false,
  };
  const take = (option: string, value: string | undefined) => {
    if (value === undefined) return;
    if (option === '-C' || option === '--directory') {
      action.directory = action.directory ? `${action.directory}/${value}` : value; // -C is cumulative
    }
    if (option === '-f' || option === '--file' || option === '--makefile') action.file = value;
  };
  for (let k = 0; k < args.length; k++) {
    const v = args[k]!.value;
    const long = /^(--[a-z-]+)=(.*)$/.exec(v);
    if (long) take(long[1]!, long[2]);
    else if (MAKE_WITH_VALUE.has(v)) take(v, args[++k]?.value);
    else if (/^-[CfIoWl]./.test(v)) take(v.slice(0, 2), v.slice(2));
    else if (v === '-j' || v === '--jobs') {
      if (/^\d+$/.test(args[k + 1]?.value ?? '')) k++; // `-j 4`: the count is optional
    } else if (['--dry-run', '--just-print', '--recon'].includes(v) || /^-[a-zA-Z]*n/.test(v))
      action.dryRun = true;
    else if (v.startsWith('-')) continue;
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
      const eq = v.indexOf('=');
      action.variables.push([v.slice(0, eq), v.slice(eq + 1)]);
    } else action.targets.push(v);
  }
  return action;
}

/** `ansible` options that take a value (ansible --help). */
const ANSIBLE_WITH_VALUE = new Set(
  '-m --module-name -a --args -c --connection -i --inventory --inventory-file -e --extra-vars -u --user -f --forks -l --limit -t --tree -M --module-path -P --poll -B --background -T --timeout --private-key --key-file --become-method --become-user --vault-id --vault-password-file'.split(
    ' ',
  ),
);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** An ad-hoc `ansible` run of the pip module on this machine; any other target is somewhere else. */
function ansibleAction(args: Word[]): Action {
  const opts = new Map<string, string>();
  let pattern: string | undefined;
  for (let k = 0; k < args.length; k++) {
    const v = args[k]!.value;
    const eq = v.indexOf('=');
    if (v.startsWith('--') && eq !== -1) opts.set(v.slice(0, eq), v.slice(eq + 1));
    else if (ANSIBLE_WITH_VALUE.has(v)) opts.set(v, args[++k]?.value ?? '');
    else if (/^-[mac]./.test(v)) opts.set(v.slice(0, 2), v.slice(2));
    else if (!v.startsWith('-')) pattern ??= v;
  }
  const get = (...names: string[]) => names.map((n) => opts.get(n)).find((x) => x !== undefined);
  const local = get('-c', '--connection') === 'local' || LOCAL_HOSTS.has(pattern ?? '');
  const module = get('-m', '--module-name');
  if (!local || (module !== 'pip' && module !== 'ansible.builtin.pip'))
    return { kind: 'remote', via: 'ansible' };
  const options = new Map<string, string>();
  for (const w of tokenize(get('-a', '--args') ?? '')) {
    if (w.kind !== 'word' || !w.value.includes('=')) continue;
    options.set(w.value.slice(0, w.value.indexOf('=')), w.value.slice(w.value.indexOf('=') + 1));
  }
  const interpreter = /(?:^|\s)ansible_python_interpreter=(\S+)/.exec(get('-e', '--extra-vars') ?? '')?.[1];
  return { kind: 'ansible-pip', options, ...(interpreter ? { interpreter } : {}) };
}

function poetryAction(args: Word[]): Action {
  return { kind: 'poetry', subcommand: args.find((w) => !w.value.startsWith('-'))?.value ?? null };
}

function pipSyncAction(args: Word[]): Action {
  const values = args.map((w) => w.value);
  const k = values.findIndex((v) => v === '--python-executable' || v.startsWith('--python-executable='));
  if (k === -1) return { kind: 'pip-sync' };
  const v = values[k]!;
  const value = v.includes('=') ? v.slice(v.indexOf('=') + 1) : values[k + 1];
  return value === undefined ? { kind: 'pip-sync' } : { kind: 'pip-sync', pythonExecutable: value };
}

/** pipx options that take a value (`--python python3.12`), so the value is not read as a package. */
const PIPX_WITH_VALUE = new Set([
  '--python',
  '--pip-args',
  '--index-url',
  '-i',
  '--suffix',
  '--spec',
  '--preinstall',
  '--editable',
  '-e',
]);

function pipxAction(args: Word[]): Action {
  const k = positionalIndex(args, PIPX_WITH_VALUE);
  if (k === -1) return { kind: 'pipx', subcommand: null, packages: [] };
  const packages: Word[] = [];
  const rest = args.slice(k + 1);
  for (let j = 0; j < rest.length; j++) {
    const v = rest[j]!.value;
    if (v.startsWith('-')) {
      if (PIPX_WITH_VALUE.has(v)) j++;
      continue;
    }
    packages.push(rest[j]!);
  }
  return { kind: 'pipx', subcommand: args[k]!.value, packages };
}

/** Names given without a value (`export NAME`): the shell variable NAME becomes part of the environment. */
function exportedNames(args: Word[]): string[] {
  return args.filter((w) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(w.value)).map((w) => w.value);
}

function exportAssignments(args: Word[]): Assignment[] {
  const out: Assignment[] = [];
  for (const w of args) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w.value);
    if (m) out.push({ name: m[1]!, value: w.value.slice(m[0].length), word: w, dynamic: w.dynamic });
  }
  return out;
}

const INSTALL_VERBS: Record<string, { manager: PackageManager; verbs: string[] }> = {
  'apt-get': { manager: 'apt', verbs: ['install'] },
  apt: { manager: 'apt', verbs: ['install'] },
  aptitude: { manager: 'apt', verbs: ['install'] },
  apk: { manager: 'apk', verbs: ['add'] },
  dnf: { manager: 'dnf', verbs: ['install'] },
  yum: { manager: 'dnf', verbs: ['install'] },
  microdnf: { manager: 'dnf', verbs: ['install'] },
  zypper: { manager: 'zypper', verbs: ['install', 'in'] },
  brew: { manager: 'brew', verbs: ['install'] },
};

/** Options of package managers that take a value, so their value is not read as a package. */
const PM_WITH_VALUE = new Set([
  '-o',
  '-c',
  '-t',
  '--target-release',
  '--option',
  '-X',
  '--repository',
  '--setopt',
  '--virtual',
]);

function packageInstall(name: string, args: Word[]): Action | null {
  if (name === 'pacman' || name === 'yay' || name === 'paru') {
    const op = args.find((w) => /^-S[a-z]*$/.test(w.value) || w.value === '--sync');
    if (!op) return null;
    // -Ss search, -Si info, -Sl list, -Sg groups, -Sc clean, -Sp print, -Sw download: nothing installed
    if (/^-S[a-z]*[silgcpw]/.test(op.value)) return null;
    if (args.some((w) => /^--(search|info|list|groups|clean|print|downloadonly)$/.test(w.value))) return null;
    return {
      kind: 'package-install',
      manager: 'pacman',
      packages: packageWords(args.filter((w) => w !== op)),
    };
  }
  const spec = INSTALL_VERBS[name];
  if (!spec) return null;
  const verbAt = args.findIndex((w) => spec.verbs.includes(w.value));
  if (verbAt === -1) return null;
  // only options may stand before the verb (`apt-get -y install …`)
  if (args.slice(0, verbAt).some((w) => !w.value.startsWith('-') && !PM_WITH_VALUE.has(w.value))) {
    const prevIsOpt = (k: number) => k > 0 && PM_WITH_VALUE.has(args[k - 1]!.value);
    if (args.slice(0, verbAt).some((w, k) => !w.value.startsWith('-') && !prevIsOpt(k))) return null;
  }
  return { kind: 'package-install', manager: spec.manager, packages: packageWords(args.slice(verbAt + 1)) };
}

function packageWords(args: Word[]): Word[] {
  const out: Word[] = [];
  for (let k = 0; k < args.length; k++) {
    const v = args[k]!.value;
    if (v.startsWith('-')) {
      if (PM_WITH_VALUE.has(v)) k++;
      continue;
    }
    out.push(args[k]!);
  }
  return out;
}
