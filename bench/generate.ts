/**
 * A deterministic generator of realistic CI files for the benchmark: GitLab projects (anchors,
 * merge keys, `extends` chains, `include: local` across files and nested, `!reference`,
 * `parallel: matrix`, long block scripts with apt/pip/venv lines) and GitHub repositories (matrix
 * workflows, containers, setup-python, multi-line `run:` steps, composite actions). Everything comes
 * from a seeded PRNG (mulberry32), so the same seed and count always give byte-identical files.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow text, where ${{ … }} is literal
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** mulberry32: small, fast, good enough for test data; never Math.random. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Mostly small, sometimes large: a rough long tail like real CI files. */
  tail(lo: number, typical: number, hi: number): number {
    const u = this.next();
    if (u < 0.8) return this.int(lo, typical);
    if (u < 0.97) return this.int(typical, Math.floor((typical + hi) / 2));
    return this.int(Math.floor((typical + hi) / 2), hi);
  }
}

export interface GeneratedFile {
  /** Relative to the tree's root. */
  path: string;
  text: string;
}

const IMAGES = [
  'debian:bookworm',
  'debian:bookworm-slim',
  'debian:bullseye',
  'debian:trixie',
  'ubuntu:22.04',
  'ubuntu:24.04',
  'python:3.12-slim',
  'python:3.11',
  'python:3.13-bookworm',
  'alpine:3.19',
  'alpine:3.20',
  'fedora:40',
  'registry.example.com/platform/base:2024.06',
  '$PYTHON_IMAGE',
];

const RUNNERS = ['ubuntu-22.04', 'ubuntu-24.04', 'ubuntu-latest', 'macos-14', 'windows-latest'];
const PY_VERSIONS = ['"3.9"', '"3.10"', '"3.11"', '"3.12"', '"3.13"'];
const PACKAGES = [
  'requests',
  'pytest',
  'pytest-cov',
  'tox',
  'nox',
  'ruff',
  'black==24.4.2',
  'mypy',
  'sphinx',
  'build',
  'twine',
  'wheel',
  'setuptools>=68',
  '"numpy<2"',
  'pre-commit',
  'coverage[toml]',
  'ansible-core',
  'awscli',
  'meson',
  'ninja',
];

/** Script lines a CI job plausibly runs; `@` becomes a few random packages. */
const SCRIPT_LINES = [
  'apt-get update -qq',
  'apt-get install -y --no-install-recommends python3 python3-pip python3-venv git',
  'apt-get install -y python3-dev build-essential libffi-dev',
  'apk add --no-cache py3-pip python3-dev gcc musl-dev',
  'dnf install -y python3-pip',
  'pip install @',
  'pip3 install --user @',
  'python3 -m pip install --upgrade pip setuptools wheel',
  'python -m pip install -r requirements.txt',
  'pip install -e ".[test]"',
  'pip install --break-system-packages @',
  'python3 -m venv .venv',
  '. .venv/bin/activate',
  'source venv/bin/activate',
  'deactivate',
  'pipx install @',
  'uv pip install --system @',
  'flit install --deps develop',
  'pipenv install --system --deploy',
  'poetry install --no-root',
  'sudo -E pip install .',
  'export PATH="$HOME/.local/bin:$PATH"',
  'export PIP_DISABLE_PIP_VERSION_CHECK=1',
  'if [ -f requirements-dev.txt ]; then pip install -r requirements-dev.txt; fi',
  'pytest -q --junitxml=report.xml --cov=src',
  'python -m build --sdist --wheel',
  'echo "building $CI_COMMIT_SHA on $CI_RUNNER_DESCRIPTION"',
  'make -j"$(nproc)" all',
  'cd docs && make html && cd ..',
  'for f in scripts/*.sh; do bash -n "$f"; done',
  'git config --global --add safe.directory "$CI_PROJECT_DIR"',
  'tar czf dist.tar.gz dist/',
  'curl -sSfL https://example.com/install.sh | sh -s -- -b /usr/local/bin',
  'docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA" .',
  'test -n "$DEPLOY_TOKEN" || { echo "no token"; exit 1; }',
  'bash -c "pip install @ && pytest"',
  'env PIP_NO_CACHE_DIR=1 python3 -m pip install @',
  'case "$CI_COMMIT_BRANCH" in main) echo release ;; *) echo snapshot ;; esac',
  'mkdir -p public && cp -r docs/_build/html/* public/',
  'ls -la',
];

