/**
 * GitLab's `extends` merge: hashes merge deeply, everything else (arrays, scalars) is replaced by
 * the extending job's value. The result is a new map whose leaves are still the original located
 * nodes, so every script line keeps pointing at the file and line it was written on.
 */
import type { LMap, LNode } from '../../yaml/located.ts';

export function deepMerge(base: LMap, over: LMap): LMap {
  const out: LMap = { kind: 'map', path: over.path, range: over.range, entries: new Map(base.entries) };
  for (const [key, pair] of over.entries) {
    const prev = out.entries.get(key)?.value;
    const next = pair.value;
    if (prev?.kind === 'map' && next?.kind === 'map' && !prev.tag && !next.tag) {
      out.entries.set(key, { ...pair, value: deepMerge(prev, next) });
    } else out.entries.set(key, pair);
  }
  return out;
}

export function isMap(node: LNode | null | undefined): node is LMap {
  return node?.kind === 'map';
}
