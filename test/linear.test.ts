/**
 * Cost is linear in input size (issue 10): doubling an input — script lines, templates and extends
 * levels, included files, anchors and aliases, a very long line — must not cost more than 2.5× as
 * much. Two measures for each pair of inputs:
 *
 * - operations: calls of `Map#set/get/has` and `Set#add/has` during one run (counted by wrapping them
 *   for that run only; `new Map(iterable)` goes through `set` too, so a copied map counts per entry).
 *   This is exact and noise-free, and catches a map copied, or every earlier item looked up, per item.
 * - CPU time (`process.cpuUsage`, so other processes on the machine count less) after warm-up and a
 *   forced GC: small and big run back to back, and the best of several such pairs counts. This
 *   catches what the counters cannot see (string building, spreads, scans).
 *
 * Cases marked `todo` are known quadratic paths in src/ (named in their reason); they still run, so
 * they pass (and can lose the mark) once the code is fixed.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell and workflow text, where ${…} is literal
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, type TestContext, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RULES } from '../rules/index.ts';
import { lintText, type RunOptions } from '../src/engine/run.ts';
import { Sources } from '../src/engine/sources.ts';
import { parseCommands } from '../src/shell/commands.ts';
import { tokenize } from '../src/shell/tokenize.ts';

const LIMIT = 2.5;
const RUNS = 3;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const options: RunOptions = { rules: RULES, environment: {}, strategies: ['venv', 'pipx', 'override'] };

/** CPU milliseconds (user + system) of one call, after a full GC. */
function cpuMs(fn: () => unknown): number {
  gc();
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** The counted methods: every insertion into and lookup in a Map or Set. */
const COUNTED = [
  [Map.prototype, 'set'],
  [Map.prototype, 'get'],
  [Map.prototype, 'has'],
  [Set.prototype, 'add'],
  [Set.prototype, 'has'],
] as const;

/** Calls of the COUNTED methods during one call of `fn` (a `new Map(other)` counts one `set` per entry). */
function operations(fn: () => unknown): number {
  let n = 0;
  const saved = COUNTED.map(([proto, name]) => {
    const original = (proto as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!;
    Object.defineProperty(proto, name, {
      value: function (this: unknown, ...args: unknown[]) {
        n++;
        return original.apply(this, args);
      },
      configurable: true,
      writable: true,
    });
    return original;
  });
  try {
    fn();
  } finally {
    COUNTED.forEach(([proto, name], i) => {
      Object.defineProperty(proto, name, { value: saved[i], configurable: true, writable: true });
    });
  }
  return n;
}

interface Ratio {
  small: number;
  big: number;
  ratio: number;
}

/**
 * CPU time of `big` over `small`, measured in pairs run back to back (in alternating order, so drift
 * cancels), keeping the pair with the lowest ratio: the best of RUNS pairs, and of more pairs (up to
 * `rounds` × RUNS) while over the limit, so one busy moment on a loaded machine does not fail a test.
 * A quadratic path stays far over the limit in every pair.
 */
function timeRatio(small: () => unknown, big: () => unknown, rounds: number): Ratio {
  let best: Ratio = { small: 0, big: 0, ratio: Number.POSITIVE_INFINITY };
  for (let i = 0; i < rounds * RUNS && (i < RUNS || best.ratio > LIMIT); i++) {
    let s: number;
    let b: number;
    if (i % 2 === 0) {
      s = cpuMs(small);
      b = cpuMs(big);
    } else {
      b = cpuMs(big);
      s = cpuMs(small);
    }
    const ratio = b / Math.max(s, 1); // below 1 ms the timer says nothing
    if (ratio < best.ratio) best = { small: s, big: b, ratio };
  }
  return best;
}

function opsRatio(small: () => unknown, big: () => unknown): Ratio {
  const s = operations(small);
  const b = operations(big);
  return { small: s, big: b, ratio: s === 0 ? (b === 0 ? 1 : Number.POSITIVE_INFINITY) : b / s };
}

const show = (r: Ratio, unit: string) =>
  `${r.small.toFixed(unit === 'ms' ? 1 : 0)} ${unit} → ${r.big.toFixed(unit === 'ms' ? 1 : 0)} ${unit} (${r.ratio.toFixed(2)}×)`;

/**
 * Doubling `n` must cost at most LIMIT×: first in operations (unless `ops: false`, where the counters
 * see nothing of the work), then in CPU time. The counting run doubles as the JIT warm-up.
 */
function assertLinear(
  t: TestContext,
  make: (n: number) => () => unknown,
  n: number,
  what: { ops?: boolean; rounds?: number } = {},
) {
  const small = make(n);
  const big = make(2 * n);
  if (what.ops === false) {
    small();
    big();
  } else {
    const ops = opsRatio(small, big);
    t.diagnostic(`n=${n} → ${2 * n}: ${show(ops, 'ops')}`);
    assert.ok(ops.ratio <= LIMIT, `operations for n=${n} → ${2 * n}: ${show(ops, 'ops')}`);
  }
  const time = timeRatio(small, big, what.rounds ?? 3);
  t.diagnostic(`n=${n} → ${2 * n}: ${show(time, 'ms')}`);
  assert.ok(time.ratio <= LIMIT, `CPU time for n=${n} → ${2 * n}: ${show(time, 'ms')}`);
}

const lint = (path: string, text: string) => () => {
  const result = lintText(path, text, new Sources(), options);
  // a quick sanity check that the input was understood, not rejected early
  assert.equal(
    result.diagnostics.filter((d) => d.severity === 'error').length,
    0,
    JSON.stringify(result.diagnostics.slice(0, 3)),
  );
  return result;
};

const COMMANDS = [
  'apt-get update -qq',
  'apt-get install -y --no-install-recommends python3-pip python3-venv',
  'pip install requests',
  'python3 -m venv .venv',
  '. .venv/bin/activate',
  'pip install -r requirements.txt "pytest>=8"',
  'deactivate',
  'echo "hi $CI_JOB_NAME" | tee -a log.txt',
  'if [ -f setup.py ]; then pip3 install --user .; fi',
  'export PIP_INDEX_URL=https://pypi.example.com/simple',
  "sudo -E bash -c 'pip install x && make -j4'",
];
const line = (i: number) => COMMANDS[i % COMMANDS.length]!;
const gitlab = (name = '.gitlab-ci.yml') => name;

const tmp = mkdtempSync(join(tmpdir(), 'ci-lint-linear-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let projects = 0;
/** A project folder on disk (for `include: local`); returns the path of its `.gitlab-ci.yml`. */
function project(files: Record<string, string>): string {
  const dir = join(tmp, `p${projects++}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return join(dir, '.gitlab-ci.yml');
}

const tenJobs = (prefix: string) =>
  Array.from({ length: 10 }, (_, k) => `${prefix}-${k}:\n  script: [${JSON.stringify(line(k))}]\n`).join('');

/** A job on an image with pip and no PEP 668 marker: the YAML, offset, shell and simulation layers. */
const PY = 'image: python:3.12';
/** A job on Debian: every rule runs on every pip, venv and apt line. */
const DEB = 'image: debian:bookworm';

describe('cost is linear in the input (doubling costs ≤ 2.5×)', () => {
  test('a block script of many lines', (t) => {
    assertLinear(
      t,
      (n) => {
        const body = Array.from({ length: n }, (_, i) => `    ${line(i)}`).join('\n');
        return lint(gitlab(), `job:\n  ${PY}\n  script: |\n${body}\n`);
      },
      1200,
    );
  });

  test('a list script of many items', (t) => {
    assertLinear(
      t,
      (n) => {
        const body = Array.from({ length: n }, (_, i) => `    - ${JSON.stringify(line(i))}`).join('\n');
        return lint(gitlab(), `job:\n  ${PY}\n  script:\n${body}\n`);
      },
      400,
    );
  });

  test('a block script of many lines on Debian (every rule at work)', (t) => {
    assertLinear(
      t,
      (n) => {
        const body = Array.from({ length: n }, (_, i) => `    ${line(i)}`).join('\n');
        return lint(gitlab(), `job:\n  ${DEB}\n  script: |\n${body}\n`);
      },
      600,
    );
  });

  test('a file written with CRLF line breaks: many jobs, list and block scripts, on Debian', (t) => {
    assertLinear(
      t,
      (n) => {
        const jobs = Array.from(
          { length: n },
          (_, i) =>
            `j${i}:\n  ${DEB}\n  script:\n    - ${JSON.stringify(line(i))}\n    - |\n      ${line(i + 1)}\n`,
        ).join('');
        return lint(gitlab(), jobs.replaceAll('\n', '\r\n'));
      },
      150,
    );
  });

  test('many pip commands in one shell, among other commands, on an image without pip', (t) => {
    assertLinear(
      t,
      (n) => {
        const body = Array.from({ length: n }, (_, i) => `make p${i}; pip install p${i}`).join('; ');
        return lint(gitlab(), `job:\n  ${DEB}\n  script:\n    - ${body}\n`);
      },
      500,
    );
  });

  test('a script exporting many different variables', (t) => {
    assertLinear(
      t,
      (n) => {
        const body = Array.from({ length: n }, (_, i) => `    - export V${i}=${i}\n    - pip install p${i}`);
        return lint(gitlab(), `job:\n  ${PY}\n  script:\n${body.join('\n')}\n`);
      },
      300,
    );
  });

  test('many jobs, each with its own template (extends)', (t) => {
    assertLinear(
      t,
      (n) => {
        const text = Array.from(
          { length: n },
          (_, i) =>
            `.t${i}:\n  ${DEB}\n  variables:\n    A${i}: x\n  script:\n    - ${line(i)}\njob${i}:\n  extends: .t${i}\n`,
        ).join('');
        return lint(gitlab(), text);
      },
      60,
    );
  });

  test('many jobs extending one shared template', (t) => {
    assertLinear(
      t,
      (n) => {
        const jobs = Array.from({ length: n }, (_, i) => `job${i}:\n  extends: .t\n`).join('');
        return lint(gitlab(), `.t:\n  ${DEB}\n  script:\n    - pip install x\n${jobs}`);
      },
      500,
      { ops: false, rounds: 1 },
    );
  });

  test('extends levels (a chain of templates, 5 → 10 levels; GitLab allows 11)', (t) => {
    assertLinear(
      t,
      (levels) => {
        let text = '';
        for (let l = 0; l < levels; l++) {
          const vars = Array.from({ length: 40 }, (_, v) => `    L${l}V${v}: x`).join('\n');
          const script = Array.from({ length: 40 }, (_, i) => `    - ${line(i + l)}`).join('\n');
          text += `.l${l}:\n${l > 0 ? `  extends: .l${l - 1}\n` : ''}  ${PY}\n  variables:\n${vars}\n  before_script:\n${script}\n`;
        }
        for (let j = 0; j < 5; j++)
          text += `job${j}:\n  extends: .l${levels - 1}\n  script: [pip install x]\n`;
        return lint(gitlab(), text);
      },
      5,
      { ops: false }, // the jobs' fixed work weighs more than the levels at 5: only time is meaningful
    );
  });

  test('one job extending many templates (`extends: [list]`)', (t) => {
    assertLinear(
      t,
      (n) => {
        const templates = Array.from({ length: n }, (_, i) => `.t${i}:\n  variables:\n    V${i}: x\n`).join(
          '',
        );
        const list = Array.from({ length: n }, (_, i) => `.t${i}`).join(', ');
        return lint(
          gitlab(),
          `${templates}job:\n  ${DEB}\n  extends: [${list}]\n  script: [pip install x]\n`,
        );
      },
      150,
    );
  });

  test('many included files (include: local, 60 → 120 of GitLab’s 150)', (t) => {
    assertLinear(
      t,
      (n) => {
        const files: Record<string, string> = {};
        let main = 'include:\n';
        for (let i = 0; i < n; i++) {
          main += `  - local: ci/f${i}.yml\n`;
          files[`ci/f${i}.yml`] = tenJobs(`f${i}`);
        }
        files['.gitlab-ci.yml'] = main;
        return lint(project(files), main);
      },
      60,
    );
  });

  test('a deep include chain (each file includes the next, 40 → 80 of GitLab’s 100)', (t) => {
    assertLinear(
      t,
      (n) => {
        const files: Record<string, string> = {};
        for (let i = 0; i < n; i++) {
          const next = i + 1 < n ? `include:\n  - local: /ci/f${i + 1}.yml\n` : '';
          files[`ci/f${i}.yml`] = next + tenJobs(`f${i}`);
        }
        const main = 'include:\n  - local: ci/f0.yml\n';
        files['.gitlab-ci.yml'] = main;
        return lint(project(files), main);
      },
      40,
    );
  });

  test('many anchors and aliases (script lists and merge keys)', (t) => {
    assertLinear(
      t,
      (n) => {
        let text = `.defaults: &defaults\n  ${DEB}\n  tags: [docker]\n`;
        for (let i = 0; i < n; i++) {
          text += `.s${i}: &s${i}\n  - ${line(i)}\n  - pip install p${i}\njob${i}:\n  <<: *defaults\n  script: *s${i}\n`;
        }
        return lint(gitlab(), text);
      },
      120,
    );
  });

  test('a very long single line: one command with many words', (t) => {
    assertLinear(
      t,
      (n) => {
        const words = Array.from({ length: n }, (_, i) => `pkg${i}==1.${i}`).join(' ');
        return lint(gitlab(), `job:\n  ${DEB}\n  script:\n    - pip install ${words}\n`);
      },
      8000,
    );
  });

  test('a very long single line: many commands joined with && in a double-quoted scalar', (t) => {
    assertLinear(
      t,
      (n) => {
        const chain = Array.from({ length: n }, (_, i) => `pip install \\"p${i}\\" \\t`).join(' && ');
        return lint(gitlab(), `job:\n  ${PY}\n  script:\n    - "${chain}"\n`);
      },
      1500,
    );
  });

  test('a very long single line: a folded scalar of many lines', (t) => {
    assertLinear(
      t,
      (n) => {
        const body = Array.from({ length: n }, (_, i) => `      pip install p${i} &&`).join('\n');
        return lint(gitlab(), `job:\n  ${PY}\n  script:\n    - >\n${body}\n      true\n`);
      },
      2000,
    );
  });

  test('a GitHub workflow with many jobs', (t) => {
    assertLinear(
      t,
      (n) => {
        const jobs = Array.from(
          { length: n },
          (_, i) =>
            `  j${i}:\n    runs-on: ubuntu-24.04\n    container: debian:bookworm\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          ${line(i)}\n          pip install p${i}\n`,
        ).join('');
        return lint('.github/workflows/ci.yml', `on: push\njobs:\n${jobs}`);
      },
      70,
    );
  });

  test('a GitHub job with many steps writing $GITHUB_ENV', (t) => {
    assertLinear(
      t,
      (n) => {
        const steps = Array.from(
          { length: n },
          (_, i) => `      - run: echo "V${i}=x" >> "$GITHUB_ENV"\n      - run: pip install p${i}\n`,
        ).join('');
        return lint(
          '.github/workflows/ci.yml',
          `on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    container: debian:bookworm\n    steps:\n${steps}`,
        );
      },
      150,
    );
  });

  test('the shell tokenizer and command splitter on a long script', (t) => {
    assertLinear(
      t,
      (n) => {
        const script = Array.from({ length: n }, (_, i) => line(i)).join('\n');
        return () => {
          tokenize(script);
          parseCommands(script);
        };
      },
      1500,
      { ops: false },
    );
  });

  test('the command splitter on runs of parentheses', (t) => {
    assertLinear(
      t,
      (n) => {
        const closing = `true ${')'.repeat(n)}`;
        const nested = `${'('.repeat(n)}pip install x${')'.repeat(n)}`;
        return () => {
          parseCommands(closing);
          parseCommands(nested);
        };
      },
      20_000,
      { ops: false },
    );
  });
});
