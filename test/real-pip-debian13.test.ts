/**
 * The proof on Debian 13 (issue 11, item 3): the trap fixtures — rule cases whose jobs run on
 * `debian:trixie` — run before and after ci-lint's override fix in a real Debian 13 root, against
 * Debian 13's own pip 25.1.1. Before: the job must stop (or, where `||` catches it, print) at a flagged
 * line with the error its rule predicts (`uninstall-no-record-file … installed by debian`,
 * `externally-managed-environment`, `ensurepip is disabled …`: test/real-pip/jobs.ts REFUSALS).
 * After (the `.override.fixed.yml` golden, when the case has one): every line must exit 0.
 *
 * The root (test/real-pip/debian13-root.sh): `debootstrap --variant=minbase trixie` from the mirror
 * this machine's apt already uses, with the .debs of ROOT_PACKAGES in its apt cache, built once and
 * kept in CI_LINT_CACHE (default /var/cache/ci-lint) under a name keyed by ROOT_VERSION and the
 * package list. Each job runs in an overlay of it (test/real-pip/sandbox-debian13.sh), in private mount
 * and network namespaces: its apt-get lines really install from that cache, offline, and pip sees only
 * a wheelhouse built inside the root — stand-ins for what jobs install by name, and, for what apt
 * installed (pip, setuptools, wheel, packaging, requests), a `.post1` of apt's own code, so that
 * `pip install -U pip` has a newer release to replace apt's copy with, as it has online.
 *
 * Not provable here, and listed as such: jobs that need get-pip.py (network), pip-tools (not packaged
 * in Debian; a stand-in would not behave like pip-sync), pipenv, poetry or flit, or apt packages the
 * root does not carry.
 *
 * Needs root, unshare, overlayfs and debootstrap (.ci/run installs it). Skipped with the reason when the
 * mirror cannot be reached; elsewhere skipped outside CI and failed in CI. REAL_PIP_KEEP=1 keeps the runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Finding } from '../src/model/finding.ts';
import type { Job, Shell } from '../src/model/job.ts';
import { classify } from '../src/shell/classify.ts';
import { parseCommands } from '../src/shell/commands.ts';
import { lintString } from './helpers/lint.ts';
import {
  aptPackages,
  dependencyClosure,
  describeFailure,
  firstFailure,
  firstRefusal,
  hostMissing,
  jobNeeds,
  limiter,
  namespaceProblems,
  REFUSALS,
  type RunResult,
  repositoryContent,
  runSandbox,
  type ShellLike,
  sandboxBroken,
  writeProject,
  writeRequirements,
  writeShellScripts,
} from './real-pip/jobs.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const BUILD_ROOT = join(ROOT, 'test/real-pip/debian13-root.sh');
const SANDBOX = join(ROOT, 'test/real-pip/sandbox-debian13.sh');
const WHEEL_BUILDER = join(ROOT, 'test/real-pip/wheelhouse.py');
/** What the trap fixtures install with apt (a job naming anything else is not provable here). */
/** The trap fixtures: every case of the issue's rules, and the first golden of the Debian 13 override fix. */
const TRAP_RULES = [
  'override-cannot-replace-debian-package',
  'override-dropped-by-sudo',
  'get-pip-on-managed-python',
  'silent-system-install',
  'ensurepip-disabled',
];
const TRAP_CASES = ['rules/pip-install-system-python/cases/debian-trixie-self-upgrade.yml'];
const ROOT_PACKAGES = ['python3-pip', 'python3-venv', 'python3-setuptools', 'python3-requests', 'sudo'];
/** Bump when debian13-root.sh changes what it builds: a new cache entry is made. */
const ROOT_VERSION = 2;
const CACHE = process.env.CI_LINT_CACHE ?? '/var/cache/ci-lint';
const ROOT_DIR = join(
  CACHE,
  `debian13-minbase-${createHash('sha256')
    .update(JSON.stringify([ROOT_VERSION, ROOT_PACKAGES]))
    .digest('hex')
    .slice(0, 12)}`,
);
/** debootstrap minbase plus the packages took about a minute here; a slow mirror gets room, not forever. */
const ROOT_BUILD_TIMEOUT_MS = 300_000;
const RUN_TIMEOUT_MS = 180_000;
const TRIXIE = /^(?:(?:docker\.io\/)?(?:library\/)?)debian:(?:trixie|13)(?:[.-][\w.-]*)?$/;
/** Distributions apt installs in the root, whose `.post1` stands in for the next release on PyPI. */
const NEWER = ['pip', 'setuptools', 'wheel', 'packaging', 'requests'];
const REQUIREMENT = 'pep668demo';
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Programs the root does not have and cannot get offline. */
const UNAVAILABLE: Record<string, string> = {
  'get-pip': 'get-pip.py comes from the network',
  'pip-sync': 'pip-tools is not packaged in Debian, and a stand-in would not behave like pip-sync',
  pipenv: 'pipenv is not in this root',
  poetry: 'poetry is not in this root',
  'flit-install': 'flit is not in this root',
};

