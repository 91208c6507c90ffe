/**
 * Classifier tables (in the style of zizmor's `test_is_adhoc_install_command`): one row per spelling,
 * `[script, expected summary]`, where the summary is the Action with words replaced by their values
 * and empty fields left out. Forms ci-lint does not support yet stay in the TODO table, visible.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Action, classify } from '../src/shell/classify.ts';
import { parseCommands } from '../src/shell/commands.ts';
import { PIP_NAME, PYTHON_NAME, parsePipArgs, parsePythonArgs } from '../src/shell/pip.ts';
import { tokenize, type Word } from '../src/shell/tokenize.ts';

type Summary = Record<string, unknown>;

const PIP_FLAGS = [
  'isolated',
  'user',
  'noUser',
  'target',
  'prefix',
  'root',
  'dryRun',
  'report',
  'breakSystemPackages',
  'breakFlagMisplaced',
  'upgrade',
  'forceReinstall',
  'ignoreInstalled',
] as const;

/** Drops undefined fields and empty arrays, so rows list only what matters. */
function compact(o: Summary): Summary {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  );
}
const values = (ws: Word[]) => ws.map((w) => w.value);

function summarize(a: Action): Summary {
  switch (a.kind) {
    case 'pip':
      return compact({
        kind: 'pip',
        spelled: a.interpreter.spelled,
        form: a.interpreter.form,
        dir: a.interpreter.dir,
        sub: a.args.subcommand,
        on: PIP_FLAGS.filter((f) => a.args[f]),
        python: a.args.python,
        req: a.args.requirements,
        ed: a.args.editables,
        pkgs: values(a.args.packages),
      });
    case 'flit-install':
    case 'venv-create': {
      const { interpreter, ...rest } = a;
      return compact({
        ...rest,
        spelled: interpreter.spelled,
        form: interpreter.form,
        interpDir: interpreter.dir,
      });
    }
    case 'export':
    case 'assign':
      return { kind: a.kind, assignments: a.assignments.map((x) => `${x.name}=${x.value}`) };
    case 'package-install':
      return { kind: a.kind, manager: a.manager, pkgs: values(a.packages) };
    case 'pipx':
      return { kind: a.kind, sub: a.subcommand, pkgs: values(a.packages) };
    case 'container-run':
      return compact({
        kind: a.kind,
        via: a.via,
        image: a.image.value,
        command: values(a.command),
        ...(a.env.length > 0 ? { env: a.env } : {}),
        name: a.name,
      });
    case 'container-exec':
      return { kind: a.kind, via: a.via, container: a.container, command: values(a.command), env: a.env };
    case 'uv-pip':
    case 'pipenv': {
      const { subcommand, ...rest } = a;
      return compact({ ...rest, sub: subcommand });
    }
    default:
      return { ...a };
  }
}

function classifyText(text: string): Summary {
  const commands = parseCommands(text);
  assert.equal(commands.length, 1, `expected one command in ${JSON.stringify(text)}`);
  return summarize(classify(commands[0]!));
}

const pip = (sub: string | null, extra: Summary = {}, spelled = 'pip'): Summary => ({
  kind: 'pip',
  spelled,
  form: 'pip-script',
  sub,
  ...extra,
});
const pyPip = (spelled: string, sub: string | null, extra: Summary = {}): Summary => ({
  kind: 'pip',
  spelled,
  form: 'python-module',
  sub,
  ...extra,
});

type Row = [string, Summary];

const run = (rows: Row[]) => {
  for (const [text, expected] of rows) test(text, () => assert.deepEqual(classifyText(text), expected));
};

