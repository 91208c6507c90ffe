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
  for (const [key, pairs] of byKey) {
    const top = pairs[pairs.length - 1]!.pair;
    // the values that merge are the untagged maps at the end; anything before them is replaced
    let from = pairs.length;
    while (from > 0 && mergeable(pairs[from - 1]!.pair.value, pairs[from - 1]!.above)) from--;
    const merging = pairs.slice(from).map(({ pair, above }) => ({ map: pair.value as LMap, above }));
    entries.set(key, merging.length > 1 ? { ...top, value: mergeAll(merging) } : top);
  }
  return { kind: 'map', path: last.path, range: last.range, entries };
}

function mergeable(node: LNode | null, above: Chain): boolean {
  if (node?.kind !== 'map' || node.tag) return false;
  for (let c: Chain | null = above; c; c = c.above) if (c.map === node) return false;
  return true;
}

export function isMap(node: LNode | null | undefined): node is LMap {
  return node?.kind === 'map';
}
