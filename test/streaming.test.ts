/**
 * Issue 10: a run over many files streams its report file by file and may lint on worker threads;
 * neither may change a byte of the output. Streamed output is compared with the whole-report
 * renderers, threaded output with the sequential run, on the fixtures, the rule cases and (when
 * present) the shared corpus.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { type CheckSettings, check, checkEach, type FileOutcome, lintInput } from '../src/engine/check.ts';
import { FILES_PER_THREAD, lintInWorkers, workerCount } from '../src/engine/parallel.ts';
import { planRun } from '../src/engine/settings.ts';
import { FORMATS, STREAM } from '../src/reporters/index.ts';
import { textStream } from '../src/reporters/text.ts';
import { renderWhole, reportOf } from '../src/reporters/types.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/cli.js');
const CORPUS = join(ROOT, '../shared/corpus');

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

// folders, so discovery and the main-files-first order are exercised too; plus every rule case
const PATHS = [
  'fixtures',
  ...(existsSync(CORPUS) ? [relative(ROOT, CORPUS)] : []),
  ...yamlFiles(join(ROOT, 'rules')),
];

const settingsFor = (paths: string[]): CheckSettings => planRun({ cwd: ROOT, paths }).settings;

describe('streamed reports', () => {
  for (const format of FORMATS) {
    test(`${format}: fed file by file, the same bytes as rendered whole`, () => {
      const stream = () =>
        format === 'text' ? textStream({ color: false, quiet: false }, 'venv') : STREAM[format]('venv');
      const whole = renderWhole(stream(), reportOf(check(settingsFor(PATHS)), 'venv'));
      const s = stream();
      let batches = 0;
      let out = '';
      const summary = checkEach(settingsFor(PATHS), (batch) => {
        batches++;
        out += s.file(batch);
      });
      out += s.end(summary.filesChecked);
      assert.ok(batches > 50, `only ${batches} batches`);
      assert.ok(whole.length > 1000);
      assert.equal(out, whole);
    });
  }

  // the piecewise JSON writer against JSON's own layout: nesting, separators, indentation, empties
  for (const format of ['json', 'sarif', 'gitlab'] as const) {
    test(`${format}: written piecewise, exactly JSON.stringify(report, null, 2)`, () => {
      const s = STREAM[format]('venv');
      let out = '';
      const summary = checkEach(settingsFor(PATHS), (batch) => {
        out += s.file(batch);
      });
      out += s.end(summary.filesChecked);
      assert.equal(out.trimEnd(), JSON.stringify(JSON.parse(out), null, 2));
    });
  }
});

describe('worker threads', () => {
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args, ...PATHS], { cwd: ROOT, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  for (const format of ['text', 'json', 'sarif']) {
    test(`${format}: --jobs 3 prints exactly what --jobs 1 prints`, () => {
      const one = run(['--jobs', '1', '--format', format]);
      const three = run(['--jobs', '3', '--format', format]);
      assert.ok(one.stdout.length > 1000, one.stderr);
      assert.deepEqual(three, one);
    });
  }

  test('workers start in a process whose evaluated code is a module (node --input-type=module -e)', () => {
    const wrapper = `process.argv.splice(1, 0, 'cli'); await import(${JSON.stringify(`file://${CLI}`)});`;
    const args = ['--jobs', '2', '--format', 'json', 'fixtures'];
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', wrapper, '--', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000, // a worker that cannot start is only given up after 60 s of silence
    });
    const direct = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.signal, null, 'timed out');
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace');
    assert.deepEqual([r.status, r.stdout], [direct.status, direct.stdout]);
  });

  test('--jobs takes a whole number of at least 1', () => {
    const r = spawnSync(process.execPath, [CLI, '--jobs', '0', 'fixtures'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--jobs must be a whole number ≥ 1 \(got "0"\)/);
  });

  test('the workers lint every file (none is left to the main thread), as the main thread would', () => {
    const settings = settingsFor([]);
    const paths = yamlFiles(join(ROOT, 'fixtures'));
    // each finding with the text of the line it points at: workers send back only the texts needed
    const plain = ({ sources, ...rest }: FileOutcome) => ({
      ...rest,
      lines: rest.findings.map((f) =>
        sources.index(f.span.path).lineText(sources.position(f.span.path, f.span.start).line),
      ),
    });
    const taken: ReturnType<typeof plain>[] = [];
    const pool = { entry: new URL(`file://${CLI}`), options: { cwd: ROOT, paths: [] } };
    assert.equal(
      lintInWorkers(
        pool,
        2,
        paths,
        () => false,
        (o) => taken.push(plain(o)),
      ),
      paths.length,
    );
    assert.deepEqual(
      taken,
      paths.map((p) => plain(lintInput(p, settings))),
    );
    assert.ok(taken.some((o) => o.findings.length > 0));
  });

  test('by default a thread is added per FILES_PER_THREAD files, up to the cores; --jobs decides otherwise', () => {
    const pool = { entry: new URL('file:///x.js'), options: { cwd: ROOT, paths: [] } };
    const cores = Math.min(availableParallelism(), 8);
    assert.equal(workerCount(pool, FILES_PER_THREAD - 1), 0, 'below one thread’s share: no worker');
    assert.equal(workerCount(pool, 2 * FILES_PER_THREAD), Math.min(cores, 2) - 1);
    assert.equal(workerCount(pool, 100 * FILES_PER_THREAD), cores - 1);
    assert.equal(workerCount({ ...pool, jobs: 3 }, 10), 2, '--jobs 3: two workers and the main thread');
    assert.equal(workerCount({ ...pool, jobs: 3 }, 2), 1, 'never more threads than files');
    assert.equal(workerCount(undefined, 100 * FILES_PER_THREAD), 0, 'no pool: no workers');
  });

  test('a worker that cannot start hands the whole run back to the main thread', () => {
    const pool = { entry: new URL('file:///nonexistent/ci-lint.js'), options: { cwd: ROOT, paths: [] } };
    const paths = yamlFiles(join(ROOT, 'fixtures'));
    let taken = 0;
    assert.equal(
      lintInWorkers(
        pool,
        2,
        paths,
        () => false,
        () => taken++,
      ),
      0,
    );
    assert.equal(taken, 0);
    // and checkEach then lints everything itself, so the run still reports every file
    const summary = checkEach({ ...settingsFor(paths), pool: { ...pool, jobs: 2 } }, () => {});
    assert.equal(summary.filesChecked, checkEach(settingsFor(paths), () => {}).filesChecked);
  });

  test('a worker that starts but never replies (as one that died would) hands the rest back after silenceMs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ci-lint-silent-'));
    const entry = join(dir, 'silent.mjs');
    writeFileSync(entry, '// loads, then says nothing\n');
    const pool = { entry: new URL(`file://${entry}`), options: { cwd: ROOT, paths: [] }, silenceMs: 300 };
    const paths = yamlFiles(join(ROOT, 'fixtures'));
    try {
      const started = Date.now();
      assert.equal(
        lintInWorkers(
          pool,
          2,
          paths,
          () => false,
          () => {},
        ),
        0,
      );
      assert.ok(Date.now() - started < 10_000, 'gave up after the silence, not later');
      const summary = checkEach({ ...settingsFor(paths), pool: { ...pool, jobs: 2 } }, () => {});
      assert.equal(summary.filesChecked, checkEach(settingsFor(paths), () => {}).filesChecked);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