describe('classify: pip spellings', () => {
  run([
    ['pip install x', pip('install', { pkgs: ['x'] })],
    ['pip3 install x', pip('install', { pkgs: ['x'] }, 'pip3')],
    ['pip3.12 install x', pip('install', { pkgs: ['x'] }, 'pip3.12')],
    ['python -m pip install x', pyPip('python', 'install', { pkgs: ['x'] })],
    ['python3 -m pip install x', pyPip('python3', 'install', { pkgs: ['x'] })],
    ['python3.11 -m pip install x', pyPip('python3.11', 'install', { pkgs: ['x'] })],
    ['python3.13t -m pip install x', pyPip('python3.13t', 'install', { pkgs: ['x'] })],
    [
      '/usr/bin/python3 -m pip install x',
      pyPip('/usr/bin/python3', 'install', { dir: '/usr/bin', pkgs: ['x'] }),
    ],
    ['.venv/bin/pip install x', pip('install', { dir: '.venv/bin', pkgs: ['x'] }, '.venv/bin/pip')],
    [
      '.venv/bin/python -m pip install x',
      pyPip('.venv/bin/python', 'install', { dir: '.venv/bin', pkgs: ['x'] }),
    ],
    [
      '~/.local/bin/pip3 install x',
      pip('install', { dir: '~/.local/bin', pkgs: ['x'] }, '~/.local/bin/pip3'),
    ],
    ['python -I -m pip install x', pyPip('python', 'install', { pkgs: ['x'] })],
    ['python3 -mpip install x', pyPip('python3', 'install', { pkgs: ['x'] })],
    ['python3 -Im pip install x', pyPip('python3', 'install', { pkgs: ['x'] })],
    ['python3 -W ignore -X utf8 -m pip install x', pyPip('python3', 'install', { pkgs: ['x'] })],
    ['python3 -Wignore -m pip install x', pyPip('python3', 'install', { pkgs: ['x'] })],
    ['sudo -H pip3 install x', pip('install', { pkgs: ['x'] }, 'pip3')],
    ["bash -c 'python3 -m pip install x'", pyPip('python3', 'install', { pkgs: ['x'] })],
    ['"pip" install x', pip('install', { pkgs: ['x'] })],
  ]);
});

