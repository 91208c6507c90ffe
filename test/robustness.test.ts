/**
 * Nothing a user feeds ci-lint may crash it, hang it or make it lie about positions (issue 10).
 * Property and fuzz tests over YAML and shell input, run through `check()` in-process (the path
 * the CLI takes: read → decode → parse → resolve → lint), plus a handful of CLI runs in child
 * processes with a timeout for what only a process can show (exit codes, stderr, hangs, memory).
 *
 * Every case must end in findings or in diagnostics that print as `path:line:col: …`, within a
 * bounded time per file, with every finding inside its file's text and every reporter able to
 * render the result. Cases marked `todo` are bugs found in src/ (named in their reason).
 *
 * fast-check runs with a fixed seed (FUZZ_SEED overrides it; a failure prints the seed and path
 * to replay). Tests run as root here, so "unreadable" is played by FIFOs, /proc/self/mem (EIO),
 * symlink loops (ELOOP) and dangling links; the permission-bit case runs only as another user.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell and workflow text, where ${…} is literal
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { RULES } from '../rules/index.ts';
import { type CheckResult, type CheckSettings, check } from '../src/engine/check.ts';
import { discover } from '../src/engine/discover.ts';
import { renderJson } from '../src/reporters/json.ts';
import { renderDiagnostics, renderText } from '../src/reporters/text.ts';
import { parseCommands } from '../src/shell/commands.ts';
import { tokenize } from '../src/shell/tokenize.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const CORPUS = join(ROOT, '../shared/corpus');
const SEED = Number(process.env.FUZZ_SEED ?? 668);
/** Bounded time per file: generous, because the machine may be busy; a hang or a quadratic blow-up is far beyond. */
const PER_FILE_MS = 5000;
/** fast-check iterations per property (reported in the test names). */
const RUNS = { mutated: 400, bytes: 300, yaml: 400, shell: 400, shellDirect: 2000, endings: 150, utf8: 200 };

const tmp = mkdtempSync(join(tmpdir(), 'ci-lint-robust-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let scratchCount = 0;
/** A fresh folder with these files (path → content); returns its path. */
function scratch(files: Record<string, string | Uint8Array> = {}): string {
  const dir = join(tmp, `s${scratchCount++}`);
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const OPTIONS = {
  ignore: [],
  rules: RULES,
  environment: {},
  strategies: ['venv', 'pipx', 'override'] as CheckSettings['strategies'],
};

/** An empty project folder: `include: local` in fuzzed input finds nothing rather than repository files. */
const FUZZ_DIR = scratch();

interface Outcome {
  result: CheckResult;
  ms: number;
}

function timed(settings: Omit<CheckSettings, 'rules' | 'environment' | 'strategies' | 'ignore'>): Outcome {
  const start = performance.now();
  const result = check({ ...OPTIONS, ...settings });
  return { result, ms: performance.now() - start };
}

/** Lint bytes as the named file (stdin mode: no file system needed for the file itself). */
function lintAs(name: string, bytes: Uint8Array | string, fix = false): Outcome {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return timed({
    cwd: FUZZ_DIR,
    paths: [],
    stdin: { path: join(FUZZ_DIR, name), bytes: data },
    ...(fix ? { fix: { strategy: 'venv' as const, minimum: 'unsafe' as const, write: false } } : {}),
  });
}

const POSITIONED = /^.+:\d+:\d+: (error|note|warning): \S/;
const STACK = /\n\s+at .+[(:]\d+:\d+\)?/;

/** The contract: bounded time, positioned diagnostics, findings inside their text, reporters work. */
function assertSound({ result, ms }: Outcome, label: string, budget = PER_FILE_MS): void {
  const where = `${label}: `;
  assert.ok(ms < budget, `${where}took ${ms.toFixed(0)} ms (budget ${budget} ms)`);
  const { sources } = result;
  for (const d of result.diagnostics) {
    assert.equal(typeof d.path, 'string', `${where}diagnostic without a path: ${JSON.stringify(d)}`);
    assert.ok(d.path.length > 0, `${where}diagnostic with an empty path`);
    assert.ok(
      typeof d.message === 'string' && d.message.trim() !== '',
      `${where}diagnostic without a message`,
    );
    assert.ok(!STACK.test(d.message), `${where}stack trace in a diagnostic: ${d.message}`);
    // the safety net of lintInput() caught an exception of ours: a bug, whatever the input
    assert.ok(!d.message.startsWith('internal error'), `${where}${d.message}`);
    if (d.offset !== undefined && sources.has(d.path)) {
      const length = sources.text(d.path).length;
      assert.ok(
        d.offset >= 0 && d.offset <= length,
        `${where}offset ${d.offset} outside ${d.path} (${length})`,
      );
    }
    if (d.line !== undefined) assert.ok(d.line >= 1 && (d.column ?? 1) >= 1, `${where}bad position`);
  }
  for (const f of result.findings) {
    assert.ok(sources.has(f.span.path), `${where}finding in a file never read: ${f.span.path}`);
    const length = sources.text(f.span.path).length;
    assert.ok(
      f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= length,
      `${where}finding span [${f.span.start}, ${f.span.end}) outside ${f.span.path} (${length} chars)`,
    );
    for (const fix of f.fixes)
      for (const e of fix.edits) {
        const len = sources.has(e.path) ? sources.text(e.path).length : 0;
        assert.ok(e.start >= 0 && e.start <= e.end && e.end <= len, `${where}edit outside ${e.path}`);
      }
  }
  const report = { ...result, strategy: 'venv' as const };
  for (const d of result.diagnostics) {
    // (a message may still run over several lines: see the todo test on names with line breaks)
    const printed = renderDiagnostics({ ...report, diagnostics: [d] }, { color: false, quiet: false });
    assert.match(printed, POSITIONED, `${where}diagnostic not printed as path:line:col`);
  }
  const json = JSON.parse(renderJson(report)) as { findings: { line: number; column: number }[] };
  for (const f of json.findings)
    assert.ok(f.line >= 1 && f.column >= 1, `${where}finding at line/column < 1`);
  renderText(report, { color: false, quiet: false });
}

const errors = (o: Outcome) => o.result.diagnostics.filter((d) => d.severity === 'error');
const errorText = (o: Outcome) =>
  renderDiagnostics({ ...o.result, strategy: 'venv' }, { color: false, quiet: false });

// ---------------------------------------------------------------------------------------------
// inputs

interface Sample {
  /** Conventional name for the dialect: `.gitlab-ci.yml`, `.github/workflows/w.yml`, `action.yml`. */
  name: string;
  bytes: Buffer;
  from: string;
}

function corpus(): Sample[] {
  if (!existsSync(CORPUS)) return [];
  const out: Sample[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        const rel = relative(CORPUS, p);
        const name = rel.startsWith('github/')
          ? /action/.test(e.name)
            ? 'action.yml'
            : '.github/workflows/w.yml'
          : '.gitlab-ci.yml';
        out.push({ name, bytes: readFileSync(p), from: rel });
      }
    }
  };
  walk(CORPUS);
  return out;
}
const CORPUS_FILES = corpus();
/** A small stand-in when ../shared/corpus is not there. */
const FALLBACK: Sample[] = [
  {
    name: '.gitlab-ci.yml',
    from: 'fallback',
    bytes: Buffer.from(
      '.base: &base\n  image: debian:bookworm\nbuild:\n  <<: *base\n  before_script:\n    - apt-get update && apt-get install -y python3-pip\n  script:\n    - pip install -r requirements.txt\n    - |\n      python3 -m venv .venv\n      . .venv/bin/activate\n      pip install .\n',
    ),
  },
  {
    name: '.github/workflows/w.yml',
    from: 'fallback',
    bytes: Buffer.from(
      'on: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    container: debian:bookworm\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          apt-get update\n          pip install x\n',
    ),
  },
];
const SAMPLES = CORPUS_FILES.length > 0 ? CORPUS_FILES : FALLBACK;

/** Bits of YAML, GitLab, GitHub and shell syntax that mutations splice in. */
const SPECIALS = [
  ': ',
  '- ',
  '-',
  ':',
  '&a ',
  '*a',
  '<<: *a\n',
  '<<: [*a, *a]\n',
  '!reference [.base, script]',
  '!!binary ',
  '|\n',
  '>-\n',
  '|2+\n',
  '"',
  "'",
  '\\',
  '{',
  '}',
  '[',
  ']',
  ', ',
  '# ',
  '? ',
  '\t',
  '\r',
  '\r\n',
  '\n',
  '  ',
  '\u00a0',
  '\ufeff',
  '\u2028',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '%TAG ! tag:x,2000:\n',
  '$(',
  '`',
  '${{ ',
  ' }}',
  '$[[ inputs.x ]]',
  '<<EOF\n',
  'pip install x',
  'python3 -m venv .venv && . .venv/bin/activate',
  'sudo -E pip install .',
  'extends: .base\n',
  'include: ci/x.yml\n',
  'image: debian:bookworm\n',
  'script: [pip install y]\n',
  'runs-on: ${{ matrix.os }}\n',
];

type Mutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'delete-line'; at: number }
  | { kind: 'duplicate-line'; at: number; times: number }
  | { kind: 'swap-lines'; at: number; with: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'indent'; at: number; by: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('duplicate-line' as const),
    at: fc.nat(),
    times: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...SPECIALS) }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);

