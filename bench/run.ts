/**
 * `npm run bench`: how fast ci-lint is against a bare YAML parse of the same files, how fast the
 * CLI starts, and how much memory a 10 000-file run takes. See bench/RESULTS.md for the figures.
 *
 * Files: ../shared/corpus plus generated projects (bench/generate.ts, seeded, deterministic) in a
 * temporary folder. Each size is measured in fresh processes running an esbuild bundle of
 * bench/measure.ts (built like dist/cli.js, so no tsx in the timings): one for the bare parse, one
 * for the lint, each reporting the best of several timed runs after warm-up, and its own peak RSS.
 * The real CLI on 1 000 files and more is timed with one thread and with one per core, with its CPU
 * time split by thread (main, workers, V8's own): what the threads can gain on this machine.
 *
 *   npm run bench [-- --keep] [-- --quick]
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { generateFiles, writeFiles } from './generate.ts';
import type { Measurement } from './measure.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const CORPUS = join(ROOT, '../shared/corpus');
const CLI = join(ROOT, 'dist/cli.js');
const SMALL_FILE = join(ROOT, 'fixtures/debian-flit/.gitlab-ci.yml');
const SEED = 668;
const keep = process.argv.includes('--keep');
const quick = process.argv.includes('--quick');

/** Timed runs and warm-up runs per size: enough to be stable, small enough for ~2 minutes in all. */
const PLAN: { label: string; size: number; runs: number; warmups: number }[] = [
  { label: '1', size: 1, runs: 200, warmups: 50 },
  { label: 'corpus', size: 0, runs: 20, warmups: 5 },
  { label: '100', size: 100, runs: 10, warmups: 3 },
  { label: '1 000', size: 1000, runs: 3, warmups: 1 },
  { label: '10 000', size: 10_000, runs: 1, warmups: 0 },
].filter((p) => !quick || p.size <= 1000);
const COLD_RUNS = 15;