describe('classify: pip options', () => {
  run([
    // general options before the subcommand
    ['pip -q --disable-pip-version-check install x', pip('install', { pkgs: ['x'] })],
    ['pip --python .venv/bin/python install x', pip('install', { python: '.venv/bin/python', pkgs: ['x'] })],
    ['pip --python=/usr/bin/python3 install x', pip('install', { python: '/usr/bin/python3', pkgs: ['x'] })],
    ['pip --isolated install x', pip('install', { on: ['isolated'], pkgs: ['x'] })],
    ['pip --cache-dir /tmp/c --log log.txt install x', pip('install', { pkgs: ['x'] })],
    ['pip --retries 3 --timeout=60 --proxy http://p:3128 install x', pip('install', { pkgs: ['x'] })],
    ['pip -v install x', pip('install', { pkgs: ['x'] })],
    ['pip --version', pip(null)],
    ['pip', pip(null)],
    // install options
    ['pip install --upgrade pip', pip('install', { on: ['upgrade'], pkgs: ['pip'] })],
    [
      'pip install -U pip setuptools wheel',
      pip('install', { on: ['upgrade'], pkgs: ['pip', 'setuptools', 'wheel'] }),
    ],
    ['pip install -qqU x', pip('install', { on: ['upgrade'], pkgs: ['x'] })],
    ['pip install -Ur req.txt', pip('install', { on: ['upgrade'], req: ['req.txt'] })],
    ['pip install -rreq.txt', pip('install', { req: ['req.txt'] })],
    ['pip install -r req.txt -r dev.txt', pip('install', { req: ['req.txt', 'dev.txt'] })],
    ['pip install --requirement=req.txt', pip('install', { req: ['req.txt'] })],
    ['pip install --requirement req.txt', pip('install', { req: ['req.txt'] })],
    ['pip install -e .', pip('install', { ed: ['.'] })],
    ['pip install -e.[test]', pip('install', { ed: ['.[test]'] })],
    ['pip install --editable=. x', pip('install', { ed: ['.'], pkgs: ['x'] })],
    ['pip install .', pip('install', { pkgs: ['.'] })],
    ['pip install --user x', pip('install', { on: ['user'], pkgs: ['x'] })],
    ['pip install --no-user x', pip('install', { on: ['noUser'], pkgs: ['x'] })],
    ['pip install -t dir x', pip('install', { on: ['target'], pkgs: ['x'] })],
    ['pip install -tdir x', pip('install', { on: ['target'], pkgs: ['x'] })],
    ['pip install --target=dir x', pip('install', { on: ['target'], pkgs: ['x'] })],
    ['pip install --target dir x', pip('install', { on: ['target'], pkgs: ['x'] })],
    ['pip install --prefix /opt x', pip('install', { on: ['prefix'], pkgs: ['x'] })],
    ['pip install --root /tmp/r x', pip('install', { on: ['root'], pkgs: ['x'] })],
    ['pip install --dry-run x', pip('install', { on: ['dryRun'], pkgs: ['x'] })],
    ['pip install --dry-run --report - x', pip('install', { on: ['dryRun', 'report'], pkgs: ['x'] })],
    [
      'pip install --quiet --dry-run --report=r.json x',
      pip('install', { on: ['dryRun', 'report'], pkgs: ['x'] }),
    ],
    ['pip install --report r.json x', pip('install', { on: ['report'], pkgs: ['x'] })],
    [
      'pip install --force-reinstall -I x',
      pip('install', { on: ['forceReinstall', 'ignoreInstalled'], pkgs: ['x'] }),
    ],
    // --break-system-packages: accepted after install/uninstall, a usage error elsewhere
    ['pip install --break-system-packages x', pip('install', { on: ['breakSystemPackages'], pkgs: ['x'] })],
    ['pip install x --break-system-packages', pip('install', { on: ['breakSystemPackages'], pkgs: ['x'] })],
    ['pip --break-system-packages install x', pip('install', { on: ['breakFlagMisplaced'], pkgs: ['x'] })],
    [
      'pip uninstall -y --break-system-packages x',
      pip('uninstall', { on: ['breakSystemPackages'], pkgs: ['x'] }),
    ],
    ['pip download --break-system-packages x', pip('download', { on: ['breakFlagMisplaced'], pkgs: ['x'] })],
    [
      'python3 -m pip install --break-system-packages x',
      pyPip('python3', 'install', { on: ['breakSystemPackages'], pkgs: ['x'] }),
    ],
    // options whose value is not a package
    [
      'pip install --index-url https://i/simple --extra-index-url https://e -f ./wheels --trusted-host h x',
      pip('install', { pkgs: ['x'] }),
    ],
    ['pip install -i https://i/simple x', pip('install', { pkgs: ['x'] })],
    ['pip install --no-binary :all: --only-binary=:none: x', pip('install', { pkgs: ['x'] })],
    ['pip install -c constraints.txt x', pip('install', { pkgs: ['x'] })],
    ['pip install --config-settings editable_mode=compat -e .', pip('install', { ed: ['.'] })],
    ['pip install -C key=val x', pip('install', { pkgs: ['x'] })],
    ['pip install --upgrade-strategy eager --progress-bar off x', pip('install', { pkgs: ['x'] })],
    ['pip install --root-user-action=ignore --no-cache-dir x', pip('install', { pkgs: ['x'] })],
    ['pip install --build-option --cpp_ext x', pip('install', { pkgs: ['x'] })],
    ['pip install --no-deps --no-build-isolation --pre x', pip('install', { pkgs: ['x'] })],
    [
      'pip install --python-version 3.11 --platform manylinux2014_x86_64 --only-binary=:all: --target t x',
      pip('install', { on: ['target'], pkgs: ['x'] }),
    ],
    ['pip install -- -weird', pip('install', { pkgs: ['-weird'] })],
    [`pip install 'x>=1,<2' "y[extra]"`, pip('install', { pkgs: ['x>=1,<2', 'y[extra]'] })],
    // other subcommands are recorded
    ['pip uninstall -y x', pip('uninstall', { pkgs: ['x'] })],
    ['pip download -d dl x', pip('download', { pkgs: ['x'] })],
    ['pip wheel -w wh .', pip('wheel', { pkgs: ['.'] })],
    ['pip list --format json', pip('list')],
    ['pip list --outdated', pip('list')],
    ['pip freeze --exclude pip', pip('freeze')],
    ['pip show pip', pip('show', { pkgs: ['pip'] })],
    ['pip check', pip('check')],
    [
      'pip config set global.break-system-packages true',
      pip('config', { pkgs: ['set', 'global.break-system-packages', 'true'] }),
    ],
  ]);
  test('options are kept as written', () => {
    const [c] = parseCommands('pip -q install -U --user --target=t x');
    const a = classify(c!);
    assert.equal(a.kind, 'pip');
    if (a.kind === 'pip') {
      assert.deepEqual(a.args.options, ['-q', '-U', '--user', '--target=t']);
      assert.equal(a.args.subcommandWord?.value, 'install');
    }
  });
});

