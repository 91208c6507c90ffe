/**
 * What messages say, where the wording carries a fact a user acts on: the remedy that works for the
 * tool and release, the command as the user wrote it, where a variable was set, which runner.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { lintString } from './helpers/lint.ts';

/** The one message of `rule` in the linted text. */
function messageOf(path: string, text: string, rule: string): string {
  const messages = lintString(path, text)
    .findings.filter((f) => f.rule === rule)
    .map((f) => f.message);
  assert.equal(messages.length, 1, `one ${rule} finding, got: ${messages.join('\n')}`);
  return messages[0]!;
}

const gitlabJob = (image: string, ...script: string[]) =>
  `job:\n  image: ${image}\n  script:\n${script.map((l) => `    - ${JSON.stringify(l)}\n`).join('')}`;

describe('remedies fit the tool and the release', () => {
  test('pip-sync on Debian 13: a venv, since the override does not get its uninstalls through', () => {
    const message = messageOf(
      '.gitlab-ci.yml',
      gitlabJob(
        'debian:trixie',
        'apt-get update && apt-get install -y python3-pip',
        'pip-sync requirements.txt',
      ),
      'indirect-pip-system-python',
    );
    assert.match(message, /run pip-sync in a venv .*on Debian 13 PIP_BREAK_SYSTEM_PACKAGES=1 does not help/);
    assert.doesNotMatch(message, /pipx|flags cannot reach/);
  });

  test('pip-sync on Debian 12: the override, and --pip-args reaching only its pip install', () => {
    const message = messageOf(
      '.gitlab-ci.yml',
      gitlabJob(
        'debian:bookworm',
        'apt-get update && apt-get install -y python3-pip',
        'pip-sync requirements.txt',
      ),
      'indirect-pip-system-python',
    );
    assert.match(
      message,
      /or set PIP_BREAK_SYSTEM_PACKAGES=1 \(--pip-args "--break-system-packages" reaches only/,
    );
  });

  test('no pip and a flag that pip predates: one finding, which names the flag', () => {
    const result = lintString(
      '.gitlab-ci.yml',
      gitlabJob('debian:bullseye', 'pip install --break-system-packages tox'),
    );
    assert.deepEqual(
      result.findings.map((f) => f.rule),
      ['pip-not-installed'],
    );
    assert.match(
      result.findings[0]!.message,
      /drop --break-system-packages, which that pip \(< 23\) predates/,
    );
  });
});

describe('the command and the place as the user wrote them', () => {
  test('a find that deletes the marker is shown as written', () => {
    const message = messageOf(
      '.gitlab-ci.yml',
      gitlabJob('ubuntu:24.04', 'find / -name EXTERNALLY-MANAGED -delete'),
      'externally-managed-marker-removed',
    );
    assert.match(message, /runs find \/ -name EXTERNALLY-MANAGED -delete, which removes/);
    assert.doesNotMatch(message, /\*\*/);
  });

  test('a literal marker path: the version it names, not a list that may hold the image own', () => {
    const message = messageOf(
      '.gitlab-ci.yml',
      gitlabJob('ubuntu:24.04', 'rm /usr/lib/python3.12/EXTERNALLY-MANAGED'),
      'externally-managed-marker-removed',
    );
    assert.match(message, /moves to a Python other than 3\.12/);
  });

  test('sudo pip past a venv: the command is sudo pip install, and debian images have no sudo', () => {
    const message = messageOf(
      '.gitlab-ci.yml',
      gitlabJob(
        'debian:bookworm',
        'apt-get update && apt-get install -y python3-pip python3-venv',
        'python3 -m venv .venv && . .venv/bin/activate',
        'sudo pip install x',
      ),
      'sudo-pip-system',
    );
    assert.match(message, /runs sudo pip install on debian:bookworm/);
    assert.match(message, /debian:bookworm has no sudo unless the job installs it/);
    assert.equal(message.match(/PATH/g)?.length, 1, message);
  });

  test('a variable from the job says so in GitLab words', () => {
    const message = messageOf(
      '.gitlab-ci.yml',
      `job:\n  image: debian:bookworm\n  variables:\n    PIP_BREAK_SYSTEM_PACKAGES: "1"\n  script:\n    - apt-get update && apt-get install -y python3-pip sudo\n    - sudo pip install x\n`,
      'override-dropped-by-sudo',
    );
    assert.match(message, /PIP_BREAK_SYSTEM_PACKAGES \(set in the job's variables\) does not reach it/);
  });

  test('a GitHub runner is named as a runner, with its image', () => {
    const message = messageOf(
      '.github/workflows/ci.yml',
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install x\n',
      'relies-on-runner-pip-override',
    );
    assert.match(
      message,
      /runs pip install on the ubuntu-latest runner \(GitHub's ubuntu-24\.04 image, python 3\.12\)/,
    );
    assert.doesNotMatch(message, /temporary/);
  });

  test('a line of several jobs on several images: their images, in the plural', () => {
    const messages = lintString(
      '.gitlab-ci.yml',
      'test:\n  image: $DISTRO\n  parallel:\n    matrix:\n      - DISTRO: [debian:bookworm, ubuntu:24.04]\n  script:\n    - apt-get update && apt-get install -y python3-pip\n    - pip install x\n',
    ).findings.map((f) => f.message);
    assert.equal(messages.length, 1, messages.join('\n'));
    assert.match(
      messages[0]!,
      /on each job's own image \(debian:bookworm .*; ubuntu:24\.04 .*\), both of which are externally managed/,
    );
  });

  test('a branch on CI_JOB_NAME with || and a partly quoted pattern names only the job it runs in', () => {
    const { findings } = lintString(
      '.gitlab-ci.yml',
      readFileSync(
        new URL('../rules/pip-install-system-python/cases/if-branches-job-name.yml', import.meta.url),
        'utf8',
      ),
    );
    const jobs = findings.flatMap((f) => f.jobs);
    assert.ok(jobs.includes('test:el8'), jobs.join());
    assert.ok(!jobs.includes('test:bookworm'), jobs.join());
  });
});

describe('an override the job set that does not reach the command says why', () => {
  test('an [install]-only pip config and pip uninstall: the section is named', () => {
    const message = messageOf(
      '.gitlab-ci.yml',
      gitlabJob(
        'debian:bookworm',
        'apt-get update && apt-get install -y python3-pip',
        'pip config set install.break-system-packages true',
        'pip install six',
        'pip uninstall -y six',
      ),
      'pip-install-system-python',
    );
    assert.match(message, /runs pip uninstall /);
    assert.match(
      message,
      /break-system-packages in \[install\] only \(`pip config set` by the job\), and pip uninstall does not read that section/,
    );
  });

  test('--isolated after pip config set: the skipped config is named, not a variable the job never set', () => {
    const message = messageOf(
      '.gitlab-ci.yml',
      gitlabJob(
        'debian:bookworm',
        'apt-get update && apt-get install -y python3-pip',
        'pip config set global.break-system-packages true',
        'pip install --isolated six',
      ),
      'pip-install-system-python',
    );
    assert.match(
      message,
      /--isolated makes pip read no config file, and the override was in one \(`pip config set` by the job\)/,
    );
  });

  test("PIP_CONFIG_FILE=/dev/null on a runner with /etc/pip.conf: the runner image's file is named", () => {
    const workflow = `on: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: PIP_CONFIG_FILE=/dev/null pip install six\n`;
    const message = messageOf('.github/workflows/t.yml', workflow, 'pip-install-system-python');
    assert.match(
      message,
      /PIP_CONFIG_FILE=\/dev\/null makes pip read no config file, and the override was in one \(the runner image's \/etc\/pip.conf\)/,
    );
  });
});

test('a template line that fails in one job and likely fails in another: neither is said not to fail there', () => {
  const text = readFileSync(
    new URL(
      '../rules/pip-install-system-python/cases/template-on-known-and-unknown-images.yml',
      import.meta.url,
    ),
    'utf8',
  );
  const findings = lintString('.gitlab-ci.yml', text).findings.filter(
    (f) => f.span.start === text.indexOf('pip install -r'),
  );
  assert.deepEqual(
    findings.map((f) => [f.severity, f.jobs, f.unaffectedJobs]),
    [
      ['error', ['known'], undefined],
      ['warning', ['unknown'], undefined],
    ],
  );
  assert.match(
    findings[0]!.message,
    /on debian:bookworm \(Debian 12 \(bookworm\), python 3\.11\), which is externally managed/,
  );
  assert.match(findings[1]!.message, /pip will likely refuse/);
});

test('the runner pip.conf note under sudo: the job variable sudo drops is named, and how to get it past sudo', () => {
  const workflow =
    'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n      PIP_BREAK_SYSTEM_PACKAGES: "1"\n    steps:\n      - run: sudo pip install ansible\n';
  const message = messageOf('.github/workflows/t.yml', workflow, 'relies-on-runner-pip-override');
  assert.match(
    message,
    /and PIP_BREAK_SYSTEM_PACKAGES \(set in the job's env\) is dropped by sudo — .*sudo env PIP_BREAK_SYSTEM_PACKAGES=1/,
  );
  assert.doesNotMatch(message, /set PIP_BREAK_SYSTEM_PACKAGES=1 explicitly/);
});

test('the runner pip.conf note for sudo pip with no variable: the way past sudo, not a variable sudo would drop', () => {
  const workflow =
    'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: sudo pip install ansible\n';
  const message = messageOf('.github/workflows/t.yml', workflow, 'relies-on-runner-pip-override');
  assert.match(message, /hand it to pip past sudo \(sudo env PIP_BREAK_SYSTEM_PACKAGES=1 …\)/);
  assert.doesNotMatch(message, /explicitly/);
});