function mutate(input: Buffer, m: Mutation): Buffer {
  const bytes = Buffer.from(input);
  if (bytes.length === 0) return m.kind === 'insert' ? Buffer.from(m.text) : bytes;
  const at = m.at % bytes.length;
  const lines = () => {
    const out: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < bytes.length; i++)
      if (bytes[i] === 10) {
        out.push(bytes.subarray(start, i + 1));
        start = i + 1;
      }
    if (start < bytes.length) out.push(bytes.subarray(start));
    return out;
  };
  switch (m.kind) {
    case 'flip':
      bytes[at] = bytes[at]! ^ m.xor;
      return bytes;
    case 'truncate':
      return bytes.subarray(0, at);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.text), bytes.subarray(at)]);
    default: {
      const ls = lines();
      const i = m.at % ls.length;
      if (m.kind === 'delete-line') ls.splice(i, 1);
      else if (m.kind === 'duplicate-line') ls.splice(i, 0, ...Array<Buffer>(m.times).fill(ls[i]!));
      else if (m.kind === 'swap-lines') {
        const j = m.with % ls.length;
        [ls[i], ls[j]] = [ls[j]!, ls[i]!];
      } else {
        const line = ls[i]!.toString('latin1');
        ls[i] = Buffer.from(
          m.by > 0 ? ' '.repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), ''),
          'latin1',
        );
      }
      return Buffer.concat(ls);
    }
  }
}

// ---------------------------------------------------------------------------------------------