describe('classify: tools that run pip', () => {
  const flit = (extra: Summary = {}, spelled = 'flit', form = 'pip-script'): Summary => ({
    kind: 'flit-install',
    symlink: false,
    noDeps: false,
    ...extra,
    spelled,
    form,
  });
  run([
    ['flit install', flit()],
    ['flit install --python .venv/bin/python', flit({ python: '.venv/bin/python' })],
    ['flit install --python=/usr/bin/python3', flit({ python: '/usr/bin/python3' })],
    ['flit install --symlink', flit({ symlink: true })],
    ['flit install -s', flit({ symlink: true })],
    ['flit install --pth-file', flit({ symlink: true })],
    ['flit install --deps none', flit({ noDeps: true })],
    ['flit install --deps=none --symlink', flit({ symlink: true, noDeps: true })],
    ['flit install --deps develop', flit()],
    ['python3 -m flit install', flit({}, 'python3', 'python-module')],
    ['flit --debug install', flit()],
    ['flit -f pyproject.toml install', flit()],
    ['FLIT_ROOT_INSTALL=1 flit install', flit()],
    ['flit build', { kind: 'other', name: 'flit' }],
    ['flit publish', { kind: 'other', name: 'flit' }],
    // uv
    [
      'uv pip install --system x',
      { kind: 'uv-pip', sub: 'install', system: true, breakSystemPackages: false },
    ],
    ['uv pip install x', { kind: 'uv-pip', sub: 'install', system: false, breakSystemPackages: false }],
    [
      'uv pip install --system --break-system-packages x',
      { kind: 'uv-pip', sub: 'install', system: true, breakSystemPackages: true },
    ],
    [
      'uv pip sync --python /usr/bin/python3 req.txt',
      { kind: 'uv-pip', sub: 'sync', system: false, breakSystemPackages: false, python: '/usr/bin/python3' },
    ],
    [
      'uv pip install -p 3.12 x',
      { kind: 'uv-pip', sub: 'install', system: false, breakSystemPackages: false, python: '3.12' },
    ],
    [
      'uv pip install --python=/usr/bin/python3 x',
      {
        kind: 'uv-pip',
        sub: 'install',
        system: false,
        breakSystemPackages: false,
        python: '/usr/bin/python3',
      },
    ],
    [
      'uv pip uninstall --system x',
      { kind: 'uv-pip', sub: 'uninstall', system: true, breakSystemPackages: false },
    ],
    [
      'uv -q pip install --system x',
      { kind: 'uv-pip', sub: 'install', system: true, breakSystemPackages: false },
    ],
    [
      'uv --directory sub pip install --system x',
      { kind: 'uv-pip', sub: 'install', system: true, breakSystemPackages: false },
    ],
    [
      'python3 -m uv pip install --system x',
      { kind: 'uv-pip', sub: 'install', system: true, breakSystemPackages: false },
    ],
    ['uv sync', { kind: 'other', name: 'uv' }],
    // pipenv
    ['pipenv install --system', { kind: 'pipenv', sub: 'install', system: true }],
    ['pipenv install --system --deploy', { kind: 'pipenv', sub: 'install', system: true }],
    ['pipenv install', { kind: 'pipenv', sub: 'install', system: false }],
    ['pipenv sync --system', { kind: 'pipenv', sub: 'sync', system: true }],
    ['PIPENV_SYSTEM=1 pipenv install', { kind: 'pipenv', sub: 'install', system: true }],
    ['PIPENV_SYSTEM=true pipenv install', { kind: 'pipenv', sub: 'install', system: true }],
    // pipenv reads 0/false/no/off as unset
    ['PIPENV_SYSTEM=0 pipenv install', { kind: 'pipenv', sub: 'install', system: false }],
    ['PIPENV_SYSTEM=false pipenv install', { kind: 'pipenv', sub: 'install', system: false }],
    ['pipenv --python 3.11 install', { kind: 'pipenv', sub: 'install', system: false }],
    ['python -m pipenv install --system', { kind: 'pipenv', sub: 'install', system: true }],
    // pip-tools
    ['pip-sync', { kind: 'pip-sync' }],
    ['pip-sync requirements.txt', { kind: 'pip-sync' }],
    [
      'pip-sync --python-executable /usr/bin/python3 req.txt',
      { kind: 'pip-sync', pythonExecutable: '/usr/bin/python3' },
    ],
    [
      'pip-sync --python-executable=.venv/bin/python',
      { kind: 'pip-sync', pythonExecutable: '.venv/bin/python' },
    ],
    ['python -m piptools sync', { kind: 'pip-sync' }],
    ['python -m piptools compile', { kind: 'other', name: 'python' }],
    // pipx
    ['pipx install x', { kind: 'pipx', sub: 'install', pkgs: ['x'] }],
    ['pipx install --python python3.12 x', { kind: 'pipx', sub: 'install', pkgs: ['x'] }],
    ["pipx install --pip-args='--no-index' x", { kind: 'pipx', sub: 'install', pkgs: ['x'] }],
    ['pipx install --suffix=@1 x', { kind: 'pipx', sub: 'install', pkgs: ['x'] }],
    ['pipx ensurepath', { kind: 'pipx', sub: 'ensurepath', pkgs: [] }],
    ['python3 -m pipx install x', { kind: 'pipx', sub: 'install', pkgs: ['x'] }],
  ]);
});

