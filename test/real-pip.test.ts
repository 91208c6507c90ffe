/**
 * The proof on real pip (issue 7, item 5): each fixture job that can run on this host (Debian 12 image,
 * or no image with apt evidence) is run with bash before and after ci-lint's fix, for every strategy,
 * against Debian's own pip, venv, pipx and flit. Before: the job must stop at a flagged line whose
 * output says what its finding predicts (`externally-managed-environment`, or flit's RootInstallError
 * when sudo dropped FLIT_ROOT_INSTALL: test/real-pip/jobs.ts REFUSALS); a line that `|| true` catches
 * only has to print it. After: every line must exit 0 (`metalfinder --help`
 * included), or — when the strategy offers no fix for a line — the job may only stop at that line,
 * which the linter still reports.
 *
 * How a job runs (test/real-pip/sandbox.sh): as root in private mount and network namespaces, with
 * /usr, /etc and /var overlaid on a tmpfs and /usr/local and /root empty as in a fresh image, so
 * system-wide installs never reach the host and the host's own pip config and packages never reach
 * the job; no network (pip sees only a wheelhouse built here: `--no-index --find-links`, through the
 * PIP_* variables and /etc/pip.conf, which `sudo` keeps); apt-get/apt replaced by a check that the
 * named packages are installed; an empty environment (no pyenv shims) plus the job's variables.
 * Apt packages the host has for the proof but the job never installs (python3-pip, python3-venv,
 * pipx, flit, sudo, with their Depends) are removed from the run's view, so a fix that forgets to add
 * python3-venv or pipx to the apt line fails here as it would on the image.
 * Debian 13's traps run in a Debian 13 root instead: test/real-pip-debian13.test.ts.
 * Scope: jobs with a finding of a PEP 668 rule (PEP668_RULES) whose image is Debian 12 or absent
 * (apt evidence); jobs that run repository content we do not have (`make x`, `./script`) are listed
 * as not provable. The scratch project (a flit project with a `metalfinder` script, a CMakeLists.txt,
 * every requirements file the job names) stands in for the repository.
 * GitLab semantics: before_script + script inlined into one bash process under `set -eo pipefail`,
 * stopping after the first item that exits non-zero (Runner's FF_ENABLE_BASH_EXIT_CODE_CHECK, the
 * stricter of its two modes); after_script in a new process.
 *
 * Build isolation stays on (pip's default, as on a real runner): pip installs the project's
 * `flit_core` into its isolated build environment from the wheelhouse, where it is Debian's own
 * flit_core repackaged as a wheel (test/real-pip/wheelhouse.py). With isolation off
 * (PIP_NO_BUILD_ISOLATION=0) pip would build inside the target environment, and a fresh venv has no
 * flit_core: `BackendUnavailable: No module named 'flit_core'` (measured).
 *
 * Needs Debian 12, root (for unshare and overlayfs), python3-pip, python3-venv, pipx and flit from apt
 * and the EXTERNALLY-MANAGED marker; jobs whose apt-get lines name more (e.g. sudo) fail, as a
 * test-environment problem, where those are missing. Skipped with the reason on other hosts; never
 * skipped when CI is set. REAL_PIP_KEEP=1 keeps the scratch folder (scripts, per-line output).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { applyFixes } from '../src/engine/apply-fixes.ts';
import { fixText } from '../src/engine/fixer.ts';
import type { RunOptions } from '../src/engine/run.ts';
import { KNOWN_APPLICATIONS } from '../src/fixes/pipx.ts';
import type { Finding, Fix, FixStrategy } from '../src/model/finding.ts';
import type { Job, Shell } from '../src/model/job.ts';
import { classify } from '../src/shell/classify.ts';
import { parseCommands } from '../src/shell/commands.ts';
import { definedFunctions } from '../src/shell/functions.ts';
import { lintString } from './helpers/lint.ts';
import {
  aptPackages,
  briefFailure,
  dependencyClosure,
  describeFailure,
  firstFailure,
  firstRefusal,
  hostMissing,
  jobNeeds,
  limiter,
  lineOf,
  type Needs,
  namespaceProblems,
  normalise,
  PROJECT_MODULE,
  PROJECT_SCRIPT,
  type RunResult,
  repositoryContent,
  runSandbox,
  sandboxBroken,
  writeProject,
  writeRequirements,
  writeShellScripts,
} from './real-pip/jobs.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SANDBOX = join(ROOT, 'test/real-pip/sandbox.sh');
const WHEEL_BUILDER = join(ROOT, 'test/real-pip/wheelhouse.py');
const STRATEGIES: FixStrategy[] = ['venv', 'pipx', 'override'];
const PEP668 = 'externally-managed-environment';
const SCRUBBED_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** What is on PATH in the sandbox before the job installs anything (its /usr/local starts empty). */
const IMAGE_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
/** What the proof itself needs from apt (jobs may name more on their apt-get lines: checked per job). */
const HOST_PACKAGES = ['python3-pip', 'python3-venv', 'pipx', 'flit'];
const MARKER = '/usr/lib/python3.11/EXTERNALLY-MANAGED';
/** Distributions the wheelhouse gets from Debian's own files instead of a stand-in. */
const FROM_DEBIAN_WHEELS = ['pip', 'setuptools']; // /usr/share/python-wheels (python3-pip-whl, python3-setuptools-whl)
const FROM_DEBIAN_FILES = [
  { name: 'wheel', packages: ['wheel'] }, // python3-wheel (a dependency of python3-pip)
  { name: 'flit_core', packages: ['flit_core'] }, // shipped in Debian 12's flit package
];
/** The distribution every requirements file names. */
const REQUIREMENT = 'pep668demo';
const RUN_TIMEOUT_MS = 120_000;

