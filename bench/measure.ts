/**
 * One measurement in a fresh process (bench/run.ts bundles this file with esbuild, like dist/cli.js,
 * and runs the bundle once per size and mode, so each peak RSS belongs to one job only).
 *
 *   node measure.mjs <bare|lint> <list.json> <runs> <warmups>
 *
 * bare: for each file, read the bytes, decode UTF-8, `parseAllDocuments` — nothing else.
 * lint: `checkEach()` over the same paths, as the CLI does (discover → read → lint, one thread; no
 * reporter).
 * Prints one JSON line: every timed run's wall and CPU time in ms, peak RSS, and a summary of the result.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { RULES } from '../rules/index.ts';
import { checkEach } from '../src/engine/check.ts';

export interface Measurement {
  mode: 'bare' | 'lint';
  files: number;
  /** Wall time of each timed run, ms. */
  runs: number[];
  /** CPU time (user + system, all threads) of each timed run, ms. */
  cpu: number[];
  maxRssKB: number;
  /** bare: documents parsed; lint: findings. */
  items: number;
  /** lint: error diagnostics (files that could not be read or parsed). */
  errors: number;
}

function bare(paths: readonly string[]): { items: number; errors: number } {
  let items = 0;
  let errors = 0;
  const decoder = new TextDecoder('utf-8');
  for (const p of paths) {
    const docs = parseAllDocuments(decoder.decode(readFileSync(p)));
    if (Array.isArray(docs)) {
      items += docs.length;
      for (const d of docs) if (d.errors.length > 0) errors++;
    } else items++; // an empty stream
  }
  return { items, errors };
}

function lint(paths: readonly string[]): { items: number; errors: number } {
  let items = 0;
  let errors = 0;
  // file by file, as the CLI runs (each file's findings are dropped once counted)
  checkEach(
    {
      cwd: process.cwd(),
      paths: [...paths],
      ignore: [],
      rules: RULES,
      environment: {},
      strategies: ['venv', 'pipx', 'override'],
    },
    (batch) => {
      items += batch.findings.length;
      for (const d of batch.diagnostics) if (d.severity === 'error') errors++;
    },
  );
  return { items, errors };
}

const [mode, listPath, runsArg, warmArg] = process.argv.slice(2);
if ((mode !== 'bare' && mode !== 'lint') || !listPath) {
  process.stderr.write('usage: measure <bare|lint> <list.json> <runs> <warmups>\n');
  process.exit(2);
}
const paths = JSON.parse(readFileSync(listPath, 'utf8')) as string[];
const job = mode === 'bare' ? bare : lint;
let last = { items: 0, errors: 0 };
for (let i = 0; i < Number(warmArg ?? 0); i++) last = job(paths);
const runs: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < Number(runsArg ?? 1); i++) {
  const c = process.cpuUsage();
  const t = performance.now();
  last = job(paths);
  runs.push(performance.now() - t);
  const used = process.cpuUsage(c);
  cpu.push((used.user + used.system) / 1000);
}
const out: Measurement = {
  mode,
  files: paths.length,
  runs,
  cpu,
  maxRssKB: process.resourceUsage().maxRSS,
  ...last,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
