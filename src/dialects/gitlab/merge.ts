/**
 * GitLab's `extends` merge: hashes merge deeply, everything else (arrays, scalars) is replaced by
 * the extending job's value. The result is a new map whose leaves are still the original located
 * nodes, so every script line keeps pointing at the file and line it was written on.
 */
import type { LMap, LNode, LPair } from '../../yaml/located.ts';

/**
 * Merges `maps`, each over the ones before it, in one pass: each key's values are gathered once, so
 * merging n maps costs their size, not n times the merged size (as folding them pairwise would).
 */
export function deepMergeAll(maps: readonly LMap[]): LMap {
  return mergeAll(maps.map((map) => ({ map, above: null })));
}

/** Maps containing this one, innermost first: a map that contains itself (`&a {b: *a}`) is not merged into again. */
interface Chain {
  map: LMap;
  above: Chain | null;
}

function mergeAll(maps: readonly Chain[]): LMap {
  if (maps.length === 1) return maps[0]!.map;
  const last = maps[maps.length - 1]!.map;
  const byKey = new Map<string, { pair: LPair; above: Chain }[]>();
  for (const chain of maps) {
    for (const [key, pair] of chain.map.entries) {
      const pairs = byKey.get(key);
      if (pairs) pairs.push({ pair, above: chain });
      else byKey.set(key, [{ pair, above: chain }]);
    }
  }
  const entries = new Map<string, LPair>();
  for (const [key, pairs] of byKey) entries.set(key, mergedPair(pairs));
  return { kind: 'map', path: last.path, range: last.range, entries };
}

/** One key's value over all the maps that have it, the last one on top. */
function mergedPair(pairs: readonly { pair: LPair; above: Chain }[]): LPair {
  const top = pairs[pairs.length - 1]!.pair;
  // the values that merge are the untagged maps at the end; anything before them is replaced
  let from = pairs.length;
  while (from > 0 && mergeable(pairs[from - 1]!.pair.value, pairs[from - 1]!.above)) from--;
  const merging = pairs.slice(from).map(({ pair, above }) => ({ map: pair.value as LMap, above }));
  return merging.length > 1 ? { ...top, value: mergeAll(merging) } : top;
}

/**
 * A merge that can grow: `deepMergeAll([a, b, c])` as `new MergedMap(a)`, then `.over(b)`, `.over(c)`.
 * Each step costs the size of the map put on top, not of everything merged so far, so a chain of
 * nested includes (each file over the files it includes) stays linear. It is the same merge: merging
 * is a left fold, key by key (a value that is not a map replaces everything before it).
 */
export class MergedMap {
  readonly map: LMap;
  /**
   * For the cycle check: the map each entry was written in, as of the level that set it. A merge
   * carried on by an including file counts as one map there (its entries' own maps are forgotten,
   * as when a nested include's result is merged again), hence the level.
   */
  private readonly from = new Map<string, { chain: Chain; level: number }>();
  private level = 0;

  constructor(first: LMap) {
    // a copy the merge owns and may change; like deepMergeAll's result, it has no tag
    this.map = { kind: 'map', path: first.path, range: first.range, entries: new Map(first.entries) };
    const from = { chain: { map: first, above: null }, level: 0 };
    for (const key of first.entries.keys()) this.from.set(key, from);
  }

  /** The merge, taken over by the file that includes this one: from now on its result is one map. */
  carriedOn(): this {
    this.level++;
    return this;
  }

  over(top: LMap): this {
    const above: Chain = { map: top, above: null };
    const self: Chain = { map: this.map, above: null };
    for (const [key, pair] of top.entries) {
      const prev = this.map.entries.get(key);
      let next = pair;
      if (prev) {
        const from = this.from.get(key);
        const below = from && from.level === this.level ? from.chain : self;
        next = mergedPair([
          { pair: prev, above: below },
          { pair, above },
        ]);
      }
      this.map.entries.set(key, next);
      this.from.set(key, { chain: next === pair ? above : self, level: this.level });
    }
    this.map.path = top.path;
    this.map.range = top.range;
    return this;
  }
}

function mergeable(node: LNode | null, above: Chain): boolean {
  if (node?.kind !== 'map' || node.tag) return false;
  for (let c: Chain | null = above; c; c = c.above) if (c.map === node) return false;
  return true;
}

export function isMap(node: LNode | null | undefined): node is LMap {
  return node?.kind === 'map';
}