describe('classify: virtual environments', () => {
  const venv = (dir: string, spelled = 'python3', extra: Summary = {}): Summary => ({
    kind: 'venv-create',
    tool: 'venv',
    dir,
    spelled,
    form: 'python-module',
    ...extra,
  });
  const virtualenv = (dir: string): Summary => ({
    kind: 'venv-create',
    tool: 'virtualenv',
    dir,
    spelled: 'virtualenv',
    form: 'pip-script',
  });
  run([
    ['python3 -m venv .venv', venv('.venv')],
    ['python3 -m venv --system-site-packages /opt/v', venv('/opt/v')],
    ['python3 -m venv --upgrade-deps .venv', venv('.venv')],
    ['python3 -m venv --prompt ci .venv', venv('.venv')],
    ['python3 -m venv --prompt=ci --without-pip --clear v', venv('v')],
    [
      '/usr/bin/python3.11 -m venv /opt/venv',
      venv('/opt/venv', '/usr/bin/python3.11', { interpDir: '/usr/bin' }),
    ],
    ['python3 -m venv', { kind: 'other', name: 'python3' }],
    ['virtualenv -p python3 env', virtualenv('env')],
    ['virtualenv --python=python3 env', virtualenv('env')],
    ['virtualenv --python python3 env', virtualenv('env')],
    ['virtualenv env --system-site-packages', virtualenv('env')],
    ['virtualenv --seeder pip --activators bash v', virtualenv('v')],
    ['python3 -m virtualenv v', venv('v', 'python3', { tool: 'virtualenv' })],
    ['python3 -m virtualenv -p python3.11 v', venv('v', 'python3', { tool: 'virtualenv' })],
    ['uv venv', { kind: 'venv-create', tool: 'uv', dir: '.venv', spelled: 'uv', form: 'pip-script' }],
    [
      'uv venv /opt/v --python 3.12',
      { kind: 'venv-create', tool: 'uv', dir: '/opt/v', spelled: 'uv', form: 'pip-script' },
    ],
    [
      'uv venv -p 3.12 --seed',
      { kind: 'venv-create', tool: 'uv', dir: '.venv', spelled: 'uv', form: 'pip-script' },
    ],
    // activation
    ['. .venv/bin/activate', { kind: 'activate', dir: '.venv' }],
    ['source /opt/v/bin/activate', { kind: 'activate', dir: '/opt/v' }],
    ['. bin/activate', { kind: 'activate', dir: '.' }],
    ['. ./venv/bin/activate', { kind: 'activate', dir: './venv' }],
    ['source "$VENV/bin/activate"', { kind: 'activate', dir: '$VENV' }],
    ['. ~/.profile', { kind: 'other', name: '.' }],
    ['deactivate', { kind: 'deactivate' }],
    ['conda activate x', { kind: 'conda-activate', env: 'x' }],
    ['conda activate', { kind: 'conda-activate', env: 'base' }],
    ['mamba activate ci', { kind: 'conda-activate', env: 'ci' }],
    ['conda install -y pip', { kind: 'other', name: 'conda' }],
  ]);
});

