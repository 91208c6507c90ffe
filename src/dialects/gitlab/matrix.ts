/**
 * `parallel: matrix:` — GitLab runs one job per combination of values (each list entry is its own
 * cartesian product; at most 200 jobs). Combinations matter to us when they change the image or a
 * variable pip reads, so only then is a job split.
 */
import { type LNode, scalarText } from '../../yaml/located.ts';
import { isMap } from './merge.ts';

export const MAX_MATRIX_JOBS = 200;

export type Combination = [name: string, value: string][];

export function matrixCombinations(parallel: LNode | null | undefined): Combination[] {
  const matrix = isMap(parallel) ? parallel.entries.get('matrix')?.value : undefined;
  if (matrix?.kind !== 'seq') return [];
  const out: Combination[] = [];
  for (const entry of matrix.items) {
    if (!isMap(entry)) continue;
    let combos: Combination[] = [[]];
    for (const [name, pair] of entry.entries) {
      const v = pair.value;
      const values = v?.kind === 'seq' ? v.items.map((i) => scalarText(i) ?? '') : [scalarText(v) ?? ''];
      combos = combos.flatMap((c) => values.map((value): Combination => [...c, [name, value]]));
      if (combos.length > MAX_MATRIX_JOBS) break;
    }
    out.push(...combos);
    if (out.length >= MAX_MATRIX_JOBS) return out.slice(0, MAX_MATRIX_JOBS);
  }
  return out;
}

/** Variables pip and its wrappers read: a matrix over them changes the verdict. */
const RELEVANT = /^(PIP_|UV_|PIPENV_|POETRY_|FLIT_|VIRTUAL_ENV$|PYTHON)/;

export function matrixMatters(combos: Combination[], imageRaw: string | undefined): boolean {
  const names = new Set(combos.flatMap((c) => c.map(([n]) => n)));
  for (const n of names) {
    if (RELEVANT.test(n)) return true;
    if (imageRaw && new RegExp(`\\$\\{?${n}\\b`).test(imageRaw)) return true;
  }
  return false;
}

/** GitLab's name for a combination's job: `test: [a, b]`. */
export function combinationName(base: string, combo: Combination): string {
  return `${base}: [${combo.map(([, v]) => v).join(', ')}]`;
}

export function combinationLabel(combo: Combination): string {
  return combo.map(([n, v]) => `${n}=${v}`).join(', ');
}