// ---------------------------------------------------------------------------------------------------
// The host and the root

function hostProblems(): string[] {
  const problems: string[] = [];
  if (process.platform !== 'linux') problems.push('not Linux');
  if (process.getuid?.() !== 0) problems.push('not running as root (debootstrap, chroot, namespaces)');
  if (spawnSync('sh', ['-c', 'command -v debootstrap'], { env: { PATH } }).status !== 0)
    problems.push('debootstrap is not installed (apt-get install debootstrap)');
  problems.push(...namespaceProblems());
  return problems;
}

/** The Debian archive this machine's apt uses (deb822 `.sources` or `sources.list`), not its security mirror. */
function aptMirror(): string {
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir))
    files.push(
      ...readdirSync(dir)
        .filter((f) => f.endsWith('.sources') || f.endsWith('.list'))
        .map((f) => join(dir, f)),
    );
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const uris = [
      ...text.matchAll(/^URIs:\s*(\S+)/gm),
      ...text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/gm),
    ].map((m) => m[1]!);
    const archive = uris.find((u) => /\/debian\/?$/.test(u) && !/security/.test(u));
    if (archive) return archive.replace(/\/$/, '');
  }
  return 'http://deb.debian.org/debian';
}

type RootOutcome =
  | { ok: true; ms: number; built: boolean }
  | { ok: false; unreachable: boolean; why: string };

function buildRoot(): RootOutcome {
  const built = !existsSync(join(ROOT_DIR, '.ci-lint-root-complete'));
  const started = Date.now();
  const r = spawnSync('bash', [BUILD_ROOT, ROOT_DIR, aptMirror(), ...ROOT_PACKAGES], {
    encoding: 'utf8',
    timeout: ROOT_BUILD_TIMEOUT_MS,
    env: { PATH, LANG: 'C.UTF-8' },
  });
  if (r.status === 0) return { ok: true, ms: Date.now() - started, built };
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  if (r.status === 3)
    return { ok: false, unreachable: true, why: `debootstrap cannot reach ${aptMirror()}:\n${output}` };
  return {
    ok: false,
    unreachable: false,
    why: `building the Debian 13 root failed (${r.error?.message ?? `exit ${r.status}`}):\n${output}`,
  };
}

// ---------------------------------------------------------------------------------------------------
// The trap fixtures

interface Plan {
  key: string;
  job: Job;
  findings: Finding[];
  /** The job as the override golden has it, if the case has one. */
  fixed?: Job;
  notProvable?: string;
}

const rel = (p: string) => relative(ROOT, p);

function plans(): Plan[] {
  const out: Plan[] = [];
  const rulesDir = join(ROOT, 'rules');
  const paths = [...TRAP_CASES.map((c) => join(ROOT, c))];
  for (const rule of TRAP_RULES) {
    const dir = join(rulesDir, rule, 'cases');
    for (const f of readdirSync(dir).sort())
      if (f.endsWith('.yml') && !f.endsWith('.fixed.yml') && !f.startsWith('ok-')) paths.push(join(dir, f));
  }
  for (const path of paths) {
    const original = lintString(path, readFileSync(path, 'utf8'));
    const goldenPath = path.replace(/\.yml$/, '.override.fixed.yml');
    const golden = existsSync(goldenPath) ? lintString(path, readFileSync(goldenPath, 'utf8')) : undefined;
    for (const job of original.pipeline?.jobs ?? []) {
      if (!job.image || !TRIXIE.test(job.image.name)) continue;
      const findings = original.findings.filter((x) => x.jobs.includes(job.name) && REFUSALS[x.rule]);
      if (findings.length === 0) continue;
      const plan: Plan = { key: `${rel(path)} › ${job.name}`, job, findings };
      const fixed = golden?.pipeline?.jobs.find((j) => j.name === job.name);
      if (fixed && JSON.stringify(texts(fixed.shells)) !== JSON.stringify(texts(job.shells)))
        plan.fixed = fixed;
      const why = unprovable(job.shells) ?? (plan.fixed ? unprovable(plan.fixed.shells) : undefined);
      if (why) plan.notProvable = why;
      out.push(plan);
    }
  }
  return out;
}