describe('classify: environment changes', () => {
  run([
    [
      'export PIP_BREAK_SYSTEM_PACKAGES=1 A=2',
      { kind: 'export', assignments: ['PIP_BREAK_SYSTEM_PACKAGES=1', 'A=2'] },
    ],
    ['export PATH="$PWD/.venv/bin:$PATH"', { kind: 'export', assignments: ['PATH=$PWD/.venv/bin:$PATH'] }],
    ['export "A=1"', { kind: 'export', assignments: ['A=1'] }],
    ['declare -x A=1', { kind: 'export', assignments: ['A=1'] }],
    ['declare -gx A=1', { kind: 'export', assignments: ['A=1'] }],
    ['typeset -x A=1', { kind: 'export', assignments: ['A=1'] }],
    // without -x these only set a shell variable, like a bare assignment
    ['declare A=1', { kind: 'assign', assignments: ['A=1'] }],
    [
      'readonly PIP_BREAK_SYSTEM_PACKAGES=1',
      { kind: 'assign', assignments: ['PIP_BREAK_SYSTEM_PACKAGES=1'] },
    ],
    ['PIP_BREAK_SYSTEM_PACKAGES=1', { kind: 'assign', assignments: ['PIP_BREAK_SYSTEM_PACKAGES=1'] }],
    ['A=1 B=2', { kind: 'assign', assignments: ['A=1', 'B=2'] }],
    ['unset X Y', { kind: 'unset', names: ['X', 'Y'] }],
    ['unset -v X', { kind: 'unset', names: ['X'] }],
    // unset -f removes functions, not variables
    ['unset -f f', { kind: 'unset', names: [] }],
    ['cd dir', { kind: 'cd', dir: 'dir' }],
    ['cd', { kind: 'cd', dir: null }],
    ['cd -P /x', { kind: 'cd', dir: '/x' }],
    ['pushd sub', { kind: 'cd', dir: 'sub' }],
  ]);
});

describe('classify: system package managers', () => {
  const pm = (manager: string, pkgs: string[]): Summary => ({ kind: 'package-install', manager, pkgs });
  run([
    ['apt-get -y install --no-install-recommends python3-pip', pm('apt', ['python3-pip'])],
    ['apt-get install -y python3-pip python3-venv', pm('apt', ['python3-pip', 'python3-venv'])],
    ['apt-get -o Dpkg::Options::=--force-confnew install -y x', pm('apt', ['x'])],
    ['apt-get install -y -o Dpkg::Options::=--force-confold x', pm('apt', ['x'])],
    ['apt-get install -t bookworm-backports -y pipx', pm('apt', ['pipx'])],
    ['apt-get -qq install python3=3.11.2-1', pm('apt', ['python3=3.11.2-1'])],
    ['DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip', pm('apt', ['python3-pip'])],
    ['sudo apt install -y python3-pip', pm('apt', ['python3-pip'])],
    ['apt-get -qq update', { kind: 'other', name: 'apt-get' }],
    ['apt-get remove -y python3-pip', { kind: 'other', name: 'apt-get' }],
    ['apk add --no-cache py3-pip', pm('apk', ['py3-pip'])],
    ['apk --no-cache add py3-pip python3', pm('apk', ['py3-pip', 'python3'])],
    ['apk add --virtual .build-deps gcc musl-dev', pm('apk', ['gcc', 'musl-dev'])],
    ['apk add -t .build-deps gcc', pm('apk', ['gcc'])],
    ['apk update', { kind: 'other', name: 'apk' }],
    ['dnf install -y python3-pip', pm('dnf', ['python3-pip'])],
    ['dnf -y install python3-pip', pm('dnf', ['python3-pip'])],
    ['dnf install --setopt=install_weak_deps=False -y python3', pm('dnf', ['python3'])],
    ['yum install -y python3-pip', pm('dnf', ['python3-pip'])],
    ['microdnf install python3', pm('dnf', ['python3'])],
    ['pacman -Syu --noconfirm python-pip', pm('pacman', ['python-pip'])],
    ['pacman -S --needed --noconfirm python-pip', pm('pacman', ['python-pip'])],
    ['pacman --noconfirm -Sy python', pm('pacman', ['python'])],
    // -Ss/-Si/-Sc… search, show or clean: nothing is installed
    ['pacman -Ss python', { kind: 'other', name: 'pacman' }],
    ['pacman -Si python-pip', { kind: 'other', name: 'pacman' }],
    ['pacman -Scc --noconfirm', { kind: 'other', name: 'pacman' }],
    ['pacman -Qi python', { kind: 'other', name: 'pacman' }],
    ['zypper install -y python3-pip', pm('zypper', ['python3-pip'])],
    ['zypper -n in python3-pip', pm('zypper', ['python3-pip'])],
    ['brew install python@3.12', pm('brew', ['python@3.12'])],
  ]);
});

