/**
 * `strategy.matrix` as GitHub expands it: the cartesian product of the plain keys, minus `exclude`
 * entries, then each `include` entry either extends the combinations it matches (without
 * overwriting their original values) or is added as a combination of its own.
 */
import { get, type LMap, type LNode, scalarText } from '../../yaml/located.ts';

export type Combination = Map<string, LNode | null>;
export const MAX_COMBINATIONS = 256;

export function expandMatrix(matrix: LNode | null | undefined): { combos: Combination[]; dynamic: boolean } {
  if (!matrix) return { combos: [], dynamic: false };
  if (matrix.kind !== 'map') return { combos: [], dynamic: true }; // `${{ fromJSON(…) }}`
  const keys = [...matrix.entries.keys()].filter((k) => k !== 'include' && k !== 'exclude');
  let combos: Combination[] = keys.length > 0 ? [new Map()] : [];
  for (const key of keys) {
    const v = matrix.entries.get(key)!.value;
    if (v?.kind !== 'seq') return { combos: [], dynamic: true };
    combos = combos.flatMap((c) => v.items.map((item) => new Map(c).set(key, item)));
    if (combos.length > MAX_COMBINATIONS) combos = combos.slice(0, MAX_COMBINATIONS);
  }
  const same = (a: LNode | null | undefined, b: LNode | null | undefined) => scalarText(a) === scalarText(b);
  const exclude = get(matrix, 'exclude');
  const include = get(matrix, 'include');
  // `include: ${{ fromJSON(…) }}`: which legs there are, and their values, are known at run time only
  for (const part of [exclude, include])
    if (part != null && part.kind !== 'seq') return { combos: [], dynamic: true };
  if (exclude?.kind === 'seq') {
    for (const ex of exclude.items) {
      if (ex?.kind !== 'map') continue;
      combos = combos.filter((c) => ![...ex.entries].every(([k, p]) => same(c.get(k), p.value)));
    }
  }
  // includes extend only the combinations of the original matrix, never ones added by an include
  const original = [...combos];
  if (include?.kind === 'seq') {
    for (const inc of include.items) {
      if (inc?.kind !== 'map') continue;
      const entries = [...(inc as LMap).entries].map(([k, p]) => [k, p.value] as const);
      // added to every combination whose original values it does not contradict
      const matches = original.filter((c) =>
        entries.every(([k, v]) => !keys.includes(k) || same(c.get(k), v)),
      );
      for (const c of matches) for (const [k, v] of entries) if (!keys.includes(k)) c.set(k, v);
      if (matches.length > 0) continue;
      combos.push(new Map(entries));
    }
  }
  return { combos, dynamic: false };
}