describe('fuzzed files end in findings or positioned errors, in bounded time', () => {
  test(`real corpus files still lint cleanly (${SAMPLES.length} files)`, () => {
    for (const s of SAMPLES) assertSound(lintAs(s.name, s.bytes), s.from);
  });

  test(`mutated corpus files: byte flips, line deletions, duplications, swaps, truncation, splices (${RUNS.mutated} runs)`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SAMPLES.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (which, mutations, fix) => {
          const sample = SAMPLES[which]!;
          const bytes = mutations.reduce(mutate, sample.bytes);
          // every fourth run also computes the fixes (`--diff`), which re-lint the fixed text
          assertSound(lintAs(sample.name, bytes, fix && which % 4 === 0), sample.from);
        },
      ),
      { numRuns: RUNS.mutated, seed: SEED },
    );
  });

  test(`random bytes (${RUNS.bytes} runs)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom('.gitlab-ci.yml', '.github/workflows/w.yml', 'action.yml', 'x.yml'),
        fc.uint8Array({ maxLength: 4096 }),
        (name, bytes) => assertSound(lintAs(name, bytes), name),
      ),
      { numRuns: RUNS.bytes, seed: SEED },
    );
  });

  // YAML built from a small grammar: GitLab and GitHub keys, anchors and aliases (some dangling),
  // merge keys, tags, block and flow styles, scalars with shell in them.
  const KEYS = [
    'script',
    'before_script',
    'after_script',
    'image',
    'extends',
    'include',
    'local',
    'variables',
    'default',
    'inherit',
    'parallel',
    'matrix',
    'trigger',
    '<<',
    '.base',
    'job',
    'stages',
    'spec',
    'inputs',
    'on',
    'jobs',
    'steps',
    'run',
    'runs-on',
    'container',
    'uses',
    'with',
    'env',
    'shell',
    'strategy',
    'runs',
    'using',
    'defaults',
  ];
  const SCALARS = [
    'pip install x',
    'python3 -m venv .venv',
    '. .venv/bin/activate',
    'apt-get install -y python3-pip',
    'debian:bookworm',
    'ubuntu-24.04',
    'python:3.12',
    '.base',
    'composite',
    'bash -e {0}',
    '"pip install \\"q\\""',
    "'sudo pip install .'",
    '1',
    'true',
    'null',
    '~',
    '',
    '$VAR',
    '${{ matrix.os }}',
    '$[[ inputs.image ]]',
    '!reference [.base, script]',
    '!!str 3',
    '[a, b]',
    '{a: 1}',
  ];
  type Tree = { t: 's'; v: string } | { t: 'm'; e: [string, Tree][] } | { t: 'q'; e: Tree[] };
  const tree = fc.letrec<{ node: Tree; map: Tree; seq: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...SCALARS).map((v) => ({ t: 's' as const, v })),
      tie('map'),
      tie('seq'),
    ),
    map: fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { maxLength: 5 })
      .map((e) => ({ t: 'm' as const, e })),
    seq: fc.array(tie('node'), { maxLength: 5 }).map((e) => ({ t: 'q' as const, e })),
  })).map;
  /** Block-style YAML; `extras` decides anchors, aliases and block scalars by position. */
  function toYaml(root: Tree, extras: number[]): string {
    let k = 0;
    const extra = () => extras[k++ % Math.max(extras.length, 1)] ?? 0;
    const inline = (n: Tree, pad: string): string => {
      const e = extra();
      if (n.t === 's') {
        if (e % 11 === 0) return `*a${e % 3}`;
        if (e % 13 === 0) return `|\n${pad}  ${n.v}\n${pad}  echo done`;
        return n.v;
      }
      const anchor = e % 5 === 0 ? `&a${e % 3} ` : '';
      if (n.e.length === 0) return `${anchor}${n.t === 'm' ? '{}' : '[]'}`;
      return `${anchor}\n${block(n, `${pad}  `)}`;
    };
    const block = (n: Tree, pad: string): string => {
      if (n.t === 's') return `${pad}${n.v}`;
      if (n.t === 'm') return n.e.map(([key, v]) => `${pad}${key}: ${inline(v, pad)}`).join('\n');
      return n.e.map((v) => `${pad}- ${inline(v, pad)}`).join('\n');
    };
    return `${block(root, '')}\n`;
  }

  test(`random GitLab/GitHub-shaped YAML with anchors, aliases, merge keys and tags (${RUNS.yaml} runs)`, () => {
    fc.assert(
      fc.property(
        tree,
        fc.array(fc.nat({ max: 1000 }), { maxLength: 20 }),
        fc.constantFrom('.gitlab-ci.yml', '.github/workflows/w.yml', 'action.yml'),
        (root, extras, name) => {
          const text = toYaml(root, extras);
          assertSound(lintAs(name, text), `${name}:\n${text}`);
        },
      ),
      { numRuns: RUNS.yaml, seed: SEED },
    );
  });

  const SHELL = [
    'pip',
    'pip3',
    'install',
    'python3',
    '-m',
    'venv',
    '.venv',
    '. .venv/bin/activate',
    'source',
    'sudo',
    '-E',
    'env',
    'X=1',
    'PIP_BREAK_SYSTEM_PACKAGES=1',
    'bash',
    '-c',
    'sh -c "',
    'export',
    'apt-get install -y python3-pip',
    'uv pip install --system',
    'pipx install',
    ' ',
    '\t',
    '\n',
    '\\\n',
    "'",
    '"',
    '\\',
    '$',
    '$(',
    '$((',
    '(',
    ')',
    '{',
    '}',
    '${',
    '`',
    "$'",
    '<<EOF\n',
    '<<-EOF\n',
    "<<'EOF'\n",
    '\nEOF\n',
    '<<<',
    '#',
    ';',
    ';;',
    '&&',
    '||',
    '|',
    '&',
    '2>&1',
    '>',
    '<',
    '${{ a }}',
    '${{',
    '}}',
    '$[[ b ]]',
    'if',
    'then',
    'fi',
    'for x in a; do',
    'done',
    'case $x in',
    'a)',
    'esac',
    'function f',
    'f()',
    '!',
    'time',
    'timeout 5',
    'xargs',
    '>> "$GITHUB_ENV"',
    '>> $GITHUB_PATH',
    'echo "PATH=$PATH"',
  ];
  const shellScript = fc.array(fc.constantFrom(...SHELL), { maxLength: 40 }).map((a) => a.join(' '));

  test(`random shell in GitLab scripts and GitHub run steps (${RUNS.shell} runs)`, () => {
    fc.assert(
      fc.property(shellScript, fc.boolean(), (script, github) => {
        const body = script
          .split(/\r?\n/)
          .map((l) => `      ${l}`)
          .join('\n');
        const text = github
          ? `on: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    container: debian:bookworm\n    steps:\n      - run: |\n  ${body}\n`
          : `job:\n  image: debian:bookworm\n  script:\n    - |\n${body}\n`;
        assertSound(lintAs(github ? '.github/workflows/w.yml' : '.gitlab-ci.yml', text), text);
      }),
      { numRuns: RUNS.shell, seed: SEED },
    );
  });

  test(`the shell layer on any string: tokens and commands stay inside the text (${RUNS.shellDirect} runs)`, () => {
    fc.assert(
      fc.property(
        fc.oneof(shellScript, fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 })),
        (text) => {
          for (const t of tokenize(text))
            assert.ok(
              t.start >= 0 && t.start <= t.end && t.end <= text.length,
              `token outside ${JSON.stringify(text)}`,
            );
          for (const c of parseCommands(text)) {
            assert.ok(
              c.start >= 0 && c.start <= c.end && c.end <= text.length,
              `command outside ${JSON.stringify(text)}`,
            );
            for (const w of c.argv) {
              const at = c.toRoot(w.start);
              assert.ok(at >= 0 && at <= text.length, `word outside ${JSON.stringify(text)}`);
            }
          }
        },
      ),
      { numRuns: RUNS.shellDirect, seed: SEED },
    );
  });
});

// ---------------------------------------------------------------------------------------------

const JOB = 'job:\n  image: debian:bookworm\n  script:\n';