describe('classify: remote and other commands', () => {
  run([
    [
      'docker run img pip install x',
      { kind: 'container-run', via: 'docker', image: 'img', command: ['pip', 'install', 'x'] },
    ],
    [
      'docker exec c pip install x',
      { kind: 'container-exec', via: 'docker', container: 'c', command: ['pip', 'install', 'x'], env: [] },
    ],
    [
      'docker exec -e A=1 --env=B c pip install x',
      {
        kind: 'container-exec',
        via: 'docker',
        container: 'c',
        command: ['pip', 'install', 'x'],
        env: ['A=1', 'B'],
      },
    ],
    [
      'podman run --rm img pip install x',
      { kind: 'container-run', via: 'podman', image: 'img', command: ['pip', 'install', 'x'] },
    ],
    [
      'docker run --rm -v "$PWD:/src" -w /src -e A=1 debian:bookworm sh -c "pip install x"',
      {
        kind: 'container-run',
        via: 'docker',
        image: 'debian:bookworm',
        command: ['sh', '-c', 'pip install x'],
        env: ['A=1'],
      },
    ],
    [
      'docker run -d --name builder --env=B -e C= debian:trixie sleep infinity',
      {
        kind: 'container-run',
        via: 'docker',
        image: 'debian:trixie',
        command: ['sleep', 'infinity'],
        env: ['B', 'C='],
        name: 'builder',
      },
    ],
    // the image's value is the simulation's to look up (a job variable, the shell's)
    [
      'docker run "$IMAGE" pip install x',
      { kind: 'container-run', via: 'docker', image: '$IMAGE', command: ['pip', 'install', 'x'] },
    ],
    ['docker exec "$CID" pip install x', { kind: 'remote', via: 'docker' }],
    ['ssh host pip install x', { kind: 'remote', via: 'ssh' }],
    ['ansible webservers -m pip -a name=x', { kind: 'remote', via: 'ansible' }],
    ['ansible localhost -m apt -a name=x', { kind: 'remote', via: 'ansible' }],
    [
      'ansible all -i localhost, -clocal -mpip -a "name=x extra_args=\'-q --pre\'" -e ansible_python_interpreter=/v/bin/python',
      {
        kind: 'ansible-pip',
        options: new Map([
          ['name', 'x'],
          ['extra_args', '-q --pre'],
        ]),
        interpreter: '/v/bin/python',
      },
    ],
    ['kubectl exec pod -- pip install x', { kind: 'remote', via: 'kubectl' }],
    ['chroot /mnt pip install x', { kind: 'remote', via: 'chroot' }],
    ['echo pip install x', { kind: 'other', name: 'echo' }],
    ['command -v pip', { kind: 'other', name: 'command' }],
    ['which pip', { kind: 'other', name: 'which' }],
    ['pipe install x', { kind: 'other', name: 'pipe' }],
    ['python3 script.py -m pip', { kind: 'other', name: 'python3' }],
    ['python3 -c "import pip"', { kind: 'other', name: 'python3' }],
    ['python3-config --includes', { kind: 'other', name: 'python3-config' }],
  ]);
});

/** Forms once listed here as unsupported. `[script, what to look at, expected, why]`. */
const GAPS_CLOSED: [string, (a: Action) => unknown, unknown, string][] = [
  [
    'pip install --break-system-pack x',
    (a) => a.kind === 'pip' && a.args.breakSystemPackages,
    true,
    'pip (optparse) accepts unambiguous abbreviations of long options',
  ],
  [
    'pip install --targ dir x',
    (a) => a.kind === 'pip' && a.args.target,
    true,
    'pip (optparse) accepts unambiguous abbreviations of long options',
  ],
  [
    'pip install --ignore-inst x',
    (a) => a.kind === 'pip' && a.args.ignoreInstalled,
    true,
    '`--ignore-inst` is only `--ignore-installed`',
  ],
  [
    'pip install --us x',
    (a) => a.kind === 'pip' && [a.args.user, a.args.ambiguousOption],
    [false, '--us'],
    'an ambiguous prefix (`--user`, `--use-pep517`, `--use-feature` …) sets nothing: pip exits 2 "ambiguous option"',
  ],
  [
    'pip install --upgr x',
    (a) => a.kind === 'pip' && [a.args.upgrade, a.args.ambiguousOption],
    [false, '--upgr'],
    '`--upgr` fits `--upgrade` and `--upgrade-strategy` (measured: pip 23.0.1 exits 2)',
  ],
  [
    'pip install --pre x',
    (a) => a.kind === 'pip' && !a.args.prefix,
    true,
    'an exact option wins over the longer ones it is a prefix of (`--pre` is not `--prefix`)',
  ],
  ['source activate myenv', (a) => a, { kind: 'conda-activate', env: 'myenv' }, 'the old conda activation'],
  ['source deactivate', (a) => a, { kind: 'deactivate' }, 'the old conda deactivation'],
  [
    '. venv/Scripts/activate',
    (a) => a,
    { kind: 'activate', dir: 'venv' },
    'a Windows venv layout (Git Bash)',
  ],
  ['pypy3 -m pip install x', (a) => a.kind, 'pip', 'PyPy interpreters'],
  [
    'poetry install',
    (a) => a.kind !== 'other',
    true,
    'poetry (installs into the system Python with virtualenvs.create false)',
  ],
  [
    'export PIP_BREAK_SYSTEM_PACKAGES',
    (a) => a.kind === 'export' && a.names,
    ['PIP_BREAK_SYSTEM_PACKAGES'],
    'exporting a variable set earlier, without a value',
  ],
  [
    'pip install --python .venv/bin/python x',
    (a) => a.kind === 'pip' && [a.args.python, a.args.pythonMisplaced],
    [undefined, true],
    '--python after the subcommand is a usage error (pip >= 22.3), not a target',
  ],
];