const log = (s = '') => process.stdout.write(`${s}\n`);
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const mb = (kb: number) => (kb / 1024).toFixed(0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function machine(): string[] {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  return [
    `nproc ${availableParallelism()}, CPU ${model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `node ${process.version}, ${process.platform}-${process.arch}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  ];
}

async function bundleMeasure(dir: string): Promise<string> {
  const out = join(dir, 'measure.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench/measure.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return out;
}

function measure(
  bundle: string,
  mode: 'bare' | 'lint',
  list: string,
  runs: number,
  warmups: number,
): Measurement {
  const r = spawnSync(process.execPath, [bundle, mode, list, String(runs), String(warmups)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`measure ${mode} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measurement;
}

function timeSpawn(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  const elapsed = performance.now() - t;
  if (r.error) throw r.error;
  return elapsed;
}

/** The CLI's arguments for a timed run: the report goes nowhere, so only the linting is timed. */
const cliArgs = (files: string[], flags: string[]) => [
  CLI,
  ...flags,
  '--format',
  'json',
  '--output',
  '/dev/null',
  ...files,
];

/**
 * Loaded into a timed CLI (`--require`): at exit it tells, on Linux, the CPU time of the main
 * thread and of V8's own threads (GC, compiler), read from /proc; the workers' threads have ended
 * by then, so theirs is the process's total less those two.
 */
const THREAD_CPU_PRELOAD = `
const { readdirSync, readFileSync } = require('node:fs');
process.on('exit', () => {
  try {
    const ms = (tid) => {
      const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks: USER_HZ is 100 on Linux
    };
    const main = ms(process.pid);
    let v8 = 0;
    for (const tid of readdirSync('/proc/self/task')) if (Number(tid) !== process.pid) v8 += ms(tid);
    const u = process.resourceUsage();
    const total = (u.userCPUTime + u.systemCPUTime) / 1000;
    process.stderr.write('\\nTHREAD_CPU ' + main + ' ' + v8 + ' ' + total + '\\n');
  } catch {}
});
`;

interface CliRun {
  maxRssKB: number;
  ms: number;
  cpuMs: number;
  /** CPU ms by thread (Linux only): the main thread, worker threads, V8's own threads. */
  threads?: { main: number; workers: number; v8: number };
  code: number | null;
  stderr: string;
}

/** Peak RSS (KB), wall and CPU time of the real CLI over a list of files, in a child of its own. */
function cliRun(cwd: string, files: string[], flags: string[], preload: string): CliRun {
  const r = cliSpawn(cwd, ['--require', preload], cliArgs(files, flags));
  const m = /\nTHREAD_CPU ([\d.]+) ([\d.]+) ([\d.]+)\n/.exec(r.stderr);
  if (!m) return r;
  const [main, v8, total] = m.slice(1).map(Number) as [number, number, number];
  return {
    ...r,
    threads: { main, v8, workers: Math.max(0, total - main - v8) },
    stderr: r.stderr.replace(m[0], ''),
  };
}

/** The CLI (`args`: its path, then its own arguments) under node with `nodeOptions`, timed. */
function cliSpawn(cwd: string, nodeOptions: string[], args: string[]): CliRun {
  const t = performance.now();
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...nodeOptions, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const elapsed = performance.now() - t;
    const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
    const seconds = (what: string) =>
      Number(new RegExp(`${what} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1]);
    const stderr = r.stderr.replace(/\tCommand being timed:[\s\S]*$/, '');
    return {
      maxRssKB: kb,
      ms: elapsed,
      cpuMs: (seconds('User') + seconds('System')) * 1000,
      code: Number(/Exit status: (\d+)/.exec(r.stderr)?.[1] ?? r.status),
      stderr,
    };
  }
  // no GNU time: the CLI in-process, reporting its own peak at exit
  const wrapper = `process.argv.splice(1, 0, 'cli'); process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nMAXRSS ' + u.maxRSS + ' CPU ' + (u.userCPUTime + u.systemCPUTime) + '\\n'); }); await import(${JSON.stringify(`file://${CLI}`)});`;
  const r = spawnSync(
    process.execPath,
    [...nodeOptions, '--input-type=module', '-e', wrapper, '--', ...args.slice(1)],
    {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  const elapsed = performance.now() - t;
  const m = /MAXRSS (\d+) CPU (\d+)/.exec(r.stderr);
  return {
    maxRssKB: Number(m?.[1] ?? Number.NaN),
    ms: elapsed,
    cpuMs: Number(m?.[2] ?? Number.NaN) / 1000,
    code: r.status,
    stderr: r.stderr.replace(/\nMAXRSS \d+ CPU \d+\n$/, ''),
  };
}

/**
 * What the cores give this work with no coordination at all: `count` CLIs (`--jobs 1`) at once, each
 * on its share of the files. Wall time until the last ends. Worker threads cannot beat it: it bounds
 * their speedup on this machine (V8's own compiler and GC threads already use a second core).
 */
async function independentRuns(cwd: string, files: string[], count: number): Promise<number> {
  const t = performance.now();
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const share = files.filter((_, j) => j % count === i);
      return new Promise<void>((done, fail) =>
        spawn(process.execPath, cliArgs(share, ['--jobs', '1']), { cwd, stdio: 'ignore' })
          .on('error', fail)
          .on('exit', () => done()),
      );
    }),
  );
  return performance.now() - t;
}

/**
 * The real CLI on the generated sets of 1 000 files and more: one thread (`--jobs 1`) against one
 * thread per core (`--jobs N`: the main thread and N − 1 workers), each in a child of its own; and,
 * as the bound for the threads, N independent one-thread CLIs at once, each on its share of the files.
 */