describe('pathological structure', () => {
  const cases: [string, () => string][] = [
    ['10 000 nested flow sequences', () => `${JOB}    - ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`],
    ['10 000 nested flow maps', () => `x: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`],
    ['10 000 unclosed brackets', () => `x: ${'[{'.repeat(5_000)}\n`],
    [
      '1 000 nested block maps',
      () =>
        Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') +
        `\n${' '.repeat(1000)}v\n`,
    ],
    ['1 000 nested block sequences', () => `${JOB}    ${'- '.repeat(1000)}pip install x\n`],
    ['script lists nested 300 deep', () => `${JOB}    - ${'['.repeat(300)}pip install x${']'.repeat(300)}\n`],
    [
      '!reference chains 50 deep',
      () =>
        Array.from(
          { length: 50 },
          (_, i) => `.r${i}:\n  script:\n    - !reference [.r${i + 1}, script]\n`,
        ).join('') + `.r50:\n  script: [pip install x]\n${JOB}    - !reference [.r0, script]\n`,
    ],
    [
      '!reference to itself',
      () => `job:\n  image: debian:bookworm\n  script:\n    - !reference [job, script]\n`,
    ],
    [
      'sh -c nested 15 deep',
      () => {
        let s = 'pip install x';
        for (let i = 0; i < 15; i++) s = `sh -c ${JSON.stringify(s)}`;
        return `${JOB}    - ${JSON.stringify(s)}\n`;
      },
    ],
    [
      '10 000 nested $( )',
      () =>
        `${JOB}    - ${JSON.stringify(`echo ${'$('.repeat(10_000)}pip install x${')'.repeat(10_000)}`)}\n`,
    ],
    [
      '10 000 nested subshells',
      () => `${JOB}    - ${JSON.stringify(`${'('.repeat(10_000)}pip install x${')'.repeat(10_000)}`)}\n`,
    ],
    [
      '10 000 nested if/then',
      () =>
        `${JOB}    - ${JSON.stringify(`${'if true; then '.repeat(10_000)}pip install x; ${'fi; '.repeat(10_000)}`)}\n`,
    ],
    [
      // every branch's condition is known: each branch must look back at the ones before it
      '10 000 elif branches and 10 000 case branches on known values',
      () =>
        `${JOB}    - ${JSON.stringify(`X=a; if [ "$X" = b ]; then :; ${'elif [ "$X" = c ]; then pip install x; '.repeat(10_000)}fi`)}\n` +
        `    - ${JSON.stringify(`case a in ${'b) pip install x;; '.repeat(10_000)}esac`)}\n`,
    ],
    [
      '10 000 nested case commands',
      () =>
        `${JOB}    - ${JSON.stringify(`${'case a in a) '.repeat(10_000)}pip install x; ${';; esac; '.repeat(10_000)}`)}\n`,
    ],
    ['10 000 unclosed quotes and backticks', () => `${JOB}    - ${JSON.stringify('"`\'('.repeat(10_000))}\n`],
    [
      '10 000 here-documents',
      () => `${JOB}    - |\n${Array.from({ length: 10_000 }, (_, i) => `      cat <<E${i}`).join('\n')}\n`,
    ],
    ['10 000 sudo env wrappers', () => `${JOB}    - ${'sudo env '.repeat(10_000)}pip install x\n`],
  ];
  for (const [name, make] of cases)
    test(name, () => {
      const text = make();
      assertSound(lintAs('.gitlab-ci.yml', text), name);
    });

  // the tokenizer recursed once per level (stack overflow at ~3 000); nesting is now bounded
  test('command substitutions nested in double quotes, 5 000 deep', () => {
    assertSound(
      lintAs('.gitlab-ci.yml', `${JOB}    - ${JSON.stringify('echo "$('.repeat(5000))}\n`),
      '"$( × 5000',
    );
  });
});

describe('anchors, aliases and alias bombs', () => {
  test('10 000 anchors, each used by a job', () => {
    let text = '';
    for (let i = 0; i < 10_000; i++)
      text += `.a${i}: &a${i}\n  - pip install p${i}\nj${i}:\n  image: debian:bookworm\n  script: *a${i}\n`;
    assertSound(lintAs('.gitlab-ci.yml', text), '10 000 anchors');
  });

  test('one anchor redefined 10 000 times, and 10 000 jobs aliasing it', () => {
    let text = '';
    for (let i = 0; i < 10_000; i++) text += `.a${i}: &a [pip install p${i}]\n`;
    text += `.d: &d\n  image: debian:bookworm\n`;
    for (let i = 0; i < 10_000; i++) text += `j${i}:\n  <<: *d\n  script: *a\n`;
    assertSound(lintAs('.gitlab-ci.yml', text), 'redefined anchors');
  });

  /**
   * An alias bomb is cut at 50 000 script lines (src/dialects/gitlab/reference.ts), but each of those
   * lines is then mapped, tokenized and simulated again: a 1 KB file costs a few seconds. Bounded,
   * so it passes, with a budget of its own.
   */
  const BOMB_MS = 15_000;
  /** Ten levels, each a list of ten aliases of the level below: 10¹⁰ leaves if expanded. */
  const laughs = (indent: string, item: (i: number) => string) =>
    Array.from(
      { length: 10 },
      (_, i) => `${indent}.l${i}: &l${i} [${Array(10).fill(item(i)).join(', ')}]\n`,
    ).join('');

  test('billion laughs in a script list', () => {
    const text = `${laughs('', (i) => (i === 0 ? '"pip install x"' : `*l${i - 1}`))}${JOB}    - *l9\n`;
    assertSound(lintAs('.gitlab-ci.yml', text), 'billion laughs (script)', BOMB_MS);
  });

  test('billion laughs through !reference', () => {
    const text = `${laughs('', (i) => (i === 0 ? '"pip install x"' : `*l${i - 1}`))}.t:\n  script: *l9\njob:\n  image: debian:bookworm\n  before_script: [echo hi]\n  script:\n    - !reference [.t, script]\n    - *l9\n`;
    assertSound(lintAs('.gitlab-ci.yml', text), 'billion laughs (!reference)', BOMB_MS);
  });

  test('billion laughs in maps through merge keys (variables, jobs, extends)', () => {
    let text = '.m0: &m0\n  variables:\n    A: "1"\n  image: debian:bookworm\n  script: [pip install x]\n';
    for (let i = 1; i < 12; i++)
      text += `.m${i}: &m${i}\n  <<: [${Array(10)
        .fill(`*m${i - 1}`)
        .join(', ')}]\n  variables:\n    <<: [${Array(10)
        .fill(`*m${i - 1}`)
        .join(', ')}]\n    B${i}: "2"\n`;
    for (let j = 0; j < 50; j++) text += `job${j}:\n  <<: *m11\n  extends: .m${j % 12}\n`;
    assertSound(lintAs('.gitlab-ci.yml', text), 'billion laughs (merge keys)');
  });

  test('billion laughs in a GitHub workflow: steps, env and matrix', () => {
    const text =
      `x-l:\n${laughs('  ', (i) => (i === 0 ? '{run: pip install x}' : `*l${i - 1}`))}` +
      'on: push\njobs:\n  t:\n    runs-on: ${{ matrix.os }}\n    container: debian:bookworm\n' +
      '    strategy:\n      matrix:\n        os: *l9\n        py: *l9\n    env: {<<: *l9}\n    steps: *l9\n';
    assertSound(lintAs('.github/workflows/w.yml', text), 'billion laughs (github)');
  });

  test('merge-key and alias cycles: a node that contains its own anchor', () => {
    const texts = [
      'a: &a\n  <<: *a\n  script: [pip install x]\n',
      'a: &a\n  b: *a\n  image: debian:bookworm\n  script: [pip install x]\n',
      'a: &a [pip install x, *a]\njob:\n  image: debian:bookworm\n  script: *a\n',
      '.a: &a\n  <<: *b\n.b: &b\n  <<: *a\n',
      'job: &j\n  image: debian:bookworm\n  script: [pip install x]\n  <<: [*j, *j, *j]\n',
    ];
    for (const text of texts) assertSound(lintAs('.gitlab-ci.yml', text), text);
  });

  test('templates whose maps contain themselves, merged by extends', () => {
    for (const text of [
      '.a: &a\n  variables: *a\n.b: &b\n  variables: *b\njob:\n  extends: [.a, .b]\n  image: debian:bookworm\n  script: [pip install x]\n',
      'job: &j\n  image: debian:bookworm\n  extends: job\n  variables: *j\n  script: [pip install x]\n',
    ])
      assertSound(lintAs('.gitlab-ci.yml', text), text);
  });

  test('150 000 aliases with no anchor are reported, not a crash', () => {
    const text = `x: [${Array(150_000).fill('*a').join(', ')}]\n`;
    const outcome = lintAs('.gitlab-ci.yml', text);
    assertSound(outcome, '150 000 unknown aliases', 20_000);
    assert.ok(errors(outcome).length > 0);
  });

  test('150 000 documents with errors are reported, not a crash', () => {
    const outcome = lintAs('.gitlab-ci.yml', '--- *a\n'.repeat(150_000));
    assertSound(outcome, '150 000 documents', 20_000);
  });
});

describe('bytes and text encodings', () => {
  test('a 50 MB file: a clear "too large" error, fast', () => {
    const dir = scratch();
    const path = join(dir, '.gitlab-ci.yml');
    writeFileSync(path, Buffer.alloc(50 * 1024 * 1024, 'job:\n  script: [pip install x]\n'));
    const outcome = timed({ cwd: dir, paths: [path] });
    assertSound(outcome, '50 MB', 3000);
    assert.match(errorText(outcome), /\.gitlab-ci\.yml:1:1: error: file is too large to lint \(50\.0 MB/);
  });

  test('very long lines: 1 MB plain, quoted, folded, comment, key and flow lines', () => {
    const big = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`).join(' ');
    const texts = [
      `${JOB}    - pip install ${big(150_000)}\n`,
      `${JOB}    - "pip install ${big(100_000).replace(/ /g, '\\t ')}"\n`,
      `${JOB}    - 'pip install ${big(150_000).replace(/0/g, "''")}'\n`,
      `${JOB}    - >\n      pip install ${big(150_000)}\n`,
      `# ${'x'.repeat(1_000_000)}\n${JOB}    - pip install x\n`,
      `${'k'.repeat(1_000_000)}:\n  image: debian:bookworm\n  script: [pip install x]\n`,
      `${JOB}    - [${Array(30_000).fill('echo x').join(', ')}, pip install x]\n`,
      `job: {image: debian:bookworm, script: [${Array(10_000).fill('"make && echo ok"').join(', ')}, pip install x]}\n`,
    ];
    for (const text of texts) assertSound(lintAs('.gitlab-ci.yml', text), `${text.slice(0, 80)}…`, 10_000);
  });

  test('many findings on one long line: the text report', () => {
    const outcome = lintAs(
      '.gitlab-ci.yml',
      `${JOB}    - [${Array(6000).fill('pip install x').join(', ')}]\n`,
    );
    assertSound(outcome, '6 000 findings on one line', 20_000);
  });

  test('names with line breaks still print one diagnostic per line', () => {
    const outcome = lintAs(
      '.gitlab-ci.yml',
      'job:\n  extends: "a\\nb"\n  image: debian:bookworm\n  script: [pip install x]\n"c\\nd":\n  image: debian:bookworm\n  script: [pip install y]\n',
    );
    assertSound(outcome, 'line breaks in names');
    const printed = renderDiagnostics(
      { ...outcome.result, strategy: 'venv' },
      { color: false, quiet: false },
    );
    for (const line of printed.split('\n').filter(Boolean)) assert.match(line, POSITIONED);
    for (const f of outcome.result.findings) assert.ok(!f.message.includes('\n'), f.message);
  });

  test('NUL bytes: "binary file" at the NUL\'s line and column', () => {
    for (const [text, line, column] of [
      ['\0job: x\n', 1, 1],
      ['job:\n  script:\n    - pip\0 install x\n', 3, 10],
      ['a: 1\r\nb: 2\rc: \0\n', 3, 4],
    ] as const) {
      const outcome = lintAs('.gitlab-ci.yml', text);
      assertSound(outcome, JSON.stringify(text));
      assert.match(
        errorText(outcome),
        new RegExp(`:${line}:${column}: error: binary file`),
        JSON.stringify(text),
      );
    }
  });

  test(`invalid UTF-8 anywhere: an error at the byte's line and column (${RUNS.utf8} runs)`, () => {
    const BAD = [
      [0xff],
      [0xc0, 0xaf],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xc3],
      [0x80],
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SAMPLES.length - 1 }),
        fc.nat(),
        fc.constantFrom(...BAD),
        (which, at, bad) => {
          const src = SAMPLES[which]!.bytes;
          // a character boundary that does not split a CRLF
          let i = at % (src.length + 1);
          while (i < src.length && ((src[i]! & 0xc0) === 0x80 || (src[i] === 10 && src[i - 1] === 13))) i++;
          const bytes = Buffer.concat([src.subarray(0, i), Buffer.from(bad), src.subarray(i)]);
          const outcome = lintAs(SAMPLES[which]!.name, bytes);
          assertSound(outcome, SAMPLES[which]!.from);
          // the first invalid byte may come earlier when the file itself has one; else it is ours
          if (src.subarray(0, i).toString('utf8').includes('\ufffd')) return;
          const before = src.subarray(0, i).toString('utf8');
          const lines = before.split(/\r\n|\n|\r/);
          const line = lines.length;
          const column = lines[lines.length - 1]!.length + 1;
          assert.match(
            errorText(outcome),
            new RegExp(`:${line}:${column}: error: invalid UTF-8`),
            `${SAMPLES[which]!.from} at byte ${i}`,
          );
        },
      ),
      { numRuns: RUNS.utf8, seed: SEED },
    );
  });

  test('UTF-16 and UTF-32 byte-order marks: a clear encoding error', () => {
    const text = '.gitlab-ci.yml';
    for (const [bom, enc] of [
      [[0xff, 0xfe], 'utf16le'],
      [[0xfe, 0xff], 'utf16be'],
      [[0xff, 0xfe, 0, 0], 'utf32'],
    ] as const) {
      const body =
        enc === 'utf16be'
          ? Buffer.from('job:\n  script: [pip install x]\n', 'utf16le').swap16()
          : Buffer.from('job:\n  script: [pip install x]\n', 'utf16le');
      const outcome = lintAs(text, Buffer.concat([Buffer.from(bom), body]));
      assertSound(outcome, enc);
      assert.match(errorText(outcome), /:1:1: error: .*UTF-16/, enc);
    }
  });

  const key = (o: Outcome, withColumn: boolean) =>
    o.result.findings
      .map((f) => {
        const p = o.result.sources.position(f.span.path, f.span.start);
        return `${f.rule}@${p.line}${withColumn ? `:${p.column}` : ''}`;
      })
      .sort();

  test('a UTF-8 BOM changes no finding', () => {
    for (const s of SAMPLES) {
      const plain = lintAs(s.name, s.bytes);
      const bom = lintAs(s.name, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), s.bytes]));
      assertSound(bom, s.from);
      assert.deepEqual(key(bom, false), key(plain, false), s.from);
    }
  });

  test(`line endings: CRLF gives the same findings at the same line:column; any LF/CRLF/CR mix lints soundly (${RUNS.endings} runs)`, () => {
    for (const s of SAMPLES) {
      const lf = Buffer.from(s.bytes.toString('utf8').replace(/\r\n?/g, '\n'));
      const crlf = Buffer.from(lf.toString('utf8').replace(/\n/g, '\r\n'));
      const a = lintAs(s.name, lf);
      const b = lintAs(s.name, crlf);
      assertSound(b, `${s.from} (CRLF)`);
      assert.deepEqual(key(b, true), key(a, true), s.from);
    }
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SAMPLES.length - 1 }),
        fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1, maxLength: 16 }),
        (which, endings) => {
          const lines = SAMPLES[which]!.bytes.toString('utf8').split(/\r\n|\n|\r/);
          const text = lines.map((l, i) => l + endings[i % endings.length]).join('');
          assertSound(lintAs(SAMPLES[which]!.name, text), SAMPLES[which]!.from);
        },
      ),
      { numRuns: RUNS.endings, seed: SEED },
    );
  });

  test('tabs: in indentation, after keys, in scripts and flow collections', () => {
    const texts = [
      'job:\n\timage: debian:bookworm\n\tscript: [pip install x]\n',
      'job:\n  image:\tdebian:bookworm\n  script:\t[pip install x]\n',
      'job:\n  image: debian:bookworm\n  script:\n    -\tpip\tinstall\tx\n',
      'job:\n  image: debian:bookworm\n  script: |\n    pip install x\n\tpip install y\n',
      'job: {\timage: debian:bookworm,\tscript: [\tpip install x\t]\t}\n',
      'on: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n    - run: |\n\t\tpip install x\n',
    ];
    for (const text of texts)
      assertSound(
        lintAs(text.startsWith('on:') ? '.github/workflows/w.yml' : '.gitlab-ci.yml', text),
        JSON.stringify(text),
      );
  });

  test('duplicate keys: jobs, script, include, variables, in block and flow maps', () => {
    const texts = [
      'job:\n  script: [pip install a]\njob:\n  image: debian:bookworm\n  script: [pip install b]\n',
      'job:\n  image: debian:bookworm\n  script: [pip install a]\n  script: [pip install b]\n  image: python:3.12\n',
      'include: a.yml\ninclude: b.yml\njob:\n  script: [pip install x]\n',
      'variables: {A: 1, A: 2}\njob: {image: debian:bookworm, image: ubuntu:24.04, script: [pip install x]}\n',
      'on: push\non: pull_request\njobs:\n  t:\n    runs-on: ubuntu-24.04\n  t:\n    runs-on: ubuntu-24.04\n    steps: [{run: pip install x}, {run: pip install y, run: pip install z}]\n',
    ];
    for (const text of texts)
      assertSound(lintAs(text.startsWith('on:') ? '.github/workflows/w.yml' : '.gitlab-ci.yml', text), text);
  });
});