function packages(rng: Rng): string {
  const n = rng.int(1, 3);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(rng.pick(PACKAGES));
  return out.join(' ');
}

function scriptLine(rng: Rng): string {
  return rng.pick(SCRIPT_LINES).replace('@', () => packages(rng));
}

/** A list script (`- line` items) at the given indent. */
function listScript(rng: Rng, indent: string, lines: number): string {
  let out = '';
  for (let i = 0; i < lines; i++) {
    const line = scriptLine(rng);
    // quote what YAML would misread: `: `, leading `*`/`&`/`!`, ` #`, `{`, `[`
    const needsQuote = /: |^[*&!{[|>%@`'"]| #/.test(line);
    out += `${indent}- ${needsQuote ? `'${line.replace(/'/g, "''")}'` : line}\n`;
  }
  return out;
}

/** A `|` block script at the given indent (the key line is written by the caller). */
function blockScript(rng: Rng, indent: string, lines: number): string {
  let out = '';
  for (let i = 0; i < lines; i++) {
    if (rng.chance(0.05)) out += `${indent}# step ${i}\n`;
    out += `${indent}${scriptLine(rng)}\n`;
  }
  return out;
}

function gitlabScript(rng: Rng, key: string, indent: string, lines = rng.tail(1, 8, 100)): string {
  if (rng.chance(0.35)) return `${indent}${key}: |\n${blockScript(rng, `${indent}  `, lines)}`;
  return `${indent}${key}:\n${listScript(rng, `${indent}  `, lines)}`;
}

/** A GitLab project: `.gitlab-ci.yml` plus `budget - 1` included files (some included from included files). */
function gitlabProject(rng: Rng, dir: string, budget: number): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  const includes = budget - 1;
  // templates live in ci/templates.yml, so only a project with includes has them
  const templates: string[] = budget > 1 ? ['.base'] : [];
  const included: string[] = [];
  // the included files: templates first, then jobs; every other one is included by its predecessor
  const nested = new Set<number>();
  for (let i = 2; i < includes; i++) if (rng.chance(0.3)) nested.add(i); // included by ci/jobs-(i-1).yml
  for (let i = 0; i < includes; i++) {
    const path = i === 0 ? 'ci/templates.yml' : `ci/jobs-${i}.yml`;
    let text = `# ${path}\n`;
    if (nested.has(i + 1)) text += `include:\n  - local: /ci/jobs-${i + 1}.yml\n\n`;
    if (i === 0) {
      text += `.base:\n  image: ${rng.pick(IMAGES)}\n  tags: [docker]\n  variables:\n    PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"\n`;
      text += gitlabScript(rng, 'before_script', '  ', rng.int(1, 4));
      for (let t = 0; t < rng.int(1, 4); t++) {
        const name = `.tpl-${t}`;
        text += `\n${name}:\n  extends: ${rng.pick(templates)}\n`;
        if (rng.chance(0.5)) text += `  image: ${rng.pick(IMAGES)}\n`;
        text += gitlabScript(rng, 'script', '  ');
        templates.push(name);
      }
      text += `\n.cleanup:\n  after_script:\n    - rm -rf .venv .cache\n    - echo done\n`;
    } else {
      for (let j = 0; j < rng.int(1, 6); j++)
        text += `\n${gitlabJob(rng, `inc${i}:job-${j}`, templates, false)}`;
    }
    files.push({ path: join(dir, path), text });
    if (!nested.has(i)) included.push(path);
  }

  let main = `# pipeline ${dir}\nstages:\n  - build\n  - test\n  - deploy\n\nvariables:\n  PYTHON_IMAGE: ${rng.pick(IMAGES)}\n  DEBIAN_FRONTEND: noninteractive\n  GIT_DEPTH: "10"\n`;
  if (included.length > 0) {
    main += '\ninclude:\n';
    for (const p of included) main += rng.chance(0.5) ? `  - local: ${p}\n` : `  - local: /${p}\n`;
    if (rng.chance(0.15)) main += '  - project: group/ci-templates\n    file: /python.yml\n';
  }
  main += `\ndefault:\n  image: ${rng.pick(IMAGES)}\n  interruptible: true\n`;
  main += `\n.defaults: &defaults\n  retry: 1\n  tags: [docker, linux]\n`;
  main += `\n.setup: &setup\n${listScript(rng, '  ', rng.int(2, 5))}`;
  const jobs = rng.tail(2, 10, 60);
  for (let j = 0; j < jobs; j++) main += `\n${gitlabJob(rng, `job-${j}`, templates, true)}`;
  files.unshift({ path: join(dir, '.gitlab-ci.yml'), text: main });
  return files;
}

/** A job; anchors (`*defaults`, `*setup`) only exist in the main file, templates only with includes. */
function gitlabJob(rng: Rng, name: string, templates: string[], inMain: boolean): string {
  const stage = rng.pick(['build', 'test', 'deploy']);
  let text = `${name}:\n  stage: ${stage}\n`;
  if (inMain && rng.chance(0.3)) text += '  <<: *defaults\n';
  if (rng.chance(0.6) && templates.length > 0) text += `  extends: ${rng.pick(templates)}\n`;
  if (rng.chance(0.15)) {
    text += '  parallel:\n    matrix:\n';
    text += `      - PYTHON_IMAGE: [${rng.pick(IMAGES)}, ${rng.pick(IMAGES)}]\n`;
    text += '  image: $PYTHON_IMAGE\n';
  } else if (rng.chance(0.5)) text += `  image: ${rng.pick(IMAGES)}\n`;
  if (rng.chance(0.3)) text += '  variables:\n    PIP_BREAK_SYSTEM_PACKAGES: "1"\n';
  if (inMain && rng.chance(0.2)) text += '  before_script: *setup\n';
  else if (templates.length > 0 && rng.chance(0.2))
    text += '  before_script:\n    - !reference [.base, before_script]\n    - echo ready\n';
  text += gitlabScript(rng, 'script', '  ');
  if (templates.length > 0 && rng.chance(0.2))
    text += '  after_script:\n    - !reference [.cleanup, after_script]\n';
  if (rng.chance(0.4))
    text +=
      '  artifacts:\n    when: always\n    paths:\n      - dist/\n      - report.xml\n    reports:\n      junit: report.xml\n    expire_in: 1 week\n';
  if (rng.chance(0.4))
    text +=
      '  cache:\n    key:\n      files:\n        - requirements.txt\n    paths:\n      - .cache/pip\n      - .venv/\n';
  if (rng.chance(0.5))
    text +=
      '  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n      changes:\n        - "**/*.py"\n        - requirements*.txt\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n    - when: manual\n      allow_failure: true\n';
  if (rng.chance(0.3)) text += `  needs: ["job-${rng.int(0, 3)}"]\n  timeout: 30m\n`;
  if (rng.chance(0.2)) text += '  # keep this job in sync with the release checklist in CONTRIBUTING.md\n';
  return text;
}

function runStep(rng: Rng, indent: string): string {
  let text = `${indent}- name: Step ${rng.int(1, 999)}\n`;
  const lines = rng.tail(1, 4, 40);
  if (lines === 1) text += `${indent}  run: ${scriptLine(rng).replace(/: /g, ' ')}\n`;
  else text += `${indent}  run: |\n${blockScript(rng, `${indent}    `, lines)}`;
  if (rng.chance(0.15)) text += `${indent}  shell: bash\n`;
  if (rng.chance(0.2)) text += `${indent}  env:\n${indent}    PIP_NO_CACHE_DIR: "1"\n`;
  return text;
}

function githubWorkflow(rng: Rng, name: string, hasAction: boolean): string {
  let text = `name: ${name}\non:\n  push:\n    branches: [main]\n  pull_request:\n\nenv:\n  FORCE_COLOR: "1"\n\njobs:\n`;
  const jobs = rng.tail(1, 4, 20);
  for (let j = 0; j < jobs; j++) {
    text += `  job-${j}:\n`;
    const matrix = rng.chance(0.35);
    if (matrix) {
      const byOs = rng.chance(0.4);
      text += `    runs-on: ${byOs ? '${{ matrix.os }}' : rng.pick(RUNNERS)}\n    strategy:\n      fail-fast: false\n      matrix:\n`;
      if (byOs) text += `        os: [${rng.pick(RUNNERS)}, ${rng.pick(RUNNERS)}]\n`;
      text += `        python: [${PY_VERSIONS.slice(rng.int(1, 3)).join(', ')}]\n`;
      if (rng.chance(0.3))
        text += `        include:\n          - os: ubuntu-24.04\n            python: "3.13"\n`;
    } else text += `    runs-on: ${rng.pick(RUNNERS)}\n`;
    if (rng.chance(0.25)) text += `    container: ${rng.pick(IMAGES.slice(0, 12))}\n`;
    else if (rng.chance(0.1))
      text += `    container:\n      image: ${rng.pick(IMAGES.slice(0, 12))}\n      options: --user root\n`;
    if (rng.chance(0.2)) text += '    defaults:\n      run:\n        shell: bash -el {0}\n';
    if (rng.chance(0.3))
      text += `    timeout-minutes: ${rng.int(5, 60)}\n    permissions:\n      contents: read\n`;
    if (rng.chance(0.3))
      text += "    if: github.event_name == 'push' && startsWith(github.ref, 'refs/tags/')\n";
    text += '    steps:\n      - uses: actions/checkout@v4\n        with:\n          fetch-depth: 0\n';
    if (rng.chance(0.4))
      text +=
        "      - uses: actions/cache@v4\n        with:\n          path: ~/.cache/pip\n          key: ${{ runner.os }}-pip-${{ hashFiles('**/requirements*.txt') }}\n";
    if (rng.chance(0.5)) {
      text += '      - uses: actions/setup-python@v5\n        with:\n';
      text += matrix
        ? '          python-version: ${{ matrix.python }}\n'
        : `          python-version: ${rng.pick(PY_VERSIONS)}\n`;
    }
    if (hasAction && rng.chance(0.5)) text += '      - uses: ./.github/actions/setup\n';
    const steps = rng.tail(1, 4, 20);
    for (let s = 0; s < steps; s++) text += runStep(rng, '      ');
    if (rng.chance(0.2))
      text +=
        '      - run: echo "$PWD/.venv/bin" >> "$GITHUB_PATH"\n      - run: echo "PIP_USER=0" >> "$GITHUB_ENV"\n';
    text += '\n';
  }
  return text;
}

function compositeAction(rng: Rng): string {
  let text = `name: Setup\ndescription: Installs the project's tools\ninputs:\n  python-version:\n    description: Python to use\n    default: "3.12"\nruns:\n  using: composite\n  steps:\n`;
  for (let s = 0; s < rng.int(1, 6); s++) {
    text += `    - run: |\n${blockScript(rng, '        ', rng.int(1, 8))}      shell: bash\n`;
  }
  return text;
}

/** A GitHub repository: `budget` files (workflows, and a composite action when budget allows). */
function githubProject(rng: Rng, dir: string, budget: number): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  const hasAction = budget >= 2 && rng.chance(0.4);
  const workflows = hasAction ? budget - 1 : budget;
  const names = ['ci', 'tests', 'release', 'docs', 'lint', 'nightly', 'publish'];
  for (let w = 0; w < workflows; w++) {
    const name = w < names.length ? names[w]! : `wf-${w}`;
    files.push({
      path: join(dir, '.github/workflows', `${name}.yml`),
      text: githubWorkflow(rng, name, hasAction),
    });
  }
  if (hasAction)
    files.push({ path: join(dir, '.github/actions/setup/action.yml'), text: compositeAction(rng) });
  return files;
}

/**
 * Exactly `count` files in project folders `p00000/`, `p00001/`, …: about 55% GitLab projects
 * (1–5 files), 45% GitHub repositories (1–4 files).
 */
export function generateFiles(count: number, seed = 668): GeneratedFile[] {
  const rng = new Rng(seed);
  const out: GeneratedFile[] = [];
  for (let p = 0; out.length < count; p++) {
    const dir = `p${String(p).padStart(5, '0')}`;
    const left = count - out.length;
    const gitlab = rng.chance(0.55);
    const budget = Math.min(left, gitlab ? rng.pick([1, 1, 2, 3, 3, 4, 5]) : rng.pick([1, 1, 2, 2, 3, 4]));
    out.push(...(gitlab ? gitlabProject(rng, dir, budget) : githubProject(rng, dir, budget)));
  }
  return out;
}

export function writeFiles(root: string, files: readonly GeneratedFile[]): string[] {
  const paths: string[] = [];
  for (const f of files) {
    const full = join(root, f.path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, f.text);
    paths.push(full);
  }
  return paths;
}
