/**
 * The environment a shell command sees, as a persistent map: `set` and `delete` return a new map
 * that shares all but a few small nodes with the old one. Every simulated command keeps a snapshot
 * of its environment, so copying a whole Map per `export` made a script of n exports cost n².
 *
 * A hash trie (32-way branches on 5 bits of the name's hash at a time; names with equal hashes
 * share a bucket): lookups and updates touch at most 7 nodes.
 */

interface Bucket<V> {
  hash: number;
  /** Deleted names stay as `undefined`, so a delete is an update like any other. */
  entries: [string, V | undefined][];
}
type Trie<V> = Bucket<V> | Branch<V> | undefined;
type Branch<V> = Trie<V>[];

const BITS = 5;
const MASK = (1 << BITS) - 1;

export class EnvMap<V> {
  private constructor(private readonly root: Trie<V>) {}

  static empty<V>(): EnvMap<V> {
    return new EnvMap<V>(undefined);
  }

  static of<V>(entries: Iterable<readonly [string, V]>): EnvMap<V> {
    let map = EnvMap.empty<V>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
  }

  get(key: string): V | undefined {
    const hash = hashOf(key);
    let node = this.root;
    for (let shift = 0; Array.isArray(node); shift += BITS) node = node[(hash >>> shift) & MASK];
    if (!node || node.hash !== hash) return undefined;
    return node.entries.find(([k]) => k === key)?.[1];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): EnvMap<V> {
    return new EnvMap(put(this.root, hashOf(key), key, value, 0));
  }

  delete(key: string): EnvMap<V> {
    return this.has(key) ? new EnvMap(put(this.root, hashOf(key), key, undefined, 0)) : this;
  }
}

function put<V>(node: Trie<V>, hash: number, key: string, value: V | undefined, shift: number): Trie<V> {
  if (node === undefined) return { hash, entries: [[key, value]] };
  if (Array.isArray(node)) {
    const copy = node.slice();
    const i = (hash >>> shift) & MASK;
    copy[i] = put(copy[i], hash, key, value, shift + BITS);
    return copy;
  }
  if (node.hash === hash) {
    const entries = node.entries.filter(([k]) => k !== key);
    entries.push([key, value]);
    return { hash, entries };
  }
  // two hashes meet: branch until their bits part (they differ somewhere in 32 bits)
  const branch: Branch<V> = new Array(1 << BITS);
  branch[(node.hash >>> shift) & MASK] = node;
  return put(branch, hash, key, value, shift);
}

/**
 * Hashes of the names seen so far: a job asks for the same few variables (PIP_BREAK_SYSTEM_PACKAGES,
 * PATH, …) at every step, and a Map finds a string by the hash V8 keeps with it. Bounded, so a
 * script with endless distinct names cannot grow it without end.
 */
const hashes = new Map<string, number>();
const MAX_HASHES = 10_000;

function hashOf(key: string): number {
  let h = hashes.get(key);
  if (h === undefined) {
    h = fnv1a(key);
    if (hashes.size >= MAX_HASHES) hashes.clear();
    hashes.set(key, h);
  }
  return h;
}

/** FNV-1a over the UTF-16 code units. */
function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