describe('GitLab resolution limits: extends and include cycles, depth', () => {
  test('extends cycles (self, two, fifty) and chains deeper than GitLab allows: positioned errors', () => {
    const texts = [
      'job:\n  extends: job\n  image: debian:bookworm\n  script: [pip install x]\n',
      '.a:\n  extends: .b\n.b:\n  extends: .a\njob:\n  extends: .a\n  image: debian:bookworm\n  script: [pip install x]\n',
      Array.from(
        { length: 50 },
        (_, i) => `.c${i}:\n  extends: [.c${(i + 1) % 50}, .c${(i + 7) % 50}]\n`,
      ).join('') + 'job:\n  extends: .c0\n  image: debian:bookworm\n  script: [pip install x]\n',
      Array.from({ length: 40 }, (_, i) => `.d${i}:\n  extends: .d${i + 1}\n`).join('') +
        '.d40:\n  script: [pip install x]\njob:\n  extends: .d0\n  image: debian:bookworm\n',
    ];
    for (const text of texts) {
      const outcome = lintAs('.gitlab-ci.yml', text);
      assertSound(outcome, text.slice(0, 60));
      assert.ok(errors(outcome).length > 0, `no error for ${text.slice(0, 60)}`);
    }
  });

  test('a script line that is a mapping (an unquoted ": "): one positioned error per line, the rest still linted', () => {
    const text =
      'image: debian:bookworm\n.t: &t\n  - apt-get update && apt-get install -y python3-pip\n  - echo key: value\n  - pip install x\na:\n  script: *t\nb:\n  script: *t\n';
    const outcome = lintAs('.gitlab-ci.yml', text);
    assertSound(outcome, 'mapping in a script');
    assert.match(errorText(outcome), /\.gitlab-ci\.yml:4:5: error: this script line is a YAML mapping/);
    assert.equal(errors(outcome).length, 1, 'a template line read by two jobs is reported once');
    assert.deepEqual(
      outcome.result.findings.map((f) => [f.rule, f.jobs]),
      [['pip-install-system-python', ['a', 'b']]],
    );
  });

  test('include cycles, self-includes, wildcards that match themselves, missing and broken includes', () => {
    const dir = scratch({
      '.gitlab-ci.yml':
        'include:\n  - local: .gitlab-ci.yml\n  - local: ci/a.yml\n  - local: "**/*.yml"\n  - local: ci/missing.yml\n  - local: ci/binary.yml\n  - local: ci/broken.yml\n  - local: ci\n  - local: ""\n  - remote: https://example.com/x.yml\njob:\n  image: debian:bookworm\n  script: [pip install x]\n',
      'ci/a.yml': 'include:\n  - local: ci/b.yml\na:\n  image: debian:bookworm\n  script: [pip install a]\n',
      'ci/b.yml':
        'include:\n  - local: ci/a.yml\n  - local: /.gitlab-ci.yml\nb:\n  script: [pip install b]\n',
      'ci/binary.yml': Buffer.from([0, 1, 2, 0xff]),
      'ci/broken.yml': 'a: [\n  - b: *nope\n',
    });
    const outcome = timed({ cwd: dir, paths: [join(dir, '.gitlab-ci.yml')] });
    assertSound(outcome, 'include cycles');
    assert.ok(outcome.result.findings.length > 0, 'the pipeline is still linted');
    assert.ok(errors(outcome).length > 0, 'the broken includes are reported');
  });

  test('an include chain 200 files deep (GitLab stops at 100): an error, in bounded time', () => {
    const files: Record<string, string> = { '.gitlab-ci.yml': 'include: ci/f0.yml\n' };
    for (let i = 0; i < 200; i++)
      files[`ci/f${i}.yml`] =
        `include: ci/f${i + 1}.yml\nj${i}:\n  image: debian:bookworm\n  script: [pip install x]\n`;
    const dir = scratch(files);
    const outcome = timed({ cwd: dir, paths: [join(dir, '.gitlab-ci.yml')] });
    assertSound(outcome, 'deep include chain');
    assert.match(errorText(outcome), /deeper than 100|more than 150/);
  });

  test('300 files included at once (GitLab allows 150): an error, in bounded time', () => {
    const files: Record<string, string> = { '.gitlab-ci.yml': 'include:\n  - local: "ci/*.yml"\n' };
    for (let i = 0; i < 300; i++)
      files[`ci/f${i}.yml`] = `j${i}:\n  image: debian:bookworm\n  script: [pip install x]\n`;
    const dir = scratch(files);
    const outcome = timed({ cwd: dir, paths: [dir] });
    assertSound(outcome, 'wide include');
    assert.match(errorText(outcome), /more than 150/);
  });
});