describe('classify: forms that were gaps', () => {
  for (const [text, look, expected, why] of GAPS_CLOSED) {
    test(`${text} — ${why}`, () => {
      const [c] = parseCommands(text);
      assert.deepEqual(look(classify(c!)), expected);
    });
  }
});

describe('pip.ts helpers', () => {
  const ws = (text: string) => tokenize(text).filter((t): t is Word => t.kind === 'word');
  test('PIP_NAME and PYTHON_NAME', () => {
    for (const n of ['pip', 'pip3', 'pip3.12']) assert.ok(PIP_NAME.test(n), n);
    for (const n of ['pipx', 'pip-sync', 'pipenv', 'pip3.12.1', 'pip-3']) assert.ok(!PIP_NAME.test(n), n);
    for (const n of ['python', 'python3', 'python3.12', 'python3.12d', 'python3.13t', 'python2.7'])
      assert.ok(PYTHON_NAME.test(n), n);
    for (const n of ['python3-config', 'pythonw', 'python3.12-dbg', 'ipython'])
      assert.ok(!PYTHON_NAME.test(n), n);
  });
  test('parsePythonArgs', () => {
    const p = (text: string) => {
      const r = parsePythonArgs(ws(text));
      return { module: r.module, args: values(r.moduleArgs), code: r.code, isolated: r.isolated };
    };
    assert.deepEqual(p('-I -m pip install x'), {
      module: 'pip',
      args: ['install', 'x'],
      code: undefined,
      isolated: true,
    });
    assert.deepEqual(p('-mvenv .v'), { module: 'venv', args: ['.v'], code: undefined, isolated: false });
    assert.deepEqual(p('-c "import x" -m pip'), {
      module: undefined,
      args: [],
      code: 'import x',
      isolated: false,
    });
    assert.deepEqual(p('script.py -m pip'), {
      module: undefined,
      args: [],
      code: undefined,
      isolated: false,
    });
    assert.deepEqual(p('-X dev -W error -m pip'), {
      module: 'pip',
      args: [],
      code: undefined,
      isolated: false,
    });
    assert.deepEqual(p('-m'), { module: undefined, args: [], code: undefined, isolated: false });
  });
  test('parsePipArgs with a missing option value does not throw', () => {
    for (const text of ['install -r', 'install --target', '--python', 'install -e', 'install -', '-'])
      assert.doesNotThrow(() => parsePipArgs(ws(text)), text);
  });
});

describe('classify: make', () => {
  const TABLE: [string, unknown][] = [
    ['make', { kind: 'make', targets: [], variables: [], dryRun: false }],
    [
      'make -C docs -j 4 html PYTHON=python3',
      {
        kind: 'make',
        directory: 'docs',
        targets: ['html'],
        variables: [['PYTHON', 'python3']],
        dryRun: false,
      },
    ],
    [
      'gmake --directory=a -Cb -f ci.mk install',
      { kind: 'make', directory: 'a/b', file: 'ci.mk', targets: ['install'], variables: [], dryRun: false },
    ],
    ['make -n install', { kind: 'make', targets: ['install'], variables: [], dryRun: true }],
    ['make --just-print', { kind: 'make', targets: [], variables: [], dryRun: true }],
    ['make -s --no-print-directory test', { kind: 'make', targets: ['test'], variables: [], dryRun: false }],
  ];
  for (const [text, expected] of TABLE) {
    test(text, () => {
      const [c] = parseCommands(text);
      assert.deepEqual(classify(c!), expected);
    });
  }
});
