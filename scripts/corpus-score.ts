/**
 * Precision and recall of ci-lint against the labelled corpus (../shared/corpus/LABELS.tsv).
 * A line is "flagged" when an error or warning points at it. `fails` rows are the positives;
 * `ok` rows the negatives; `unknown` rows are counted apart. A finding on a line with no label is
 * a false positive too (the labels list every line that mentions pip).
 * Run: `npm run corpus` (prints the table), or import `scoreCorpus` (the corpus test does).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RULES } from '../rules/index.ts';
import { check } from '../src/engine/check.ts';

export const CORPUS_DIR = new URL('../../shared/corpus/', import.meta.url).pathname;

export interface Score {
  dialect: 'gitlab' | 'github';
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  unknownFlagged: number;
  unknownTotal: number;
  precision: number;
  recall: number;
  files: number;
  crashes: string[];
  mistakes: string[];
}

interface Label {
  file: string;
  line: number;
  verdict: 'fails' | 'ok' | 'unknown';
  command: string;
}

function readLabels(dir: string): Label[] {
  const rows = readFileSync(join(dir, 'LABELS.tsv'), 'utf8').trim().split('\n').slice(1);
  return rows.map((r) => {
    const [file, line, , command, verdict] = r.split('\t');
    return { file: file!, line: Number(line), verdict: verdict as Label['verdict'], command: command ?? '' };
  });
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

export function scoreCorpus(dialect: 'gitlab' | 'github', dir = CORPUS_DIR): Score {
  const labels = readLabels(dir).filter((l) => l.file.startsWith(`${dialect}/`));
  const flagged = new Set<string>();
  const crashes: string[] = [];
  const files = listFiles(join(dir, dialect)).filter((f) => /\.ya?ml$/.test(f));
  // one run over all files, as a user would lint a checkout: included files are seen through their includer
  try {
    const result = check({
      cwd: dir,
      paths: files,
      ignore: [],
      rules: RULES,
      environment: {},
      strategies: ['venv', 'pipx', 'override'],
      ...(dialect === 'gitlab' ? { dialect: 'gitlab' as const } : {}),
    });
    for (const f of result.findings) {
      if (f.severity === 'info') continue;
      flagged.add(`${relative(dir, f.span.path)}:${result.sources.position(f.span.path, f.span.start).line}`);
    }
  } catch (e) {
    crashes.push(`${dialect}: ${(e as Error).stack ?? e}`);
  }
  const score: Score = {
    dialect,
    tp: 0,
    fp: 0,
    fn: 0,
    tn: 0,
    unknownFlagged: 0,
    unknownTotal: 0,
    precision: 1,
    recall: 1,
    files: files.length,
    crashes,
    mistakes: [],
  };
  const labelled = new Set<string>();
  for (const l of labels) {
    const key = `${l.file}:${l.line}`;
    labelled.add(key);
    const hit = flagged.has(key);
    if (l.verdict === 'unknown') {
      score.unknownTotal++;
      if (hit) score.unknownFlagged++;
    } else if (l.verdict === 'fails') {
      if (hit) score.tp++;
      else {
        score.fn++;
        score.mistakes.push(`missed   ${key}  ${l.command}`);
      }
    } else if (hit) {
      score.fp++;
      score.mistakes.push(`false +  ${key}  ${l.command}`);
    } else score.tn++;
  }
  for (const key of flagged) {
    if (!labelled.has(key)) {
      score.fp++;
      score.mistakes.push(`false +  ${key}  (no label)`);
    }
  }
  score.precision = score.tp + score.fp === 0 ? 1 : score.tp / (score.tp + score.fp);
  score.recall = score.tp + score.fn === 0 ? 1 : score.tp / (score.tp + score.fn);
  return score;
}

export function formatScore(s: Score): string {
  const pct = (x: number) => x.toFixed(3);
  return [
    `${s.dialect}: ${s.files} files, precision ${pct(s.precision)} recall ${pct(s.recall)} (tp ${s.tp}, fp ${s.fp}, fn ${s.fn}, tn ${s.tn}; unknown rows flagged ${s.unknownFlagged}/${s.unknownTotal})`,
    ...s.mistakes.map((m) => `  ${m}`),
    ...s.crashes.map((c) => `  CRASH ${c}`),
  ].join('\n');
}

if (
  process.argv[1] &&
  import.meta.url.endsWith(process.argv[1].replace(/.*\//, '')) &&
  existsSync(CORPUS_DIR)
) {
  for (const d of ['gitlab', 'github'] as const) console.log(formatScore(scoreCorpus(d)));
}
