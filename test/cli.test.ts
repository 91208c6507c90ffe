/** The command line end to end: the seed case, exit codes, JSON shape, bad input, config, fixes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli, runCliOnTerminal, runCliWithClosedOutput, scratch } from './helpers/cli.ts';

const SEED = readFileSync(new URL('../fixtures/debian-flit/.gitlab-ci.yml', import.meta.url), 'utf8');

describe('the seed case (issue 3)', () => {
  test('reports line 7 column 5 as an error naming job, image, python and the fixes, and exits 1', () => {
    const r = runCli(['fixtures/debian-flit/.gitlab-ci.yml']);
    assert.equal(r.code, 1, r.stderr);
    const first = r.stdout.split('\n')[0]!;
    assert.match(first, /^fixtures\/debian-flit\/\.gitlab-ci\.yml:7:5: error: /);
    assert.match(first, /job "build:flit"/);
    assert.match(first, /debian:bookworm/);
    assert.match(first, /python 3\.11/);
    assert.match(first, /externally managed/);
    assert.match(first, /\[indirect-pip-system-python\]$/);
    assert.match(r.stdout, /fix \(venv, unsafe\): Create a virtual environment/);
    assert.match(r.stdout, /fix \(pipx, suggestion\): Install the project with pipx/);
    assert.match(r.stdout, /fix \(override, safe\): Set PIP_BREAK_SYSTEM_PACKAGES=1/);
  });

  test('with image python:3.12 it reports nothing and exits 0', () => {
    const dir = scratch({ '.gitlab-ci.yml': SEED.replace('debian:bookworm', 'python:3.12') });
    const r = runCli(['.gitlab-ci.yml'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No problems in 1 file/);
  });

  test('with no image it warns (exit 0 by default) and says how to declare the image', () => {
    const dir = scratch({ '.gitlab-ci.yml': SEED.replace('image: debian:bookworm\n', '') });
    const r = runCli(['.gitlab-ci.yml'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^\.gitlab-ci\.yml:6:5: warning: .*Debian-family system Python \(release unknown\), externally managed since Debian 12 and Ubuntu 23\.04 \(PEP 668\)/m,
    );
    assert.match(r.stdout, /hint: .*--default-image IMAGE.*\.ci-lint\.yml/);
    assert.equal(runCli(['.gitlab-ci.yml', '--fail-on', 'warning'], { cwd: dir }).code, 1);
    const declared = runCli(['.gitlab-ci.yml', '--default-image', 'debian:bookworm'], { cwd: dir });
    assert.equal(declared.code, 1);
    assert.match(declared.stdout, /error: .*debian:bookworm/);
  });
});

test('an image ci-lint does not know is judged by what its installs point to, and named so', () => {
  const dir = scratch({
    '.gitlab-ci.yml':
      'job:\n  image: archlinux/base\n  script:\n    - pacman -Syu --noconfirm python-pip\n    - pip install requests\n',
  });
  const r = runCli(['.gitlab-ci.yml'], { cwd: dir });
  assert.match(
    r.stdout,
    /^\.gitlab-ci\.yml:5:7: warning: .*archlinux\/base \(an Arch Linux system Python\), externally managed since Arch's python 3\.11 \(PEP 668\)/m,
  );
  assert.doesNotMatch(r.stdout, /Debian 12|Alpine/);
});

describe('JSON output', () => {
  test('has the documented shape', () => {
    const r = runCli(['fixtures/debian-flit/.gitlab-ci.yml', '--format', 'json']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    assert.equal(out.tool.name, 'ci-lint');
    assert.match(out.tool.version, /^\d+\.\d+\.\d+$/);
    assert.deepEqual(out.errors, []);
    assert.equal(out.findings.length, 1);
    const f = out.findings[0];
    assert.deepEqual(
      {
        rule: f.rule,
        severity: f.severity,
        path: f.path,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        jobs: f.jobs,
      },
      {
        rule: 'indirect-pip-system-python',
        severity: 'error',
        path: 'fixtures/debian-flit/.gitlab-ci.yml',
        line: 7,
        column: 5,
        endLine: 7,
        endColumn: 37,
        jobs: ['build:flit'],
      },
    );
    assert.equal(f.environment.image, 'debian:bookworm');
    assert.equal(f.environment.python, '3.11');
    assert.equal(f.environment.managed, 'yes');
    assert.ok(f.environment.evidence.length > 0);
    assert.deepEqual(
      f.fixes.map((x: { strategy: string; applicability: string }) => [x.strategy, x.applicability]),
      [
        ['venv', 'unsafe'],
        ['pipx', 'suggestion'],
        ['override', 'safe'],
      ],
    );
    const override = f.fixes[2];
    assert.deepEqual(override.edits, [
      {
        path: 'fixtures/debian-flit/.gitlab-ci.yml',
        start: 123,
        end: 123,
        text: 'PIP_BREAK_SYSTEM_PACKAGES=1 ',
      },
    ]);
    assert.equal(SEED.slice(123, 123 + 17), 'FLIT_ROOT_INSTALL');
  });
});

describe('bad input never crashes and never stops the other files', () => {
  const files = {
    'good/.gitlab-ci.yml': SEED,
    'bad-yaml.yml': 'job:\n  script: [unclosed\n',
    'binary.yml': Buffer.from([0x6a, 0x6f, 0x62, 0x3a, 0x00, 0x01, 0x02]),
    'latin1.yml': Buffer.from('job:\n  script:\n    - echo caf\xe9\n', 'latin1'),
    'utf16.yml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('job: {}\n', 'utf16le')]),
    'bomb.gitlab-ci.yml': `a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${Array.from(
      { length: 9 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(',')}]`,
    ).join('\n')}\njob:\n  image: debian:bookworm\n  script: *j\n`,
  };
  test('each problem is path:line:col on stderr, exit 2, and the good file is still linted', () => {
    const dir = scratch(files);
    const args = [
      'good/.gitlab-ci.yml',
      'bad-yaml.yml',
      'binary.yml',
      'latin1.yml',
      'utf16.yml',
      'bomb.gitlab-ci.yml',
      'missing.yml',
      '--dialect',
      'gitlab',
    ];
    const r = runCli(args, { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+|TypeError|RangeError/, 'no stack trace');
    assert.match(r.stderr, /^bad-yaml\.yml:\d+:\d+: error: /m);
    assert.match(r.stderr, /^binary\.yml:1:5: error: binary file/m);
    assert.match(r.stderr, /^latin1\.yml:3:15: error: invalid UTF-8/m);
    assert.match(r.stderr, /^utf16\.yml:1:1: error: .*UTF-16/m);
    assert.match(r.stderr, /^bomb\.gitlab-ci\.yml:\d+:\d+: error: script expands to more than/m);
    assert.match(r.stderr, /^missing\.yml:1:1: error: cannot read: no such file or directory/m);
    assert.match(r.stdout, /good\/\.gitlab-ci\.yml:7:5: error:/);
    // the summary does not call a run with unreadable input clean
    assert.match(r.stdout, /^Found 1 error, 0 warnings in \d+ files; \d+ input errors \(above\)\./m);
    assert.match(
      runCli(['missing.yml'], { cwd: dir }).stdout,
      /^No findings in 0 files; 1 input error \(above\)\.$/m,
    );
    const json = JSON.parse(runCli([...args, '--format', 'json'], { cwd: dir }).stdout);
    assert.ok(json.errors.length >= 6);
    assert.ok(json.errors.every((e: { line: number; column: number }) => e.line >= 1 && e.column >= 1));
    assert.equal(json.findings[0].path, 'good/.gitlab-ci.yml');
  });
});

describe('usage', () => {
  test('--help and --version exit 0; an unknown option exits 2', () => {
    const help = runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: ci-lint \[options\] \[command\] \[paths\.\.\.\]/);
    assert.match(help.stdout, /Exit codes: 0/);
    assert.equal(help.stdout.match(/^Commands:/gm)?.length, 1, 'one list of commands');
    const helpWord = runCli(['help']);
    assert.equal(helpWord.code, 0);
    assert.equal(helpWord.stdout, help.stdout, '`ci-lint help` is --help, not a path named help');
    assert.match(runCli(['help', 'inspect']).stdout, /^Usage: ci-lint inspect/);
    const version = runCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const bad = runCli(['--frobnicate']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown option '--frobnicate'/);
    assert.equal(runCli(['--format', 'xml', 'fixtures']).code, 2);
    assert.equal(runCli(['--select', 'no-such-rule', 'fixtures']).code, 2);
  });

  test('rules and explain', () => {
    const rules = runCli(['rules']);
    assert.equal(rules.code, 0);
    assert.match(rules.stdout, /^pip-install-system-python +error +fix: safe/m);
    const list = JSON.parse(runCli(['rules', '--format', 'json']).stdout);
    assert.ok(list.some((r: { id: string }) => r.id === 'indirect-pip-system-python'));
    const explain = runCli(['explain', 'pip-install-system-python']);
    assert.equal(explain.code, 0);
    assert.match(explain.stdout, /^# pip-install-system-python/);
    assert.match(explain.stdout, /## Fix/);
    assert.equal(runCli(['explain', 'nope']).code, 2);
  });

  test('with no paths it discovers the conventional CI files', () => {
    const dir = scratch({
      '.gitlab-ci.yml': SEED,
      'ci/other.yml': SEED,
      'node_modules/x/.gitlab-ci.yml': SEED,
    });
    const r = runCli(['--format', 'json'], { cwd: dir });
    const paths = JSON.parse(r.stdout).findings.map((f: { path: string }) => f.path);
    assert.deepEqual(paths, ['.gitlab-ci.yml']);
  });

  test('one file named several ways (and found in a named folder) is linted once, under its first spelling', () => {
    const dir = scratch({ '.gitlab-ci.yml': SEED });
    const r = runCli(
      ['--format', 'json', '.gitlab-ci.yml', './.gitlab-ci.yml', `${dir}/.gitlab-ci.yml`, '.'],
      {
        cwd: dir,
      },
    );
    const paths = JSON.parse(r.stdout).findings.map((f: { path: string }) => f.path);
    assert.deepEqual(paths, ['.gitlab-ci.yml']);
  });

  test('fixes in an included file are shown but not counted as what --fix writes (it writes the linted file)', () => {
    const job =
      'j:\n  image: debian:bookworm\n  script:\n    - apt-get update && apt-get install -y python3-pip\n    - pip3 install requests\n';
    const dir = scratch({ '.gitlab-ci.yml': 'include:\n  - local: ci/jobs.yml\n', 'ci/jobs.yml': job });
    const main = runCli(['.gitlab-ci.yml'], { cwd: dir });
    assert.match(main.stdout, /^ci\/jobs\.yml:5:7: error: .*\n[\s\S]*= fix \(venv, unsafe\)/m);
    assert.match(main.stdout, /^Found 1 error, 0 warnings in 1 file\.$/m);
    // linted on its own, the file is the one --fix writes
    assert.match(runCli(['ci/jobs.yml'], { cwd: dir }).stdout, /1 with --unsafe-fixes/);
  });

  test('with no paths it discovers the CI files of nested repositories too (a folder of clones)', () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    container: debian:bookworm',
      '    steps:',
      '      - run: apt-get update && apt-get install -y python3-pip && pip install requests',
      '',
    ].join('\n');
    const dir = scratch({
      'repos/a/.github/workflows/ci.yml': workflow,
      'repos/b/.gitlab-ci.yml': SEED,
      'repos/c/.github/ISSUE_TEMPLATE/bug.yml': 'name: Bug\n',
      'repos/c/helm/templates/deployment.yml': 'kind: Deployment\n',
    });
    const r = runCli(['--format', 'json'], { cwd: dir });
    const paths = new Set(JSON.parse(r.stdout).findings.map((f: { path: string }) => f.path));
    assert.deepEqual([...paths].sort(), ['repos/a/.github/workflows/ci.yml', 'repos/b/.gitlab-ci.yml']);
    assert.doesNotMatch(r.stdout + r.stderr, /ISSUE_TEMPLATE|deployment\.yml/, 'only CI files are read');
  });

  test('--stdin-filename lints standard input', () => {
    const r = runCli(['--stdin-filename', 'pipeline/.gitlab-ci.yml'], { input: SEED });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^pipeline\/\.gitlab-ci\.yml:7:5: error:/);
  });
});

describe('config', () => {
  test('an unknown key is an error at its line and column', () => {
    const dir = scratch({ '.ci-lint.yml': 'fix-strategy: venv\nfrobnicate: 1\n', '.gitlab-ci.yml': SEED });
    const r = runCli([], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.ci-lint\.yml:2:1: error: unknown config key "frobnicate"/);
  });

  test('images declarations and default-image are honoured; a rule can be turned off', () => {
    const custom = SEED.replace('debian:bookworm', 'registry.example.com/ci/base:7');
    const dir = scratch({
      '.ci-lint.yml': 'images:\n  "registry.example.com/ci/base:*":\n    managed: true\n    python: "3.12"\n',
      '.gitlab-ci.yml': custom,
    });
    const r = runCli(['--format', 'json'], { cwd: dir });
    const f = JSON.parse(r.stdout).findings[0];
    assert.equal(f.severity, 'error');
    assert.equal(f.environment.python, '3.12');
    const off = scratch({
      '.ci-lint.yml': 'rules:\n  indirect-pip-system-python: off\n',
      '.gitlab-ci.yml': SEED,
    });
    assert.equal(runCli([], { cwd: off }).code, 0);
    const wrongType = scratch({
      '.ci-lint.yml': 'images:\n  "x:*":\n    managed: maybe\n',
      '.gitlab-ci.yml': SEED,
    });
    assert.match(
      runCli([], { cwd: wrongType }).stderr,
      /\.ci-lint\.yml:3:14: error: images."x:\*".managed must be true or false/,
    );
  });
});

describe('fixing', () => {
  test('--diff prints a unified diff and writes nothing', () => {
    const dir = scratch({ '.gitlab-ci.yml': SEED });
    const r = runCli(['.gitlab-ci.yml', '--diff', '--fix-strategy', 'override'], { cwd: dir });
    assert.match(r.stdout, /^--- a\/\.gitlab-ci\.yml\n\+\+\+ b\/\.gitlab-ci\.yml\n@@ -4,5 \+4,5 @@\n/);
    assert.match(
      r.stdout,
      /^- {2}- FLIT_ROOT_INSTALL=1 flit install\n\+ {2}- PIP_BREAK_SYSTEM_PACKAGES=1 FLIT_ROOT_INSTALL=1 flit install$/m,
    );
    assert.equal(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8'), SEED);
  });

  test('--fix applies only safe fixes; --unsafe-fixes adds the venv; mode, CRLF and BOM are kept', () => {
    const crlf = `\ufeff${SEED.replace(/\n/g, '\r\n')}`;
    const dir = scratch({ '.gitlab-ci.yml': crlf });
    const file = join(dir, '.gitlab-ci.yml');
    chmodSync(file, 0o640);
    const safeOnly = runCli(['.gitlab-ci.yml', '--fix'], { cwd: dir });
    assert.equal(safeOnly.code, 1, 'venv (the default strategy) is unsafe: nothing applied');
    assert.equal(readFileSync(file, 'utf8'), crlf);
    const r = runCli(['.gitlab-ci.yml', '--unsafe-fixes'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Fixed 1 problem\./);
    const fixed = readFileSync(file, 'utf8');
    assert.ok(fixed.startsWith('\ufeffimage: debian:bookworm\r\n'));
    assert.ok(!/[^\r]\n/.test(fixed), 'every line still ends with CRLF');
    assert.match(fixed, /- apt-get update && apt-get install -y flit python3-pip python3-venv\r\n/);
    assert.match(
      fixed,
      /- python3 -m venv \.venv && \. \.venv\/bin\/activate && FLIT_ROOT_INSTALL=1 flit install --python \.venv\/bin\/python\r\n/,
    );
    assert.equal(statSync(file).mode & 0o777, 0o640);
    const again = runCli(['.gitlab-ci.yml', '--unsafe-fixes'], { cwd: dir });
    assert.equal(again.code, 0);
    assert.equal(readFileSync(file, 'utf8'), fixed, 'fixing twice changes nothing');
  });
});

describe('suppressions', () => {
  test('own line or alone on the line above; unused and reasonless ones are noted', () => {
    const dir = scratch({
      '.gitlab-ci.yml': [
        'image: debian:bookworm',
        'job:',
        '  script:',
        '    - apt-get update && apt-get install -y python3-pip',
        '    - pip install a # ci-lint: ignore[pip-install-system-python]',
        '    - pip install b # ci-lint: ignore[pip-install-system-python] our image pins pip 22',
        '    # ci-lint: ignore[pip-install-system-python] vendored',
        '    - pip install c',
        '    - pip install d',
        '    - echo done # ci-lint: ignore[pip-install-system-python] nothing here',
        '',
      ].join('\n'),
    });
    const r = runCli(['.gitlab-ci.yml'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.deepEqual(r.stdout.match(/^\.gitlab-ci\.yml:\d+:\d+: error/gm), ['.gitlab-ci.yml:9:7: error']);
    assert.match(r.stderr, /^\.gitlab-ci\.yml:5:1: note: suppression without a reason/m);
    assert.match(r.stderr, /^\.gitlab-ci\.yml:10:1: note: unused suppression/m);
    assert.doesNotMatch(r.stderr, /:6:1: note|:7:1: note/);
  });
});

describe('what is read and written besides the inputs', () => {
  const ci =
    'job:\n  image: debian:bookworm\n  script:\n    - apt-get update && apt-get install -y python3-pip\n    - pip install x\n';

  test('--output over a file being linted is refused before anything is written (exit 2)', () => {
    const dir = scratch({ '.gitlab-ci.yml': ci });
    for (const args of [
      ['-o', '.gitlab-ci.yml', '.gitlab-ci.yml'],
      ['-f', 'json', '-o', './.gitlab-ci.yml'],
    ]) {
      const r = runCli(args, { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--output .*\.gitlab-ci\.yml is one of the files being linted/);
      assert.equal(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8'), ci, 'the CI file is untouched');
    }
  });

  test('a report written inside a scanned folder is not linted; a folder or a missing one is an error', () => {
    const dir = scratch({ '.gitlab-ci.yml': ci, '.gitlab/keep.txt': '' });
    const r = runCli(['-o', '.gitlab/report.yml'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(readFileSync(join(dir, '.gitlab/report.yml'), 'utf8'), /\.gitlab-ci\.yml:5:7: error/);
    const folder = runCli(['-o', '.gitlab', '.gitlab-ci.yml'], { cwd: dir });
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /^ci-lint: --output \.gitlab is a folder; name a file$/m);
    const missing = runCli(['-o', 'no/such/folder/r.txt', '.gitlab-ci.yml'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^ci-lint: cannot write the report to no\/such\/folder\/r\.txt: no such file or directory \(ENOENT\)$/m,
    );
    assert.doesNotMatch(folder.stderr + missing.stderr, /internal error| {4}at /);
    // `-o -` is standard output
    assert.match(runCli(['-o', '-', '.gitlab-ci.yml'], { cwd: dir }).stdout, /:5:7: error/);
  });

  test('a config that is not a regular file (a FIFO a checkout ships) is an error, not a hang', () => {
    const dir = scratch({ '.gitlab-ci.yml': ci });
    spawnSync('mkfifo', [join(dir, '.ci-lint.yml')]);
    const r = runCli(['.gitlab-ci.yml'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.ci-lint\.yml:1:1: error: not a regular file/);
    const other = scratch({});
    spawnSync('mkfifo', [join(other, 'fifo.yml')]);
    const inspect = runCli(['inspect', 'fifo.yml'], { cwd: other });
    assert.equal(inspect.code, 2);
    assert.match(inspect.stderr, /^fifo\.yml:1:1: error: not a regular file/m);
  });

  test('--diff is a unified diff: with a machine format it is a usage error, not a report replaced by a diff', () => {
    const r = runCli(['--diff', '-f', 'json', 'fixtures/debian-flit/.gitlab-ci.yml']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--diff prints a unified diff, not a json report/);
  });

  test('--root must be a folder', () => {
    const r = runCli(['--root', 'no/such/folder', 'fixtures/debian-flit/.gitlab-ci.yml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^ci-lint: root no\/such\/folder is not a folder$/m);
  });

  test('--stdin-filename needs a name; --jobs a whole number', () => {
    assert.match(runCli(['--stdin-filename', ''], { input: ci }).stderr, /--stdin-filename needs a name/);
    for (const jobs of ['', 'abc', '1e3', '0']) {
      const r = runCli(['--jobs', jobs, 'fixtures/debian-flit/.gitlab-ci.yml']);
      assert.equal(r.code, 2, jobs);
      assert.match(r.stderr, /--jobs must be a whole number/);
    }
  });
});

test('control characters from a CI file are shown, never sent to the terminal', () => {
  const dir = scratch({
    '.gitlab-ci.yml':
      'j\x1b]0;pwned\x07:\n  image: debian:bookworm\n  script:\n    - apt-get update && apt-get install -y python3-pip\n    - pip install x \x1b[8mhidden\n',
  });
  const r = runCli(['.gitlab-ci.yml'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stdout, /[\x07\x1b]/);
  assert.match(r.stdout, /job "j\\x1b\]0;pwned\\x07" runs pip install/);
  // one character for one in the source frame, so the underline stays under the command
  assert.match(r.stdout, /^5 \| {5}- pip install x \uFFFD\[8mhidden$/m);
});

describe('colours', () => {
  const SEED_PATH = 'fixtures/debian-flit/.gitlab-ci.yml';
  const ESC = /\x1b\[/;
  const cases: [string, NodeJS.ProcessEnv, string[], boolean][] = [
    ['a terminal', { TERM: 'xterm-256color' }, [], true],
    ['TERM=dumb', { TERM: 'dumb' }, [], false],
    ['NO_COLOR=1', { TERM: 'xterm-256color', NO_COLOR: '1' }, [], false],
    ['FORCE_COLOR=0', { TERM: 'xterm-256color', FORCE_COLOR: '0' }, [], false],
    ['--no-color', { TERM: 'xterm-256color' }, ['--no-color'], false],
    // Node's reading of a CI machine: colours only for CI services it knows to show them
    ['CI=true', { TERM: 'xterm-256color', CI: 'true' }, [], false],
    ['GitLab CI', { TERM: 'xterm-256color', CI: 'true', GITLAB_CI: 'true' }, [], true],
  ];
  for (const [name, env, flags, coloured] of cases)
    test(`on ${name}: ${coloured ? 'colours' : 'none'}`, (t) => {
      const r = runCliOnTerminal([...flags, SEED_PATH], env);
      if (!r) return t.skip('no `script` to give the CLI a terminal');
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /7:5/);
      assert.equal(ESC.test(r.stdout), coloured, JSON.stringify(r.stdout.slice(0, 300)));
    });

  test('none on a pipe, even when FORCE_COLOR=1 is inherited (the test runner passes it on)', () => {
    const r = runCli([SEED_PATH], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, ESC);
  });
});

describe('a reader that goes away (`| head`)', () => {
  // stdout closed: what the CLI prints on stderr is all there is to see; no stack trace, no exit 1
  for (const args of [
    ['--help'],
    ['rules'],
    ['explain', 'pip-install-system-python'],
    ['inspect', 'fixtures/debian-flit/.gitlab-ci.yml'],
  ]) {
    test(`ci-lint ${args.join(' ')} with stdout closed ends quietly with exit 0`, async () => {
      const r = await runCliWithClosedOutput('stdout', args);
      assert.doesNotMatch(r.output, /EPIPE|Unhandled|at /);
      assert.equal(r.code, 0, r.output);
    });
  }

  test('the lint with stdout closed still exits 1 for its findings', async () => {
    const r = await runCliWithClosedOutput('stdout', ['fixtures/debian-flit/.gitlab-ci.yml']);
    assert.equal(r.output, '');
    assert.equal(r.code, 1);
  });

  test('a note on a closed stderr does not turn a clean run into exit 1', async () => {
    const dir = scratch({
      '.gitlab-ci.yml':
        'include:\n  - remote: https://example.com/ci.yml\njob:\n  image: python:3.12\n  script:\n    - pip install x\n',
    });
    const r = await runCliWithClosedOutput('stderr', ['.gitlab-ci.yml'], { cwd: dir });
    assert.match(r.output, /No problems in 1 file/);
    assert.equal(r.code, 0);
  });
});