/**
 * Fixes shown not to work on real pip: `<source> › <job> › <strategy>` → why. The test stays honest
 * (it runs and reports), but is marked todo.
 */
// (the `pip config set` case this once held was rewritten: pip 23.0.1 crashes on `pip config set` under
// PIP_CONFIG_FILE=/dev/null, so that job now writes /etc/pip.conf instead)
const KNOWN_BROKEN: Record<string, string> = {};

// ---------------------------------------------------------------------------------------------------
// The host

function dpkgInstalled(pkg: string): boolean {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout === 'install ok installed';
}

function hostProblems(): string[] {
  const problems: string[] = [];
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  if (!/^ID=debian$/m.test(osRelease) || !/^VERSION_ID="?12"?$/m.test(osRelease))
    problems.push('the host is not Debian 12 (bookworm)');
  if (process.getuid?.() !== 0) problems.push('not running as root (jobs run in private namespaces)');
  const missing = HOST_PACKAGES.filter((p) => !dpkgInstalled(p));
  if (missing.length > 0) problems.push(`apt packages not installed: ${missing.join(' ')}`);
  if (!existsSync(MARKER)) problems.push(`no ${MARKER}`);
  problems.push(...namespaceProblems());
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// The inputs and their fixed versions

interface Source {
  label: string;
  path: string;
  text: string;
  options: Partial<RunOptions>;
  /** Per strategy: the fixed text and where it came from. */
  fixed: Map<FixStrategy, { text: string; origin: string }>;
}

const rel = (p: string) => relative(ROOT, p);

function caseOptions(text: string): Partial<RunOptions> {
  const defaultImage = /^# default-image: (\S+)/m.exec(text)?.[1];
  return defaultImage ? { environment: { defaultImage } } : {};
}

const findingsOf = (source: Pick<Source, 'path' | 'options'>, text: string) =>
  lintString(source.path, text, source.options).findings;

/** pipx fixes are suggestions, never applied by --fix: take each finding's pipx edits as they are. */
function applyPipx(source: Source): string {
  let text = source.text;
  for (let round = 0; round < 10; round++) {
    const fixes = findingsOf(source, text)
      .map((f) => f.fixes.find((x) => x.strategy === 'pipx'))
      .filter((f): f is Fix => f?.edits.every((e) => e.path === source.path) === true);
    const next = applyFixes(text, fixes).text;
    if (next === text) break;
    text = next;
  }
  return text;
}

function loadSources(): Source[] {
  const inputs: { path: string; golden: boolean }[] = [];
  const rulesDir = join(ROOT, 'rules');
  for (const rule of readdirSync(rulesDir, { withFileTypes: true })) {
    const dir = join(rulesDir, rule.name, 'cases');
    if (!rule.isDirectory() || !existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.yml') || f.endsWith('.fixed.yml')) continue;
      const path = join(dir, f);
      if (STRATEGIES.some((s) => existsSync(path.replace(/\.yml$/, `.${s}.fixed.yml`))))
        inputs.push({ path, golden: true });
    }
  }
  inputs.push({ path: join(ROOT, 'fixtures/debian-flit/.gitlab-ci.yml'), golden: false });
  return inputs.map(({ path, golden }) => {
    const text = readFileSync(path, 'utf8');
    const source: Source = { label: rel(path), path, text, options: caseOptions(text), fixed: new Map() };
    for (const strategy of STRATEGIES) {
      const goldenPath = path.replace(/\.yml$/, `.${strategy}.fixed.yml`);
      if (strategy === 'pipx') {
        // the suggestions' edits as they are; a pipx golden file, if any, is only compared
        const text = applyPipx(source);
        const golden = existsSync(goldenPath) ? readFileSync(goldenPath, 'utf8') : undefined;
        const note =
          golden === undefined ? '' : golden === text ? ', = golden' : ', differs from the golden file';
        source.fixed.set(strategy, { text, origin: `pipx fix edits${note}` });
      } else {
        const engine = fixText(path, text, (t) => findingsOf(source, t), strategy, 'unsafe').text;
        if (golden && existsSync(goldenPath)) {
          // the golden file is what runs; rule-cases.test.ts holds it equal to the engine's output
          const goldenText = readFileSync(goldenPath, 'utf8');
          const note = goldenText === engine ? '' : ', which differs from the engine output today';
          source.fixed.set(strategy, { text: goldenText, origin: `${rel(goldenPath)}${note}` });
        } else source.fixed.set(strategy, { text: engine, origin: `fixText(${strategy}, unsafe)` });
      }
    }
    return source;
  });
}

// ---------------------------------------------------------------------------------------------------
// Jobs: which can run here, what they need

type Verdict = { provable: true } | { provable: false; why: string };

const DEBIAN_12 = /^(?:(?:docker\.io\/)?(?:library\/)?)debian:(?:bookworm|12)(?:[.-][\w.-]*)?$/;

/** Rules whose finding says: the job stops here, in the way REFUSALS describes (PEP 668 mostly). */
const PEP668_RULES = new Set([
  'pip-install-system-python',
  'indirect-pip-system-python',
  'pip-user-install-managed',
  'sudo-pip-system',
  'relies-on-runner-pip-override',
  'override-dropped-by-sudo',
]);
/**
 * Packages the host must have for the proof but a debian:bookworm image lacks until the job installs
 * them: a run sees them only if its own apt lines (with their Depends) bring them.
 */
const OPTIONAL_PACKAGES = ['python3-pip', 'python3-venv', 'python3.11-venv', 'pipx', 'flit', 'sudo'];

/** Indirect pip users (classify's action kind) → the distribution that provides them. */
const INDIRECT_TOOLS: Record<string, string> = {
  'pip-sync': 'pip-tools',
  pipenv: 'pipenv',
  'uv-pip': 'uv',
  poetry: 'poetry',
};

function provable(job: Job, dialect: string | undefined, source: Source, findings: Finding[]): Verdict {
  const rules = [...new Set(findings.map((f) => f.rule))];
  if (!rules.some((r) => PEP668_RULES.has(r)))
    return {
      provable: false,
      why: `its findings (${rules.join(', ')}) are not PEP 668 refusals; this proof is about externally-managed-environment`,
    };
  if (dialect !== 'gitlab')
    return {
      provable: false,
      why: `GitHub Actions job on ${job.runner?.labels.join(', ') || 'a runner'} (runner images and step semantics are not emulated here)`,
    };
  const image = job.image?.name ?? source.options.environment?.defaultImage;
  if (image !== undefined && !DEBIAN_12.test(image))
    return { provable: false, why: `image ${image} is not Debian 12` };
  if (image === undefined && !aptPackages(job.shells).length)
    return { provable: false, why: 'no image and no apt evidence: the runner decides' };
  const repository = repositoryContent(job.shells);
  if (repository)
    return {
      provable: false,
      why: `it runs repository content this proof does not have (\`${repository}\`), whose effect on pip is unknown`,
    };
  // a package CI never installs (.ci/run's apt line) and this host lacks: the job would stop at apt
  const unprovided = aptPackages(job.shells).filter((p) => !dpkgInstalled(p) && !CI_PACKAGES.has(p));
  if (unprovided.length > 0)
    return {
      provable: false,
      why: `its apt line needs ${unprovided.join(', ')}, which neither this host nor .ci/run provides`,
    };
  const unknown = unknownProgram(job.shells);
  if (unknown)
    return {
      provable: false,
      why: `it runs \`${unknown}\`, which is neither on this host, nor a function of the job, nor something it installs`,
    };
  // indirect pip users that Debian 12 does not ship: the job stops at "command not found", or, if it
  // installs them, gets the offline wheelhouse's stand-in, which refuses nothing
  for (const f of findings) {
    const line = lineOf(job, f);
    if (!line) continue;
    for (const cmd of parseCommands(line.text)) {
      const action = classify(cmd);
      const prog = cmd.argv[0]?.value;
      const provider = INDIRECT_TOOLS[action.kind];
      if (!prog || !provider || hostHas('program', prog)) continue;
      return {
        provable: false,
        why: jobNeeds(job.shells, job.variables).names.has(provider)
          ? `\`${prog}\` (${provider}) is not on this host, and the job's install of it would get the offline wheelhouse's stand-in, which does not behave like ${provider}`
          : `\`${prog}\` (${provider}) is neither on this host nor installed by the job; Debian 12 does not ship it, so on debian:bookworm the job stops there with "command not found" before any pip runs`,
      };
    }
  }
  return { provable: true };
}

/** The apt packages `.ci/run` installs: what the proof may count on in CI. */
const CI_PACKAGES = new Set(
  (/apt-get install (.*)>/.exec(readFileSync(join(ROOT, '.ci/run'), 'utf8'))?.[1] ?? '')
    .split(/\s+/)
    .filter((w) => w !== '' && !w.startsWith('-')),
);

/**
 * A program the job runs by name that bash here would not find: not on the host's PATH (nor a
 * builtin), not a function the job defines, not the scratch project's script or something the job
 * installs with pip (the wheelhouse gives those a console script).
 */
function unknownProgram(shells: Shell[]): string | undefined {
  const functions = definedFunctions(shells.flatMap((s) => s.lines.map((l) => l.text)).join('\n'));
  const installed = jobNeeds(shells).names;
  for (const shell of shells)
    for (const line of shell.lines)
      for (const cmd of parseCommands(line.text)) {
        // the wrappers looked through (`retry`, `timeout` …) must exist too
        const program = cmd.argv[0]?.value ?? '';
        const own = classify(cmd).kind === 'other' && !program.includes('/') && !cmd.argv[0]!.dynamic;
        for (const name of [...cmd.wrappers, ...(own ? [program] : [])]) {
          if (name === '' || name === PROJECT_SCRIPT || installed.has(name) || functions.has(name)) continue;
          if (!bashKnows(name)) return name;
        }
      }
  return undefined;
}

const bashKnown = new Map<string, boolean>();
function bashKnows(program: string): boolean {
  if (!bashKnown.has(program)) {
    const r = spawnSync('bash', ['-c', 'type -t "$1"', 'bash', program], { env: { PATH: IMAGE_PATH } });
    bashKnown.set(program, r.status === 0);
  }
  return bashKnown.get(program)!;
}

/** The optional packages a run must not see: those its apt lines do not bring. */
function hiddenPackages(shells: Shell[]): string[] {
  const brought = dependencyClosure(
    aptPackages(shells),
    (dep) => dep.startsWith('python3') || OPTIONAL_PACKAGES.includes(dep),
  );
  return OPTIONAL_PACKAGES.filter((p) => !brought.has(p) && dpkgInstalled(p));
}

const onHost = new Map<string, boolean>();
/** A program on a fresh image's PATH (the sandbox's /usr/local is empty), or a module of its python3. */
function hostHas(kind: 'program' | 'module', name: string): boolean {
  const key = `${kind}:${name}`;
  if (!onHost.has(key)) {
    const r =
      kind === 'program'
        ? // bash, as the jobs run: `[[` is one of its keywords, not a program to install
          spawnSync('bash', ['-c', 'command -v "$1"', 'bash', name], { env: { PATH: IMAGE_PATH } })
        : spawnSync(
            '/usr/bin/python3',
            [
              '-c',
              'import importlib.util, sys; sys.exit(importlib.util.find_spec(sys.argv[1]) is None)',
              name,
            ],
            { env: { PATH: IMAGE_PATH, HOME: tmpdir() } },
          );
    onHost.set(key, r.status === 0);
  }
  return onHost.get(key)!;
}

/**
 * What the job's requirements files must hold for the job to make sense: programs it runs and modules
 * it runs with `python -m` that neither the image nor an install by name provides (`pytest` after
 * `pip install -r requirements.txt`). Only when the job installs a requirements file at all.
 */
function impliedRequirements(needs: Needs): string[] {
  if (needs.requirementFiles.size === 0) return [];
  const out = new Set<string>();
  for (const p of needs.programs)
    if (p !== PROJECT_SCRIPT && !needs.names.has(normalise(p)) && !hostHas('program', p))
      out.add(normalise(p));
  for (const m of needs.modules)
    if (m !== PROJECT_MODULE && !needs.names.has(normalise(m)) && !hostHas('module', m))
      out.add(normalise(m));
  return [...out].sort();
}

// ---------------------------------------------------------------------------------------------------
// Running a job

let scratch = '';
let wheelhouse = '';
let runCount = 0;

const limit = limiter(Math.max(2, Math.min(8, availableParallelism() + 1)));

function runJob(job: Job, shells: Shell[], tag: string): Promise<RunResult> {
  const dir = join(
    scratch,
    `${String(++runCount).padStart(2, '0')}-${tag.replace(/[^A-Za-z0-9._-]+/g, '_')}`,
  );
  const project = join(dir, 'project');
  const home = join(dir, 'home');
  for (const d of [project, home, join(dir, 'tmp'), join(dir, 'lines')]) mkdirSync(d, { recursive: true });
  writeProject(project);
  const needs = jobNeeds(shells);
  const requirements = [REQUIREMENT, ...impliedRequirements(needs)].join('\n');
  writeRequirements(project, needs.requirementFiles, requirements);
  const scripts = writeShellScripts(dir, shells);
  const env: Record<string, string> = {
    PATH: SCRUBBED_PATH,
    HOME: home,
    LANG: 'C.UTF-8',
    TMPDIR: join(dir, 'tmp'),
    CI: 'true',
    GITLAB_CI: 'true',
    CI_JOB_NAME: job.name,
    CI_PROJECT_DIR: project,
    PIP_NO_INDEX: '1',
    PIP_FIND_LINKS: wheelhouse,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
  for (const [k, v] of job.variables) env[k] = v.value;
  const args = [join(dir, 'layers'), wheelhouse, project, hiddenPackages(shells).join(' ')];
  return limit(() => runSandbox({ script: SANDBOX, args, env }, dir, shells, scripts, RUN_TIMEOUT_MS));
}

// ---------------------------------------------------------------------------------------------------
// The plan

interface StrategyPlan {
  strategy: FixStrategy;
  origin: string;
  shells: Shell[];
  job: Job;
  /** Findings left in the fixed file for this job (what the strategy could not fix). */
  left: Finding[];
}
interface JobPlan {
  key: string;
  source: Source;
  job: Job;
  findings: Finding[];
  verdict: Verdict;
  strategies: StrategyPlan[];
  /** Strategies that change nothing in this job. */
  noFix: FixStrategy[];
  /** Strategies after whose fix the job cannot be found (a failure). */
  gone: FixStrategy[];
}

function plan(sources: Source[]): JobPlan[] {
  const plans: JobPlan[] = [];
  for (const source of sources) {
    const original = lintString(source.path, source.text, source.options);
    for (const job of original.pipeline?.jobs ?? []) {
      const findings = original.findings.filter((f) => f.jobs.includes(job.name));
      if (findings.length === 0) continue;
      const p: JobPlan = {
        key: `${source.label} › ${job.name}`,
        source,
        job,
        findings,
        verdict: provable(job, original.dialect, source, findings),
        strategies: [],
        noFix: [],
        gone: [],
      };
      for (const strategy of STRATEGIES) {
        const fixed = source.fixed.get(strategy)!;
        const after = lintString(source.path, fixed.text, source.options);
        const fixedJob = after.pipeline?.jobs.find((j) => j.name === job.name);
        if (!fixedJob) {
          p.gone.push(strategy);
          continue;
        }
        const same =
          JSON.stringify(fixedJob.shells.map((s) => s.lines.map((l) => l.text))) ===
          JSON.stringify(job.shells.map((s) => s.lines.map((l) => l.text)));
        if (same) p.noFix.push(strategy);
        else
          p.strategies.push({
            strategy,
            origin: fixed.origin,
            shells: fixedJob.shells,
            job: fixedJob,
            left: after.findings.filter((f) => f.jobs.includes(job.name)),
          });
      }
      plans.push(p);
    }
  }
  return plans;
}

function wheelhouseSpec(plans: JobPlan[]) {
  const names = new Set<string>([REQUIREMENT]);
  const programs = new Set<string>();
  for (const p of plans) {
    for (const shells of [p.job.shells, ...p.strategies.map((s) => s.shells)]) {
      const needs = jobNeeds(shells, p.job.variables);
      for (const n of [...needs.names, ...impliedRequirements(needs)]) names.add(n);
      for (const c of needs.programs) programs.add(normalise(c));
    }
  }
  const real = new Set([...FROM_DEBIAN_WHEELS, ...FROM_DEBIAN_FILES.map((d) => d.name)].map(normalise));
  const dummies = [...names]
    .filter((n) => !real.has(n))
    .sort()
    .map((name) => ({
      name,
      version: '1.0.0',
      // a console script for applications (what pipx needs) and for anything the jobs run
      scripts: KNOWN_APPLICATIONS.has(name) || programs.has(name) ? [name] : [],
    }));
  return { dummies, debian: FROM_DEBIAN_FILES };
}

function buildWheelhouse(dir: string, spec: ReturnType<typeof wheelhouseSpec>): string[] {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('/usr/bin/python3', [WHEEL_BUILDER, dir], {
    input: JSON.stringify(spec),
    encoding: 'utf8',
    env: { PATH: SCRUBBED_PATH, HOME: dir, LANG: 'C.UTF-8' },
  });
  assert.equal(r.status, 0, `wheelhouse.py failed:\n${r.stderr}`);
  const wheels = '/usr/share/python-wheels';
  for (const name of FROM_DEBIAN_WHEELS) {
    const whl = existsSync(wheels)
      ? readdirSync(wheels).find((f) => f.startsWith(`${name}-`) && f.endsWith('.whl'))
      : undefined;
    assert.ok(whl, `no ${name} wheel in ${wheels} (python3-${name}-whl)`);
    copyFileSync(join(wheels, whl), join(dir, whl));
  }
  return readdirSync(dir).sort();
}

// ---------------------------------------------------------------------------------------------------
// The tests

type Outcome = 'proven' | 'partial' | 'failed';
const summary = {
  before: new Map<string, boolean>(),
  after: new Map<string, { strategy: FixStrategy; outcome: Outcome; note: string }>(),
};

const problems = hostProblems();
if (problems.length > 0) {
  const why = `real-pip proof needs Debian 12 as root with ${HOST_PACKAGES.join(', ')} from apt, ${MARKER} and private namespaces: ${problems.join('; ')}`;
  if (process.env.CI) {
    test('real pip: host prerequisites (CI must run this proof)', () => assert.fail(why));
  } else {
    describe('real pip', { skip: why }, () => {});
  }
} else {
  const plans = plan(loadSources());
  const runs = new Map<string, Promise<RunResult>>();
  const started = Date.now();
  let wheels: string[] = [];

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'ci-lint-real-pip-'));
    wheelhouse = join(scratch, 'wheelhouse');
    wheels = buildWheelhouse(wheelhouse, wheelhouseSpec(plans.filter((p) => p.verdict.provable)));
    // start every run now; they go in parallel (bounded) while the tests wait for theirs. Jobs that
    // are the same script with the same variables (a case and a fixture) run once.
    const byContent = new Map<string, Promise<RunResult>>();
    const start = (key: string, job: Job, shells: Shell[], tag: string) => {
      if (hostLacks(shells).length > 0) return;
      const content = JSON.stringify([
        [...job.variables].map(([k, v]) => [k, v.value]),
        shells.map((sh) => [sh.kind, sh.lines.map((l) => l.text)]),
      ]);
      if (!byContent.has(content)) byContent.set(content, runJob(job, shells, tag));
      runs.set(key, byContent.get(content)!);
    };
    for (const p of plans) {
      if (!p.verdict.provable) continue;
      const tag = `${basename(p.source.path)}-${p.job.name}`;
      start(`${p.key}#before`, p.job, p.job.shells, `${tag}-before`);
      for (const s of p.strategies) start(`${p.key}#${s.strategy}`, s.job, s.shells, `${tag}-${s.strategy}`);
    }
  });

  after(() => {
    // REAL_PIP_KEEP=1 keeps the runs (scripts, per-line output) for a look
    if (scratch && !process.env.REAL_PIP_KEEP) rmSync(scratch, { recursive: true, force: true });
    else if (scratch) console.log(`real-pip: runs kept in ${scratch}`);
  });

  describe('real pip on Debian 12: original fails with externally-managed-environment, fixed runs', () => {
    for (const p of plans) {
      if (!p.verdict.provable) {
        test(`${p.key}`, { skip: `not provable on this host: ${p.verdict.why}` }, () => {});
        continue;
      }
      describe(p.key, () => {
        const todoBefore = KNOWN_BROKEN[`${p.key} › before`];
        const beforeTitle = 'before the fix: stops at a flagged line with the refusal its finding predicts';
        test(beforeTitle, todoBefore ? { todo: todoBefore } : {}, async (t) => {
          assertHostHas(p.job.shells);
          const r = await runs.get(`${p.key}#before`)!;
          assert.equal(sandboxBroken(r), undefined);
          assert.equal(hostMissing(r), undefined, 'the job needs apt packages this host lacks');
          // the first flagged line that prints what its finding predicts; `|| true` may let the job go on
          const failure = firstFailure(r);
          const refusal = firstRefusal(r, p.job, p.findings);
          assert.ok(
            refusal,
            failure
              ? `it stopped where no finding predicted it: ${describeFailure(failure)}`
              : `the original job ran to the end (${r.ms} ms); nothing was refused`,
          );
          summary.before.set(p.key, true);
          t.diagnostic(
            `${refusal.rule}: line ${refusal.index + 1} \`${refusal.line.text}\` (exit ${refusal.rc}, ${r.ms} ms)`,
          );
        });
        for (const s of p.strategies) {
          const todo = KNOWN_BROKEN[`${p.key} › ${s.strategy}`];
          test(`after --fix-strategy ${s.strategy} (${s.origin})`, todo ? { todo } : {}, async (t) => {
            assertHostHas(s.shells);
            const r = await runs.get(`${p.key}#${s.strategy}`)!;
            assert.equal(sandboxBroken(r), undefined);
            assert.equal(hostMissing(r), undefined, 'the fixed job needs apt packages this host lacks');
            const failure = firstFailure(r);
            const record = (outcome: Outcome, note: string) => {
              summary.after.set(`${p.key} › ${s.strategy}`, { strategy: s.strategy, outcome, note });
              t.diagnostic(`${outcome}: ${note} (${r.ms} ms)`);
            };
            if (!failure) {
              const lines = r.shells.reduce((n, sh) => n + sh.lines.length, 0);
              record('proven', `all ${lines} lines exit 0`);
              return;
            }
            // a line the strategy has no fix for may still be refused, if ci-lint still reports it
            const unfixable = s.left.filter(
              (f) =>
                !f.fixes.some((x) => x.strategy === s.strategy) && lineOf(s.job, f)?.text === failure.text,
            );
            if (unfixable.length > 0 && failure.output.includes(PEP668)) {
              record(
                'partial',
                `no ${s.strategy} fix for ${failure.shell} line ${failure.index + 1} \`${failure.text}\`; it is still refused there (PEP 668) and still reported`,
              );
              return;
            }
            record('failed', briefFailure(failure));
            assert.fail(`the ${s.strategy}-fixed job fails: ${describeFailure(failure)}`);
          });
        }
        if (p.noFix.length > 0)
          test(`no change from --fix-strategy ${p.noFix.join(', ')}: nothing to run`, (t) => {
            for (const strategy of p.noFix) {
              const offered = p.findings.flatMap((f) => f.fixes.filter((x) => x.strategy === strategy));
              t.diagnostic(
                `${strategy}: ${offered.length === 0 ? 'no finding of this job has such a fix' : `fixes offered (${offered.map((x) => x.applicability).join(', ')}) but none applied`}`,
              );
            }
          });
        for (const strategy of p.gone)
          test(`after --fix-strategy ${strategy}`, () =>
            assert.fail(`the job is gone from the ${strategy}-fixed file`));
      });
    }

    test('summary', async (t) => {
      await Promise.allSettled(runs.values());
      const provablePlans = plans.filter((p) => p.verdict.provable);
      t.diagnostic(`wheelhouse: ${wheels.join(' ')}`);
      t.diagnostic(
        `${plans.length} flagged jobs: ${provablePlans.length} provable on this host, ${plans.length - provablePlans.length} not`,
      );
      for (const strategy of STRATEGIES) {
        const withFix = provablePlans.filter((p) => p.strategies.some((s) => s.strategy === strategy));
        const before = withFix.filter((p) => summary.before.get(p.key)).length;
        const outcomes = withFix.map((p) => summary.after.get(`${p.key} › ${strategy}`)?.outcome);
        const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
        const none = provablePlans.length - withFix.length;
        const todoCount = withFix.filter((p) => KNOWN_BROKEN[`${p.key} › ${strategy}`]).length;
        t.diagnostic(
          `${strategy}: ${withFix.length} jobs changed by the fix; before: ${before} refused (PEP 668); after: ${count('proven')} run clean, ${count('partial')} partly fixed (stop at a line the strategy cannot fix), ${count('failed')} fail${todoCount ? ` (${todoCount} of them known, todo)` : ''}; ${none} jobs without a ${strategy} fix`,
        );
      }
      for (const p of plans.filter((x) => !x.verdict.provable))
        t.diagnostic(`not provable here: ${p.key}: ${(p.verdict as { why: string }).why}`);
      for (const [key, a] of summary.after)
        if (a.outcome !== 'proven') t.diagnostic(`${a.outcome}: ${key}: ${a.note}`);
      const needed = new Set(HOST_PACKAGES);
      for (const p of provablePlans)
        for (const shells of [p.job.shells, ...p.strategies.map((s) => s.shells)])
          for (const pkg of aptPackages(shells)) needed.add(pkg);
      t.diagnostic(`apt packages the provable jobs need on the host: ${[...needed].sort().join(' ')}`);
      const tests = new Set(plans.flatMap((p) => ['before', ...STRATEGIES].map((k) => `${p.key} › ${k}`)));
      for (const key of Object.keys(KNOWN_BROKEN))
        if (!tests.has(key)) t.diagnostic(`stale KNOWN_BROKEN entry (no such job): ${key}`);
      t.diagnostic(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
  });
}

/** apt packages a job's own apt lines name that this host lacks. */
function hostLacks(shells: Shell[]): string[] {
  return aptPackages(shells).filter((p) => !dpkgInstalled(p));
}

function assertHostHas(shells: Shell[]) {
  const missing = hostLacks(shells);
  assert.deepEqual(
    missing,
    [],
    `test environment problem, not a result: the job installs ${missing.join(' ')} with apt, which this host lacks; add them to .ci/run's apt-get line`,
  );
}
