/**
 * A small, location-keeping view of a YAML document: maps, sequences and scalars that remember
 * where they live in the file. Aliases resolve to the *same* node object as their anchor (never a
 * copy), so an alias bomb costs no memory here; consumers that walk the tree must bound their work.
 * Merge keys (`<<`) are applied while building maps, as GitLab's YAML loader does.
 */
import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  type Node,
  Scalar,
} from 'yaml';
import type { MappedText } from './scalar-offsets.ts';

export type LNode = LMap | LSeq | LScalar;

interface LBase {
  /** File the node's text lives in. */
  path: string;
  /** [start, end) offsets of the node's own text. */
  range: [number, number];
  tag?: string;
}

export interface LScalar extends LBase {
  kind: 'scalar';
  /** The parsed value (string, number, boolean or null). */
  value: unknown;
  /** What the scalar was parsed from, kept so script text can be mapped back to file offsets. */
  node: ScalarSource;
  /**
   * That mapping, once made (dialects/script-line.ts): a template's script is the same node in every
   * job that uses it, and is mapped once.
   */
  mapped: MappedText | undefined;
}

/**
 * The parts of a parsed scalar that mapping its text back to the file needs: yaml's Scalar node
 * (parsed with `keepSourceTokens`), or the same fields from the fast path (fast-parse.ts).
 */
export interface ScalarSource {
  value: unknown;
  /** The scalar's string before any type was given to it (`3.10` for the number 3.1). */
  source?: string;
  range?: [number, number, number] | null;
  srcToken?: unknown;
}

export interface LPair {
  key: string;
  keyRange: [number, number];
  /** Null for an empty value (`key:`). */
  value: LNode | null;
  /** True when the pair came in through a merge key (`<<: *x`) rather than being written here. */
  merged: boolean;
}

export interface LMap extends LBase {
  kind: 'map';
  entries: Map<string, LPair>;
}

export interface LSeq extends LBase {
  kind: 'seq';
  items: (LNode | null)[];
}

/** The string a scalar stands for, as GitLab and GitHub read it (numbers keep their source spelling). */
export function scalarText(node: LNode | null | undefined): string | undefined {
  if (node?.kind !== 'scalar') return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  const src = node.node.source;
  return typeof src === 'string' && src !== '' ? src : String(v);
}

export function get(node: LNode | null | undefined, key: string): LNode | null | undefined {
  if (node?.kind !== 'map') return undefined;
  return node.entries.get(key)?.value;
}

/** What the aliases of a document point at. */
export interface AliasTargets {
  /** Every alias's target: the last node with that anchor before the alias, in document order. */
  targets: Map<Alias, Node>;
  /** Aliases that name no anchor defined before them (yaml only notices these when converting to JS). */
  unknown: Alias[];
}

/**
 * One walk for the whole document (the rule of `Alias#resolve`, which walks the document on every
 * call: that made a file with a few thousand `<<: *defaults` take tens of seconds). A plain
 * recursive walk rather than yaml's `visit`, which costs several times more per node; the depth is
 * bounded by parse.ts's MAX_NESTING.
 */
export function aliasTargets(doc: Document): AliasTargets {
  const targets = new Map<Alias, Node>();
  const unknown: Alias[] = [];
  const anchors = new Map<string, Node>();
  const walk = (node: unknown): void => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
      else unknown.push(node);
      return;
    }
    if (isPair(node)) {
      walk(node.key);
      walk(node.value);
      return;
    }
    if (!isNode(node)) return;
    if (node.anchor) anchors.set(node.anchor, node);
    if (isMap(node) || isSeq(node)) for (const item of node.items) walk(item);
  };
  walk(doc.contents);
  return { targets, unknown };
}

/** `<<` is a merge key only when written plain (or tagged `!!merge`); `'<<'` is an ordinary key. */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key) || key.value !== '<<') return false;
  if (key.tag) return key.tag === 'tag:yaml.org,2002:merge';
  return key.type === Scalar.PLAIN || key.type === undefined;
}

/** A node with nothing written (`key:`, `- `): the parser makes a null scalar of no width. */
function isEmptyNode(node: Scalar): boolean {
  return node.value === null && node.range != null && node.range[0] === node.range[1];
}

/** YAML merge (`<<`): explicit keys win; among merged maps, the first one listed wins. */
export function applyMerges(out: LMap, merges: readonly LNode[]): void {
  for (const source of merges) {
    if (source.kind !== 'map' || source === out) continue;
    for (const [k, p] of source.entries) {
      if (!out.entries.has(k)) out.entries.set(k, { ...p, merged: true });
    }
  }
}

export function buildLocated(doc: Document, path: string, { targets }: AliasTargets): LNode | null {
  const memo = new Map<Node, LNode>();

  const convert = (raw: unknown): LNode | null => {
    if (raw === null || raw === undefined) return null;
    if (isAlias(raw)) {
      const target = targets.get(raw);
      return target ? convert(target) : null;
    }
    const node = raw as Node;
    // only an anchored node can be reached twice (through an alias, maybe from inside itself)
    const shared = Boolean(node.anchor);
    const seen = shared ? memo.get(node) : undefined;
    if (seen) return seen;
    const range: [number, number] = node.range ? [node.range[0], node.range[1]] : [0, 0];
    const tag = node.tag;
    if (isScalar(node)) {
      if (isEmptyNode(node)) return null;
      const out: LScalar = { kind: 'scalar', path, range, value: node.value, node, mapped: undefined };
      if (tag) out.tag = tag;
      if (shared) memo.set(node, out);
      return out;
    }
    if (isSeq(node)) {
      const out: LSeq = { kind: 'seq', path, range, items: [] };
      if (tag) out.tag = tag;
      if (shared) memo.set(node, out); // before children: a cycle then points back here instead of recursing forever
      for (const item of node.items) out.items.push(convert(item));
      return out;
    }
    if (isMap(node)) {
      const out: LMap = { kind: 'map', path, range, entries: new Map() };
      if (tag) out.tag = tag;
      if (shared) memo.set(node, out);
      const merges: LNode[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        if (isMergeKey(keyNode)) {
          const v = convert(pair.value);
          if (v?.kind === 'seq') merges.push(...v.items.filter((x): x is LNode => x !== null));
          else if (v) merges.push(v);
          continue;
        }
        const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
        if (key === undefined) continue;
        const keyRange: [number, number] =
          isScalar(keyNode) && keyNode.range ? [keyNode.range[0], keyNode.range[1]] : range;
        // Duplicate keys: the last one wins, as in GitLab's loader.
        out.entries.set(key, { key, keyRange, value: convert(pair.value), merged: false });
      }
      applyMerges(out, merges);
      return out;
    }
    return null;
  };

  return convert(doc.contents);
}