describe('discovery: symlink loops and unreadable files', () => {
  const isRoot = process.getuid?.() === 0;

  test('symlink loops, link cycles and dangling links in a searched folder', () => {
    const dir = scratch({
      '.gitlab-ci.yml': `${JOB}    - pip install x\n`,
      'sub/.gitlab-ci.yml': `${JOB}    - pip install y\n`,
    });
    symlinkSync('.', join(dir, 'sub/loop'));
    symlinkSync('..', join(dir, 'sub/up'));
    symlinkSync('self', join(dir, 'self'));
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    mkdirSync(join(dir, 'c/.gitlab'), { recursive: true });
    symlinkSync('missing.yml', join(dir, 'c/.gitlab-ci.yml'));
    symlinkSync('../../sub', join(dir, 'c/.gitlab/sub'));
    // (paths: [dir], not the default `paths: []`: check() reads the files discover() found relative
    // to `cwd` from the process's own working directory, so a `cwd` other than process.cwd() fails)
    const outcome = timed({ cwd: dir, paths: [dir] });
    assertSound(outcome, 'symlink loops');
    assert.ok(outcome.result.filesChecked >= 2, `files checked: ${outcome.result.filesChecked}`);
  });

  test('a linked folder is followed inside the searched tree only (`/proc/<pid>/cwd` leads to the whole disk)', () => {
    const outside = scratch({ '.gitlab/elsewhere.yml': `${JOB}    - pip install z\n` });
    const dir = scratch({ 'real/.gitlab/inside.yml': `${JOB}    - pip install x\n` });
    symlinkSync('real', join(dir, 'linked-inside'));
    symlinkSync(outside, join(dir, 'linked-outside'));
    const found = discover([dir], dir).files.map((f) => relative(dir, f));
    assert.ok(
      found.some((f) => f.endsWith('.gitlab/inside.yml')),
      found.join(', '),
    );
    assert.ok(!found.some((f) => f.includes('elsewhere')), found.join(', '));
  });

  test('named paths that cannot be read: dangling link, link loop, not a folder, EIO, too long a name', () => {
    const dir = scratch({ 'file.yml': 'a: 1\n' });
    symlinkSync('nowhere.yml', join(dir, 'dangling.yml'));
    symlinkSync('loop.yml', join(dir, 'loop.yml'));
    const paths = [
      join(dir, 'dangling.yml'),
      join(dir, 'loop.yml'),
      join(dir, 'file.yml/inside.yml'),
      `${dir}/${'x'.repeat(300)}.yml`,
      ...(existsSync('/proc/self/mem') ? ['/proc/self/mem'] : []),
    ];
    const outcome = timed({ cwd: dir, paths });
    assertSound(outcome, 'unreadable paths');
    const printed = errorText(outcome);
    for (const p of paths)
      assert.ok(printed.includes(`${p}:1:1: error: `), `no positioned error for ${p}:\n${printed}`);
  });

  test('files and folders without read permission', {
    skip: isRoot ? 'running as root: permission bits do not stop root from reading' : false,
  }, () => {
    const dir = scratch({ '.gitlab-ci.yml': 'a: 1\n', 'locked/.gitlab-ci.yml': 'a: 1\n' });
    chmodSync(join(dir, '.gitlab-ci.yml'), 0);
    chmodSync(join(dir, 'locked'), 0);
    try {
      const outcome = timed({ cwd: dir, paths: [] });
      assertSound(outcome, 'permissions');
      assert.match(errorText(outcome), /EACCES/);
    } finally {
      chmodSync(join(dir, 'locked'), 0o755);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// the real CLI, in child processes with a timeout (they run concurrently: most of the time is startup)

const TSX = import.meta.resolve('tsx');
const CLI = join(ROOT, 'src/cli.ts');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

function runCli(args: string[], cwd: string, timeoutMs: number, prefix: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    const start = performance.now();
    const command = prefix.length > 0 ? prefix[0]! : process.execPath;
    const argv = [
      ...prefix.slice(1),
      ...(prefix.length > 0 ? [process.execPath] : []),
      '--import',
      TSX,
      CLI,
      ...args,
    ];
    const child = spawn(command, argv, {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => {
      if (stdout.length < 1 << 20) stdout += d;
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < 1 << 20) stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - start, timedOut });
    });
  });
}

function assertCleanExit(r: Run, label: string) {
  assert.ok(!r.timedOut, `${label}: killed after ${r.ms.toFixed(0)} ms (hang)`);
  assert.ok(
    r.code === 0 || r.code === 1 || r.code === 2,
    `${label}: exit ${r.code} ${r.signal ?? ''}\n${r.stderr}`,
  );
  assert.ok(!STACK.test(r.stderr), `${label}: stack trace on stderr:\n${r.stderr.slice(0, 2000)}`);
  for (const line of r.stderr.split('\n').filter(Boolean))
    assert.match(line, POSITIONED, `${label}: stderr line not path:line:col`);
}

describe('the CLI on bad input: exit 0/1/2, positioned errors, no stack trace, no hang', {
  concurrency: true,
}, () => {
  test('a mix of bad files and one good file in one run', async () => {
    const dir = scratch({
      'good/.gitlab-ci.yml': `${JOB}    - pip install x\n`,
      'binary.yml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]),
      'nul.yml': 'a: 1\nb: \0\n',
      'utf8.yml': Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]),
      'utf16.yml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: 1\n', 'utf16le')]),
      'empty.yml': '',
      'broken.yml': 'a: [\n',
      'huge.yml': Buffer.alloc(50 * 1024 * 1024, 'a: 1\n'),
    });
    const names = [
      'good/.gitlab-ci.yml',
      'binary.yml',
      'nul.yml',
      'utf8.yml',
      'utf16.yml',
      'empty.yml',
      'broken.yml',
      'huge.yml',
    ];
    const r = await runCli(names, dir, 20_000);
    assertCleanExit(r, 'mixed files');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /good\/\.gitlab-ci\.yml:4:7: error: /);
    for (const [name, message] of [
      ['binary.yml:1:5', 'binary file'],
      ['nul.yml:2:4', 'binary file'],
      ['utf8.yml:1:4', 'invalid UTF-8'],
      ['utf16.yml:1:1', 'UTF-16'],
      ['huge.yml:1:1', 'too large'],
    ])
      assert.match(r.stderr, new RegExp(`^${name!.replace('.', '\\.')}: error: .*${message}`, 'm'));
  });

  test('a folder with symlink loops, dangling links and a FIFO', async () => {
    const dir = scratch({ 'r/.gitlab-ci.yml': `${JOB}    - pip install x\n` });
    symlinkSync('..', join(dir, 'r/up'));
    symlinkSync('self', join(dir, 'r/self'));
    mkdirSync(join(dir, 'r/.gitlab'));
    symlinkSync('gone.yml', join(dir, 'r/.gitlab/dangling.yml'));
    const fifo = spawnSync('mkfifo', [join(dir, 'r/.gitlab/pipe.yml')]);
    const r = await runCli(['r'], dir, 20_000);
    assertCleanExit(r, `folder${fifo.status === 0 ? ' with FIFO' : ''}`);
    assert.match(r.stdout, /r\/\.gitlab-ci\.yml:4:7: error: /);
  });

  // budgets: a hang never ends and /dev/zero grows without bound, so a generous budget still
  // catches them, while tsx's start on a loaded machine can take seconds
  test('a FIFO named on the command line', async () => {
    const dir = scratch();
    if (spawnSync('mkfifo', [join(dir, 'pipe.yml')]).status !== 0) return;
    const r = await runCli(['pipe.yml'], dir, 20_000);
    assertCleanExit(r, 'named FIFO');
  });

  test('a FIFO pulled in by include: local', async () => {
    const dir = scratch({
      '.gitlab-ci.yml': `include:\n  - local: ci/pipe.yml\n${JOB}    - pip install x\n`,
    });
    mkdirSync(join(dir, 'ci'));
    if (spawnSync('mkfifo', [join(dir, 'ci/pipe.yml')]).status !== 0) return;
    const r = await runCli(['.gitlab-ci.yml'], dir, 20_000);
    assertCleanExit(r, 'included FIFO');
    assert.match(r.stderr, /:2:12: error: cannot include ci\/pipe\.yml: not a regular file/);
  });

  test('include: local of /dev/zero, through a symlink or by climbing out of the project', async () => {
    if (!existsSync('/dev/zero')) return;
    const dir = scratch({
      'p/.gitlab-ci.yml': `include:\n  - local: ci/zero.yml\n  - local: ../../../../../../../../dev/zero\n${JOB}    - pip install x\n`,
    });
    mkdirSync(join(dir, 'p/ci'));
    symlinkSync('/dev/zero', join(dir, 'p/ci/zero.yml'));
    const r = await runCli(['p/.gitlab-ci.yml'], dir, 20_000);
    assertCleanExit(r, 'included /dev/zero');
    assert.match(r.stderr, /:2:12: error: cannot include p\/ci\/zero\.yml: not a regular file/);
    assert.match(r.stderr, /:3:12: error: cannot include .*dev\/zero: outside the project root/);
  });

  test('a character device named on the command line (/dev/zero)', async () => {
    if (!existsSync('/dev/zero')) return;
    const r = await runCli(['/dev/zero'], tmp, 10_000);
    assertCleanExit(r, '/dev/zero');
  });

  test('files too large for the heap node has: an error for each, the other files still linted', async () => {
    // 128 MB of heap (a small CI machine gets about a quarter of its memory): without the guard
    // (src/memory-guard.ts) V8 aborts the whole run on either file, "JavaScript heap out of memory".
    // Four large files in a row: each one given up leaves its garbage for the next to start with
    const LARGE = ['jobs', 'jobs2', 'jobs3', 'jobs4'];
    const jobs = Array.from(
      { length: 20_000 },
      (_, i) => `j${i}:\n  script:\n    - apt-get install -y python3-pip\n    - pip install p${i}\n`,
    );
    const lines = Array.from({ length: 60_000 }, (_, i) => `    - pip install p${i}\n`);
    const dir = scratch({
      ...Object.fromEntries(
        LARGE.map((name) => [`${name}/.gitlab-ci.yml`, `image: debian:bookworm\n${jobs.join('')}`]),
      ),
      'lines/.gitlab-ci.yml': `${JOB}${lines.join('')}`,
      'medium/.gitlab-ci.yml': `image: debian:bookworm\n${jobs.slice(0, 1000).join('')}`,
      'good/.gitlab-ci.yml': `${JOB}    - pip install x\n`,
    });
    const heap = ['/usr/bin/env', 'NODE_OPTIONS=--max-old-space-size=128'];
    const files = [...LARGE, 'lines', 'medium', 'good'].map((name) => `${name}/.gitlab-ci.yml`);
    const r = await runCli(files, dir, 60_000, heap);
    assertCleanExit(r, 'over the heap');
    assert.equal(r.code, 2, r.stderr);
    for (const name of [...LARGE, 'lines'])
      assert.match(
        r.stderr,
        new RegExp(
          `^${name}/\\.gitlab-ci\\.yml:1:1: error: file is too large to lint in the memory available: node's heap reached \\d+ of its \\d+ MB`,
          'm',
        ),
      );
    const linted = (name: string) =>
      r.stdout.split('\n').filter((l) => l.startsWith(`${name}/.gitlab-ci.yml:`)).length;
    assert.equal(linted('medium'), 1000, 'a file of 1 000 jobs is well within the guard');
    assert.equal(linted('good'), 1);
    for (const name of [...LARGE, 'lines'])
      assert.equal(linted(name), 0, 'a file given up reports nothing of itself');
    const inspected = await runCli(['inspect', 'jobs/.gitlab-ci.yml'], dir, 60_000, heap);
    assertCleanExit(inspected, 'inspect over the heap');
    assert.equal(inspected.code, 2, inspected.stderr);
    assert.match(inspected.stdout, /file is too large to lint in the memory available/);
    assert.doesNotMatch(inspected.stdout, /internal error/);
  });

  test('a 512 MiB sparse file is refused from its size, without reading it', async () => {
    if (!existsSync('/usr/bin/time')) return;
    const dir = scratch();
    const fd = openSync(join(dir, 'big.yml'), 'w');
    ftruncateSync(fd, 512 * 1024 ** 2);
    closeSync(fd);
    const r = await runCli(['big.yml'], dir, 20_000, ['/usr/bin/time', '-f', 'MAXRSS %M']);
    const rss = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
    r.stderr = r.stderr
      .replace(/^MAXRSS \d+\n?/m, '')
      .replace(/^Command exited with non-zero status \d+\n?/m, '');
    assertCleanExit(r, '512 MiB');
    assert.match(r.stderr, /big\.yml:1:1: error: file is too large/);
    assert.ok(rss < 300, `peak RSS ${rss.toFixed(0)} MB for a file it refuses`);
  });
});