async function realCli(lists: Map<string, string[]>, tmp: string) {
  const sets = [...lists.entries()].filter(([k]) => k !== 'corpus' && lists.get(k)!.length >= 1000);
  if (sets.length === 0) return;
  const threads = Math.min(availableParallelism(), 8);
  log('## The real CLI (one child process per run, `--format json --output /dev/null`)');
  log();
  log(
    '| files | threads | wall ms | files/s | CPU ms | CPU ms: main / workers / V8 threads | peak RSS MB | speedup over 1 thread | exit | stack trace |',
  );
  log('|---:|:--|---:|---:|---:|:--|---:|---:|---:|:--|');
  const preload = join(tmp, 'thread-cpu.cjs');
  writeFileSync(preload, THREAD_CPU_PRELOAD);
  const split = (r: CliRun) =>
    r.threads ? `${ms(r.threads.main)} / ${ms(r.threads.workers)} / ${ms(r.threads.v8)}` : '–';
  const verdicts: string[] = [];
  for (const [label, paths] of sets) {
    const dir = join(tmp, `set-${label.replace(/\s/g, '')}`);
    const rel = paths.map((p) => relative(dir, p));
    const one = cliRun(dir, rel, ['--jobs', '1'], preload);
    const auto = cliRun(dir, rel, ['--jobs', String(threads)], preload);
    const apart = await independentRuns(dir, rel, threads);
    for (const [name, r] of [
      ['1 (`--jobs 1`)', one],
      [`${threads} (\`--jobs ${threads}\`)`, auto],
    ] as const) {
      const trace = /\n\s+at .*\(.*:\d+:\d+\)/.test(r.stderr);
      log(
        `| ${label} | ${name} | ${ms(r.ms)} | ${(paths.length / (r.ms / 1000)).toFixed(0)} | ${ms(r.cpuMs)} | ${split(r)} | ${mb(r.maxRssKB)} | ${r === one ? '' : `${(one.ms / r.ms).toFixed(2)}×`} | ${r.code} | ${trace ? 'YES' : 'no'} |`,
      );
    }
    if (paths.length >= 10_000) {
      const peak = Math.max(one.maxRssKB, auto.maxRssKB) / 1024;
      verdicts.push(
        `- peak RSS for ${label} files: ${peak.toFixed(0)} MB (target ≤ 300 MB: ${peak <= 300 ? 'met' : `missed by ${((peak / 300 - 1) * 100).toFixed(0)}%`})`,
      );
    }
    // V8's own threads (GC, the optimising compiler) already use the other cores in a one-thread run:
    // even with no extra work at all, N threads cannot finish before its CPU time divided by N
    const ceiling = Math.min(threads, (one.ms * threads) / one.cpuMs);
    verdicts.push(
      `- worker threads on ${label} files: ${(one.ms / auto.ms).toFixed(3)}× with ${threads} threads (target ≥ 1.6× on 2 cores: ${one.ms / auto.ms >= 1.6 ? 'met' : 'missed'}; wall time, so a loaded machine lowers it)`,
      `- ceiling on this machine: the one-thread run took ${ms(one.cpuMs)} ms of CPU in ${ms(one.ms)} ms (V8's GC and compiler threads ran beside it), so ${threads} threads that added no work at all would take at least ${ms(one.cpuMs / threads)} ms: at most ${ceiling.toFixed(2)}×`,
      `- bound on this machine: ${threads} independent \`--jobs 1\` CLIs at once, each on 1/${threads} of the ${label} files, took ${ms(apart)} ms: ${(one.ms / apart).toFixed(2)}× over one${one.ms / apart > 1.05 ? `; the threads reach ${(((one.ms / auto.ms - 1) / (one.ms / apart - 1)) * 100).toFixed(0)}% of that gain` : ' (no gain to reach)'}`,
    );
  }
  log();
  for (const v of verdicts) log(v);
  log();
}

