/**
 * merge.ts and include.ts: nested includes are merged as a left fold (MergedMap), which must give
 * exactly what merging each level's result again gives (`deepMergeAll([...included, own])` per file,
 * the definition GitLab's include order follows). Random include trees, with the cases where the two
 * could part: a value that is not a map in a middle file, tagged maps, lists, and maps that contain
 * themselves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type IncludeHost, resolveIncludes } from '../src/dialects/gitlab/include.ts';
import { deepMergeAll, MergedMap } from '../src/dialects/gitlab/merge.ts';
import type { Diagnostic } from '../src/model/finding.ts';
import type { LMap, LNode } from '../src/yaml/located.ts';
import { type ParsedFile, parseYamlText } from '../src/yaml/parse.ts';

/** mulberry32: the same trees on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value for a key: mostly maps (which merge), sometimes what cuts a merge chain. */
function value(rnd: () => number, depth: number, tag: string): string {
  const r = rnd();
  if (depth > 2 || r < 0.2) return `v${tag}`;
  if (r < 0.3) return `[a${tag}, b${tag}]`;
  if (r < 0.35) return `!reference [.x, ${tag}]`;
  if (r < 0.4) return `!custom {t: ${tag}}`;
  if (r < 0.44) return `&self${tag} {loop: *self${tag}, v: ${tag}}`;
  const keys = 1 + Math.floor(rnd() * 3);
  const parts: string[] = [];
  for (let i = 0; i < keys; i++)
    parts.push(`k${Math.floor(rnd() * 3)}: ${value(rnd, depth + 1, `${tag}.${i}`)}`);
  return `{${parts.join(', ')}}`;
}

interface Tree {
  path: string;
  children: Tree[];
}

/** Files of a random include tree: each includes its children, then has keys of its own. */
function project(seed: number): { files: Map<string, ParsedFile>; tree: Tree } {
  const rnd = random(seed);
  const files = new Map<string, ParsedFile>();
  let count = 0;
  const make = (depth: number): Tree => {
    const path = `f${count++}.yml`;
    const children: Tree[] = [];
    const wanted = depth < 6 ? Math.floor(rnd() * (depth === 0 ? 4 : 3)) : 0;
    for (let i = 0; i < wanted && count < 25; i++) children.push(make(depth + 1));
    const lines: string[] = [];
    if (children.length > 0)
      lines.push(`include:\n${children.map((c) => `  - local: ${c.path}`).join('\n')}`);
    const keys = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < keys; i++) lines.push(`j${Math.floor(rnd() * 5)}: ${value(rnd, 0, `${path}.${i}`)}`);
    // a file whose top-level map contains itself
    const self = rnd() < 0.15;
    if (self) lines.push(`j${Math.floor(rnd() * 5)}: *top`);
    const parsed = parseYamlText(path, `${self ? '--- &top\n' : ''}${lines.join('\n')}\n`);
    assert.deepEqual(parsed.errors, [], `generated YAML for ${path} is valid`);
    files.set(path, parsed);
    return { path, children };
  };
  return { files, tree: make(0) };
}

const rootOf = (file: ParsedFile) => file.documents[0]!.root as LMap;

/** The definition: each file's result is its includes' results merged, then the file over them. */
function nested(tree: Tree, files: Map<string, ParsedFile>): LMap {
  const own = rootOf(files.get(tree.path)!);
  if (tree.children.length === 0) return own;
  const entries = new Map(own.entries);
  entries.delete('include');
  return deepMergeAll([...tree.children.map((c) => nested(c, files)), { ...own, entries }]);
}

/** A comparable picture of a merged tree (a map met again inside itself is written as a cycle). */
function picture(node: LNode | null | undefined, open = new Set<LNode>()): unknown {
  if (!node) return null;
  if (node.kind === 'scalar') return { v: node.value, tag: node.tag, at: node.range[0], in: node.path };
  if (open.has(node)) return '<cycle>';
  open.add(node);
  const out =
    node.kind === 'seq'
      ? { seq: node.items.map((i) => picture(i, open)), tag: node.tag }
      : {
          map: [...node.entries].map(([k, p]) => [k, p.merged, p.keyRange[0], picture(p.value, open)]),
          tag: node.tag,
        };
  open.delete(node);
  return out;
}

describe('nested includes merge as a fold', () => {
  it('gives what merging every level again gives, on 300 random include trees', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { files, tree } = project(seed);
      const host: IncludeHost = {
        projectRoot: '.',
        load: (path) => files.get(path) ?? { error: 'no such file' },
        listFiles: () => [...files.keys()],
      };
      const diagnostics: Diagnostic[] = [];
      const got = resolveIncludes(tree.path, rootOf(files.get(tree.path)!), host, diagnostics);
      assert.deepEqual(diagnostics, [], `seed ${seed}`);
      assert.deepEqual(picture(got.root), picture(nested(tree, files)), `seed ${seed}`);
    }
  });

  it('a value that is not a map in a middle file cuts the maps below it, and only those', () => {
    const [a, b, c] = ['j: {x: 1}', 'j: text', 'j: {y: 2}'].map((t) => rootOf(parseYamlText('f.yml', t)));
    const folded = new MergedMap(a!).over(b!).over(c!).map;
    assert.deepEqual(picture(folded), picture(deepMergeAll([a!, b!, c!])));
    assert.deepEqual([...(folded.entries.get('j')!.value as LMap).entries.keys()], ['y']);
    // the other grouping keeps x: a nested include's result is merged as one map
    const grouped = deepMergeAll([a!, deepMergeAll([b!, c!])]);
    assert.deepEqual([...(grouped.entries.get('j')!.value as LMap).entries.keys()], ['x', 'y']);
  });

  it('never changes the maps it merges', () => {
    const [a, b] = ['j: {x: 1}\nk: 1', 'j: {y: 2}'].map((t) => rootOf(parseYamlText('f.yml', t)));
    const before = [picture(a), picture(b)];
    new MergedMap(a!).over(b!);
    assert.deepEqual([picture(a), picture(b)], before);
  });
});