const texts = (shells: Shell[]) => shells.map((s) => s.lines.map((l) => l.text));

function unprovable(shells: Shell[]): string | undefined {
  const missing = aptPackages(shells).filter((p) => !ROOT_PACKAGES.includes(p));
  if (missing.length > 0) return `the root does not carry ${missing.join(' ')}`;
  const repository = repositoryContent(shells);
  if (repository) return `it runs repository content (\`${repository}\`)`;
  for (const shell of shells)
    for (const line of shell.lines)
      for (const cmd of parseCommands(line.text)) {
        const why = UNAVAILABLE[classify(cmd).kind];
        if (why) return `\`${line.text}\`: ${why}`;
      }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Running

let scratch = '';
let wheelhouse = '';
let runCount = 0;
const limit = limiter(2);

function runDir(tag: string): string {
  const dir = join(
    scratch,
    `${String(++runCount).padStart(2, '0')}-${tag.replace(/[^A-Za-z0-9._-]+/g, '_')}`,
  );
  for (const d of ['project', 'tmp', 'lines', 'layers']) mkdirSync(join(dir, d), { recursive: true });
  return dir;
}

const admindir = () => join(ROOT_DIR, 'var/lib/dpkg');

/** Packages the root has beyond minbase that a job's apt lines (with their Depends) do not bring. */
function hiddenPackages(shells: ShellLike[]): string[] {
  const minbase = new Set(readFileSync(join(ROOT_DIR, '.ci-lint-minbase-packages'), 'utf8').split('\n'));
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const r = spawnSync('dpkg-query', [`--admindir=${admindir()}`, '-W', '-f=${Package}\n'], {
    encoding: 'utf8',
  });
  const brought = dependencyClosure(aptPackages(shells), () => true, admindir());
  return r.stdout
    .split('\n')
    .filter((p) => p !== '' && !minbase.has(p) && !brought.has(p))
    .sort();
}

/** What sandbox-debian13.sh needs besides the scripts: the root, where to work, what to hide. */
function sandbox(dir: string, shells: ShellLike[], env: Record<string, string>) {
  return {
    script: SANDBOX,
    args: [ROOT_DIR, join(dir, 'layers'), dir, wheelhouse, hiddenPackages(shells).join(' ')],
    env,
  };
}

function baseEnv(dir: string): Record<string, string> {
  return {
    PATH,
    HOME: '/root',
    LANG: 'C.UTF-8',
    TMPDIR: join(dir, 'tmp'),
    CI: 'true',
    GITLAB_CI: 'true',
    CI_PROJECT_DIR: join(dir, 'project'),
    PIP_NO_INDEX: '1',
    PIP_FIND_LINKS: wheelhouse,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
}

/** The wheelhouse, built inside the root (its python3, apt's own files) by test/real-pip/wheelhouse.py. */
async function buildWheelhouse(all: Plan[]): Promise<string[]> {
  const names = new Set<string>([REQUIREMENT]);
  for (const p of all)
    for (const job of [p.job, p.fixed])
      if (job) for (const n of jobNeeds(job.shells, job.variables).names) names.add(n);
  const spec = {
    dummies: [...names]
      .filter((n) => !NEWER.includes(n))
      .sort()
      .map((name) => ({ name, version: '1.0.0', scripts: [] })),
    newer: NEWER.map((name) => ({ name, packages: [name] })),
  };
  const dir = runDir('wheelhouse');
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  copyFileSync(WHEEL_BUILDER, join(dir, 'wheelhouse.py'));
  const shells: ShellLike[] = [
    {
      kind: 'main',
      label: 'wheelhouse',
      lines: [
        `apt-get install -y ${ROOT_PACKAGES.join(' ')} >/dev/null`,
        `python3 ${join(dir, 'wheelhouse.py')} ${wheelhouse} <${join(dir, 'spec.json')}`,
      ].map((text) => ({ text })),
    },
  ];
  const scripts = writeShellScripts(dir, shells);
  const r = await runSandbox(sandbox(dir, shells, baseEnv(dir)), dir, shells, scripts, RUN_TIMEOUT_MS);
  const failure = firstFailure(r);
  assert.equal(sandboxBroken(r), undefined);
  assert.equal(failure, undefined, failure && `building the wheelhouse: ${describeFailure(failure)}`);
  return readdirSync(wheelhouse).sort();
}

function runJob(job: Job, tag: string): Promise<RunResult> {
  const dir = runDir(tag);
  const project = join(dir, 'project');
  writeProject(project);
  writeRequirements(project, jobNeeds(job.shells).requirementFiles, REQUIREMENT);
  const scripts = writeShellScripts(dir, job.shells);
  const env = { ...baseEnv(dir), CI_JOB_NAME: job.name };
  for (const [k, v] of job.variables) env[k as keyof typeof env] = v.value;
  return limit(() => runSandbox(sandbox(dir, job.shells, env), dir, job.shells, scripts, RUN_TIMEOUT_MS));
}

// ---------------------------------------------------------------------------------------------------
// The tests

const problems = hostProblems();
const all = plans();

if (problems.length > 0) {
  const why = `the Debian 13 proof needs root, debootstrap, unshare and overlayfs: ${problems.join('; ')}`;
  if (process.env.CI)
    test('real pip on Debian 13: host prerequisites (CI must run this proof)', () => assert.fail(why));
  else describe('real pip on Debian 13', { skip: why }, () => {});
} else {
  const root = buildRoot();
  if (!root.ok && root.unreachable) {
    describe('real pip on Debian 13', { skip: root.why }, () => {});
  } else {
    describe('real pip on Debian 13: original fails as its finding predicts, override-fixed runs clean', () => {
      const runs = new Map<string, Promise<RunResult>>();
      let wheels: string[] = [];
      const started = Date.now();

      before(async () => {
        if (!root.ok) return;
        scratch = mkdtempSync(join(tmpdir(), 'ci-lint-real-pip-13-'));
        wheelhouse = join(scratch, 'wheelhouse');
        mkdirSync(wheelhouse);
        wheels = await buildWheelhouse(all);
        for (const p of all) {
          if (p.notProvable) continue;
          runs.set(`${p.key}#before`, runJob(p.job, `${p.job.name}-before`));
          if (p.fixed) runs.set(`${p.key}#after`, runJob(p.fixed, `${p.job.name}-override`));
        }
      });

      after(() => {
        if (scratch && !process.env.REAL_PIP_KEEP) rmSync(scratch, { recursive: true, force: true });
        else if (scratch) console.log(`real-pip (Debian 13): runs kept in ${scratch}`);
      });

      test('the Debian 13 root', (t) => {
        if (!root.ok) assert.fail(root.why);
        t.diagnostic(
          `${ROOT_DIR} (${root.built ? `built in ${(root.ms / 1000).toFixed(1)} s` : 'reused from the cache'}) from ${aptMirror()}`,
        );
      });

      for (const p of all) {
        describe(p.key, () => {
          if (p.notProvable) {
            test('not provable in this root', { skip: p.notProvable }, () => {});
            return;
          }
          test('before the fix: a flagged line fails with the error its finding predicts', async (t) => {
            assert.ok(root.ok, 'no root');
            const r = await runs.get(`${p.key}#before`)!;
            assert.equal(sandboxBroken(r), undefined);
            assert.equal(hostMissing(r), undefined);
            const refusal = firstRefusal(r, p.job, p.findings);
            const failure = firstFailure(r);
            assert.ok(
              refusal,
              failure
                ? `it stopped where no finding predicted it: ${describeFailure(failure)}`
                : `it ran to the end (${r.ms} ms) and no flagged line printed the predicted error`,
            );
            t.diagnostic(
              `${refusal.rule}: line ${refusal.index + 1} \`${refusal.line.text}\` exit ${refusal.rc} (${r.ms} ms)`,
            );
          });
          if (p.fixed)
            test('after --fix-strategy override (the golden file): every line exits 0', async (t) => {
              assert.ok(root.ok, 'no root');
              const r = await runs.get(`${p.key}#after`)!;
              assert.equal(sandboxBroken(r), undefined);
              assert.equal(hostMissing(r), undefined);
              const failure = firstFailure(r);
              assert.equal(failure, undefined, failure && `the fixed job fails: ${describeFailure(failure)}`);
              t.diagnostic(
                `all ${r.shells.reduce((n, s) => n + s.lines.length, 0)} lines exit 0 (${r.ms} ms)`,
              );
            });
        });
      }

      test('summary', async (t) => {
        await Promise.allSettled(runs.values());
        t.diagnostic(`wheelhouse: ${wheels.join(' ')}`);
        const provable = all.filter((p) => !p.notProvable);
        t.diagnostic(
          `${all.length} trap jobs on debian:trixie: ${provable.length} run here (${provable.filter((p) => p.fixed).length} with an override golden)`,
        );
        for (const p of all.filter((x) => x.notProvable))
          t.diagnostic(`not provable: ${p.key}: ${p.notProvable}`);
        t.diagnostic(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      });
    });
  }
}