async function main() {
  const started = performance.now();
  const tmp = mkdtempSync(join(tmpdir(), 'ci-lint-bench-'));
  log('# ci-lint bench');
  log();
  for (const line of machine()) log(`- ${line}`);
  const stale = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--check'], {
    encoding: 'utf8',
  });
  log(
    `- dist/cli.js ${stale.status === 0 ? 'is fresh' : 'is STALE against src/ (cold start measures the committed bundle)'}`,
  );
  log(`- seed ${SEED}; temp folder ${tmp}${keep ? ' (kept)' : ''}`);

  const bundle = await bundleMeasure(tmp);
  const hasCorpus = existsSync(CORPUS);
  const lists = new Map<string, string[]>();
  const t0 = performance.now();
  for (const p of PLAN) {
    const dir = join(tmp, `set-${p.label.replace(/\s/g, '')}`);
    let paths: string[] = [];
    if (p.label === 'corpus') {
      if (!hasCorpus) continue;
      cpSync(CORPUS, join(dir, 'corpus'), { recursive: true });
      paths = yamlFiles(dir);
    } else {
      let generated = p.size;
      if (p.size >= 100 && hasCorpus) {
        cpSync(CORPUS, join(dir, 'corpus'), { recursive: true });
        paths = yamlFiles(join(dir, 'corpus'));
        generated -= paths.length;
      }
      paths.push(...writeFiles(dir, generateFiles(generated, SEED)));
    }
    lists.set(p.label, paths);
    writeFileSync(join(tmp, `list-${p.label.replace(/\s/g, '')}.json`), JSON.stringify(paths));
  }
  const bytes = (paths: string[]) => paths.reduce((s, p) => s + statSync(p).size, 0);
  log(
    `- generated ${[...lists.values()].reduce((s, l) => s + l.length, 0)} files in ${ms(performance.now() - t0)} ms`,
  );
  log();

  log('## Lint vs bare `yaml` parse (best of N runs after warm-up; each mode in its own process)');
  log();
  log(
    '| files | MB | N | lint ms | files/s | ms/file | peak RSS MB | bare ms | bare RSS MB | lint/bare | target ≤ 2.0× | lint/bare (CPU) |',
  );
  log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:--|---:|');
  const summary: string[] = [];
  for (const p of PLAN) {
    const paths = lists.get(p.label);
    if (!paths) continue;
    const list = join(tmp, `list-${p.label.replace(/\s/g, '')}.json`);
    const b = measure(bundle, 'bare', list, p.runs, p.warmups);
    const l = measure(bundle, 'lint', list, p.runs, p.warmups);
    const bestL = Math.min(...l.runs);
    const bestB = Math.min(...b.runs);
    const ratio = bestL / bestB;
    const cpuRatio = Math.min(...l.cpu) / Math.min(...b.cpu);
    const label = p.label === 'corpus' ? `corpus (${paths.length})` : p.label;
    log(
      `| ${label} | ${(bytes(paths) / 2 ** 20).toFixed(2)} | ${p.runs} | ${ms(bestL)} | ${(paths.length / (bestL / 1000)).toFixed(0)} | ${ms(bestL / paths.length)} | ${mb(l.maxRssKB)} | ${ms(bestB)} | ${mb(b.maxRssKB)} | ${ratio.toFixed(2)}× | ${ratio <= 2 ? 'met' : `missed by ${((ratio / 2 - 1) * 100).toFixed(0)}%`} | ${cpuRatio.toFixed(2)}× |`,
    );
    summary.push(
      `${label}: ${l.items} findings, ${l.errors} error diagnostics; ${b.errors} documents with YAML errors`,
    );
  }
  log();
  for (const s of summary) log(`- ${s}`);
  log();

  log(`## Cold start (median of ${COLD_RUNS} runs each, interleaved)`);
  log();
  const cold = { base: [] as number[], version: [] as number[], file: [] as number[] };
  for (let i = 0; i < 2; i++) timeSpawn([CLI, '--version']); // page cache
  for (let i = 0; i < COLD_RUNS; i++) {
    cold.base.push(timeSpawn(['-e', '0']));
    cold.version.push(timeSpawn([CLI, '--version']));
    cold.file.push(timeSpawn([CLI, SMALL_FILE]));
  }
  const base = median(cold.base);
  log('| command | median ms | min ms | ratio to `node -e 0` | target ≤ 2.5× |');
  log('|:--|---:|---:|---:|:--|');
  log(`| \`node -e 0\` | ${ms(base)} | ${ms(Math.min(...cold.base))} | 1.00× | |`);
  for (const [name, xs] of [
    ['`node dist/cli.js --version`', cold.version],
    [`\`node dist/cli.js ${relative(ROOT, SMALL_FILE)}\``, cold.file],
  ] as const) {
    const r = median(xs) / base;
    log(
      `| ${name} | ${ms(median(xs))} | ${ms(Math.min(...xs))} | ${r.toFixed(2)}× | ${r <= 2.5 ? 'met' : `missed by ${((r / 2.5 - 1) * 100).toFixed(0)}%`} |`,
    );
  }
  log();

  await realCli(lists, tmp);

  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  log(`bench took ${((performance.now() - started) / 1000).toFixed(0)} s; load average at the end ${load}`);
  if (!keep) rmSync(tmp, { recursive: true, force: true });
}

await main();
