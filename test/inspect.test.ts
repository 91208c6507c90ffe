/** `ci-lint inspect`: which Python each line runs on, including lines that run somewhere else than the job. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InspectedJob, Inspection } from '../src/engine/inspect.ts';
import { runCli, scratch } from './helpers/cli.ts';

function inspect(name: string, text: string, more: Record<string, string> = {}): Inspection {
  const dir = scratch({ [name]: text, ...more });
  const r = runCli(['inspect', '--format', 'json', name], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Inspection;
}

const lineTexts = (job: InspectedJob) => job.shells.flatMap((s) => s.lines.map((l) => l.text.trim()));

test('a setup-alpine chroot is shown as a job of its own, with the lines that ran in it', () => {
  const ins = inspect(
    '.github/workflows/ci.yml',
    `on: push
jobs:
  build:
    runs-on: ubuntu-22.04
    steps:
      - uses: jirutka/setup-alpine@v1
        with:
          branch: v3.20
          packages: py3-pip
      - run: pip install tox
      - run: pip install meson
        shell: alpine.sh --root {0}
`,
  );
  const [host, chroot, ...rest] = ins.jobs;
  assert.equal(rest.length, 0);
  assert.equal(host?.name, 'build');
  assert.deepEqual(lineTexts(host!), ['pip install tox']);
  assert.equal(host?.environment.managed, 'no', 'Ubuntu 22.04 runner');
  assert.equal(chroot?.name, 'build: alpine.sh');
  assert.equal(chroot?.image?.name, 'alpine:3.20');
  assert.equal(chroot?.environment.managed, 'yes');
  // the action's own `apk add` of its packages input, then the step
  assert.deepEqual(lineTexts(chroot!), ['apk add --update-cache py3-pip', 'pip install meson']);
  const install = chroot?.shells[1]?.lines[0]?.installs[0];
  assert.equal(install?.hitsSystem, true);
  assert.equal(install?.override, undefined);
});

test('an msys2 step is shown with an unknown Python, not the Windows runner', () => {
  const ins = inspect(
    '.github/workflows/ci.yml',
    `on: push
jobs:
  win:
    runs-on: windows-latest
    steps:
      - uses: msys2/setup-msys2@v2
      - run: pip install meson
        shell: msys2 {0}
`,
  );
  const msys = ins.jobs.find((j) => j.name === 'win: msys2');
  assert.equal(msys?.environment.managed, 'unknown');
  assert.match(msys!.environment.evidence.join('\n'), /MSYS2/);
  assert.deepEqual(lineTexts(msys!), ['pip install meson']);
});

test('docker run: the command shows under the container that runs it, not under the job', () => {
  const ins = inspect(
    '.gitlab-ci.yml',
    `job:
  image: docker:27
  script:
    - echo start
    - docker run --rm debian:bookworm sh -c "apt-get update && apt-get install -y python3-pip && pip install six"
`,
  );
  const [host, container] = ins.jobs;
  assert.deepEqual(lineTexts(host!), ['echo start']);
  assert.equal(container?.image?.name, 'debian:bookworm');
  assert.equal(lineTexts(container!).length, 1);
  assert.equal(container?.shells[0]?.lines[0]?.installs[0]?.hitsSystem, true);
});

test("sudo resets PATH on Linux runners but keeps the caller's on macOS", () => {
  const why = (runner: string) => {
    const ins = inspect(
      '.github/workflows/ci.yml',
      `on: push
jobs:
  build:
    runs-on: ${runner}
    steps:
      - run: |
          python3 -m venv .venv
          . .venv/bin/activate
          sudo pip install meson
`,
    );
    const install = ins.jobs[0]?.shells[0]?.lines[0]?.installs.find((i) => i.command.startsWith('sudo'));
    return install && { hitsSystem: install.hitsSystem, why: install.why };
  };
  assert.deepEqual(why('ubuntu-22.04'), { hitsSystem: true, why: 'sudo resets PATH to the system Python' });
  assert.deepEqual(why('macos-14'), { hitsSystem: false, why: 'venv .venv is active' });
});

test('the verdict says how it is known: verified, inferred, declared, or likely from the script', () => {
  const ins = inspect(
    '.gitlab-ci.yml',
    `fedora:
  image: fedora:40
  script: [pip install x]
bookworm:
  image: debian:bookworm
  script: [pip install x]
no-image:
  script:
    - apt-get install -y python3-pip
    - pip install x
ours:
  image: registry.example.com/ci/base:1
  script: [pip install x]
`,
    { '.ci-lint.yml': 'images:\n  "registry.example.com/ci/base:*":\n    managed: true\n' },
  );
  const basis = Object.fromEntries(ins.jobs.map((j) => [j.name, j.environment.basis]));
  assert.deepEqual(basis, {
    fedora: 'inferred',
    bookworm: 'verified',
    'no-image': 'likely, from what the job installs',
    ours: 'declared in config',
  });
});

test('an input problem is printed as path:line:col: error, and exits 2', () => {
  const dir = scratch({ '.gitlab-ci.yml': 'job: [unclosed\n' });
  const r = runCli(['inspect', '.gitlab-ci.yml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stdout, /^\.gitlab-ci\.yml:\d+:\d+: error: /m);
  assert.doesNotMatch(r.stdout, /^note: /m);
});

test('a job from an `include: local` file is placed in that file', () => {
  const dir = scratch({
    '.gitlab-ci.yml': 'include:\n  - local: ci/lint.yml\n',
    'ci/lint.yml': '\nlint:\n  image: debian:bookworm\n  script: [pip install x]\n',
  });
  const r = runCli(['inspect', '--format', 'json', '.gitlab-ci.yml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const [job] = (JSON.parse(r.stdout) as Inspection).jobs;
  assert.deepEqual([job?.name, job?.path.endsWith('ci/lint.yml'), job?.line], ['lint', true, 2]);
});

test("Debian's /usr/bin/python3 in a python:*-bookworm image is shown as a job of its own", () => {
  const ins = inspect(
    '.gitlab-ci.yml',
    `job:
  image: python:3.12-bookworm
  script:
    - apt-get update && apt-get install -y python3-pip
    - pip3 install pytest
    - /usr/bin/python3 -m pip install requests
`,
  );
  const [own, debian] = ins.jobs;
  assert.equal(own?.environment.managed, 'no');
  assert.deepEqual(lineTexts(own!), [
    'apt-get update && apt-get install -y python3-pip',
    'pip3 install pytest',
  ]);
  assert.equal(debian?.name, 'job: /usr/bin/python3');
  assert.equal(debian?.environment.managed, 'yes');
  assert.deepEqual(lineTexts(debian!), ['/usr/bin/python3 -m pip install requests']);
});
