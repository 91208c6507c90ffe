/**
 * The fast YAML path (src/yaml/fast-parse.ts) against yaml's parser and composer: whenever the fast
 * path takes a file, its tree must be the one yaml's path builds — every key, value, type, range,
 * tag, merge, alias (shared node) and script offset map — and yaml must find no error in it. Run on
 * the corpus, the fixtures and generated files, then on thousands of mutations of them that aim at
 * the subset's edges (indentation, comments, indicators, quotes, anchors). FUZZ_SEED replays a seed;
 * FAST_PARSE_RUNS sets the number of mutations.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { generateFiles } from '../bench/generate.ts';
import { fastParse, scalarResolver } from '../src/yaml/fast-parse.ts';
import type { LNode } from '../src/yaml/located.ts';
import { PARSE_OPTIONS, parseWithYaml, parseYamlText } from '../src/yaml/parse.ts';
import { mapScalar } from '../src/yaml/scalar-offsets.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const SEED = Number(process.env.FUZZ_SEED ?? 668);
const RUNS = Number(process.env.FAST_PARSE_RUNS ?? 3000);
const RESOLVER = scalarResolver(PARSE_OPTIONS);

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

const corpus = yamlFiles(join(ROOT, '../shared/corpus')).map((p) => readFileSync(p, 'utf8'));
const fixtures = yamlFiles(join(ROOT, 'fixtures')).map((p) => readFileSync(p, 'utf8'));
const generated = generateFiles(300, SEED).map((f) => f.text);

/** The first difference between two located trees, or undefined. Shared nodes must be shared alike. */
function difference(
  a: LNode | null,
  b: LNode | null,
  where: string,
  pairs = new Map<LNode, LNode>(),
): string | undefined {
  if (a === null || b === null)
    return a === b ? undefined : `${where}: ${a?.kind ?? 'null'} vs ${b?.kind ?? 'null'}`;
  const paired = pairs.get(a);
  if (paired) return paired === b ? undefined : `${where}: shared differently`;
  pairs.set(a, b);
  if (a.kind !== b.kind) return `${where}: ${a.kind} vs ${b.kind}`;
  if (a.path !== b.path || a.range[0] !== b.range[0] || a.range[1] !== b.range[1])
    return `${where}: range ${a.range} vs ${b.range}`;
  if (a.tag !== b.tag) return `${where}: tag ${a.tag} vs ${b.tag}`;
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    if (!Object.is(a.value, b.value)) return `${where}: value ${String(a.value)} vs ${String(b.value)}`;
    if (a.node.source !== b.node.source) return `${where}: source ${a.node.source} vs ${b.node.source}`;
    const [ma, mb] = [mapScalar(a.node), mapScalar(b.node)];
    if (JSON.stringify(ma) !== JSON.stringify(mb)) return `${where}: offsets differ`;
    return undefined;
  }
  if (a.kind === 'seq' && b.kind === 'seq') {
    if (a.items.length !== b.items.length) return `${where}: ${a.items.length} vs ${b.items.length} items`;
    for (let i = 0; i < a.items.length; i++) {
      const d = difference(a.items[i]!, b.items[i]!, `${where}[${i}]`, pairs);
      if (d) return d;
    }
    return undefined;
  }
  if (a.kind === 'map' && b.kind === 'map') {
    const [ka, kb] = [[...a.entries.keys()], [...b.entries.keys()]];
    if (ka.join('\n') !== kb.join('\n')) return `${where}: keys ${ka} vs ${kb}`;
    for (const key of ka) {
      const [pa, pb] = [a.entries.get(key)!, b.entries.get(key)!];
      if (pa.keyRange.join() !== pb.keyRange.join() || pa.merged !== pb.merged)
        return `${where}.${key}: pair differs`;
      const d = difference(pa.value, pb.value, `${where}.${key}`, pairs);
      if (d) return d;
    }
  }
  return undefined;
}

/** Undefined when the fast path gives up or agrees with yaml; else what differs. */
function disagreement(text: string): string | undefined {
  const fast = fastParse('f.yml', text, RESOLVER);
  if (fast === undefined) return undefined;
  const slow = parseWithYaml('f.yml', text);
  if (slow.errors.length > 0) return `fast path took a file yaml rejects: ${slow.errors[0]!.message}`;
  if (slow.documents.length !== 1) return `fast path took ${slow.documents.length} documents as one`;
  return difference(fast, slow.documents[0]!.root, 'root');
}

const taken = (texts: string[]) => texts.filter((t) => fastParse('f.yml', t, RESOLVER) !== undefined).length;

describe('fast YAML path: the same tree as yaml, or none', () => {
  for (const [name, texts] of Object.entries({ corpus, fixtures, generated })) {
    test(`${name} (${texts.length} files): every file the fast path takes parses to yaml's tree`, () => {
      for (const text of texts) assert.equal(disagreement(text), undefined, text.slice(0, 300));
    });
  }

  test('it takes most real and generated files (else it would only cost time)', () => {
    assert.ok(taken(corpus) >= corpus.length * 0.95, `${taken(corpus)} of ${corpus.length} corpus files`);
    assert.ok(
      taken(generated) >= generated.length * 0.9,
      `${taken(generated)} of ${generated.length} generated`,
    );
  });

  // a CRLF file is read as its LF twin: yaml reads it so (crlf.ts); every range must land on the CRLF text
  const crlf = (text: string) => text.replaceAll('\n', '\r\n');
  for (const [name, texts] of Object.entries({ corpus, fixtures, generated })) {
    const lf = texts.filter((t) => !t.includes('\r'));
    test(`${name}, written with CRLF: yaml's tree, for every file the fast path takes as LF`, () => {
      for (const text of lf) assert.equal(disagreement(crlf(text)), undefined, text.slice(0, 300));
      assert.equal(taken(lf.map(crlf)), taken(lf));
    });
  }

  test('mixed line breaks and a lone \\r are left to yaml', () => {
    for (const text of [
      'a: 1\r\nb: 2\n',
      'a: 1\nb: 2\r\n',
      'a: 1\rb: 2\r',
      'a: |\r\n  x\r\r\n',
      'a: "x\ry"\r\n',
    ])
      assert.equal(fastParse('f.yml', text, RESOLVER), undefined, JSON.stringify(text));
    assert.notEqual(fastParse('f.yml', 'a: 1\r\nb: |\r\n  x\r\n', RESOLVER), undefined);
  });

  test('parseYamlText gives the fast tree when there is one, and yaml errors when there are', () => {
    const ok = parseYamlText('f.yml', 'a:\n  - b\n');
    assert.equal(ok.errors.length, 0);
    assert.equal(ok.documents[0]?.root?.kind, 'map');
    const bad = parseYamlText('f.yml', 'a: b: c\n');
    assert.ok(bad.errors.length > 0);
  });

  // what real CI files have, which the fast path must read (and read as yaml does)
  const realShapes = [
    's:\n  - curl -o x https://e\n    --form a=1\n    -F b\n  - c\n', // options on lines of their own
    'a:\n  s:\n    - x\n    # c\n\n    # d\n\n  r: 1\n', // comments that stay, then indented content
    'a:\n  s:\n    k: 1\n\n    # c\n  r: 1\n',
    'a: |\n  x\n  \n      \n \n  y\nb: >\n  f\n    \n  g\n', // lines of spaces inside: the scalar's
    'a: |-\n  x\n   \n  \n\n     \nb: >\n  x\n \nc: 1\n', // after the last: empty, or content if deeper
    'j:\n  b: # c\n      # d\n    # e\n  s: 1\nk:\n  - a:\n      # f\n    b: 1\n', // commented-out commands
  ];
  // the edges: each is either given up or read exactly as yaml reads it
  const edges = [
    ...realShapes,
    'a:\n  b: 1\n  # c\n', // a comment that stays in its map at the end of the text
    'a:\n  b: 1\n  # c\n\nd: 1\n',
    'a:\n  b: 1\n    # c\nd: 1\n', // more indented: yaml's to place
    'x:\n  y:\n    r:\n      a: 1\n      # keep\n  k: 1\n',
    'a:\n  b: # c\n\n  d: 3\n', // an empty value's comments, a blank line, indented content: yaml's
    'j:\n  b:\n  # c\n  s: 1\n', // a comment at the key's column: yaml's
    'j:\n  b:\n    # c\n  \n  s: 1\n',
    'a:\n  b:\n\nd: 3\n', // an empty last value
    'a:\n  b: # c\nd: 3\n',
    'a:\n  - \n  -\n',
    'k:\n- a\n- b\nl: 1\n', // a sequence at its key's indentation
    'a: true\nb: "true"\nc: 0x1F\nd: 1.0\ne: ~\nf: .inf\n1: x\nnull: y\n',
    '.d: &d\n  a: 1\nj:\n  <<: *d\n  b: 2\nk:\n  <<: [*d, {c: 3}]\n  a: 0\n',
    'a: &x [1, 2]\nb: *x\nc: !reference [.x, script]\n',
    'a: |\n  x\n\n  y\n\nb: >-\n  f\n  g\n',
    'a: |+\n  x\n\n', // keep chomping: yaml's
    'a: |\n  \n  x\n', // before the first line: yaml's
    'a: \'it\'\'s\'\nb: "t\\tab"\nc: "#" # c\n',
    'a: b: c\n', // an error: yaml's
    'a: [x: 1]\n',
    'a: [host:5000/img, "q", *n]\n',
    '---\na: 1\n',
    '- - a\n  - b\n- c: 1\n  d: 2\n',
    's:\n  - curl x\n    - y\n    -\n', // a dash and a space, or a lone dash: yaml's
  ];
  for (const text of edges) {
    test(`edge: ${JSON.stringify(text)}`, () => assert.equal(disagreement(text), undefined));
  }
  test('it reads what real CI files have: option lines, comments before an indented key, lines of spaces in a script, commented-out commands', () => {
    assert.equal(taken(realShapes), realShapes.length);
  });

  const seeds = [...corpus, ...fixtures, ...generated.slice(0, 100)];
  const snippets = [
    ': ',
    ':',
    ' #',
    '#',
    '"',
    "'",
    '- ',
    '-',
    '[',
    ']',
    '{',
    '}',
    ', ',
    '&a ',
    '*a',
    '*b',
    '!',
    '!!str ',
    '|',
    '>-',
    '|2',
    '? ',
    '\\',
    '<<: *a',
    '---',
    '...',
    '%',
    '@',
    '`',
    'true',
    '0x1F',
    '.inf',
    '~',
    'null',
    "'it''s'",
    '"\\u00e9"',
    '  ',
    '\n',
    '\n  ',
    '\n    # c\n',
    '\n#c\n',
    'a: &b\n',
    '<<: ',
    '\t',
    '\r\n',
  ];
  /** One edit of a seed: lines moved, re-indented, commented, blank, or a tricky snippet typed in. */
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -3, max: 3 }) }),
    fc.record({ kind: fc.constant('delete' as const), line: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat() }),
    fc.record({ kind: fc.constant('comment' as const), line: fc.nat(), indent: fc.nat({ max: 10 }) }),
    // a blank line, or one of spaces only (an editor's leftover)
    fc.record({ kind: fc.constant('blank' as const), line: fc.nat(), spaces: fc.nat({ max: 6 }) }),
    fc.record({ kind: fc.constant('type' as const), at: fc.nat(), snippet: fc.constantFrom(...snippets) }),
  );
  type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;
  function apply(text: string, e: Edit): string {
    if (e.kind === 'type') {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.snippet + text.slice(at);
    }
    const lines = text.split('\n');
    const i = e.line % lines.length;
    const line = lines[i]!;
    if (e.kind === 'indent')
      lines[i] = e.by > 0 ? ' '.repeat(e.by) + line : line.replace(new RegExp(`^ {0,${-e.by}}`), '');
    else if (e.kind === 'delete') lines.splice(i, 1);
    else if (e.kind === 'duplicate') lines.splice(i, 0, line);
    else if (e.kind === 'comment') lines.splice(i, 0, `${' '.repeat(e.indent)}# note`);
    else lines.splice(i, 0, ' '.repeat(e.spaces));
    return lines.join('\n');
  }

  test(`${RUNS} mutations of real and generated files: the same tree as yaml, or none`, () => {
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        // one in four written with CRLF line breaks at the end (a typed '\r\n' snippet makes them mixed)
        fc.nat({ max: 3 }),
        (seed, edits, ending) => {
          const edited = edits.reduce(apply, seeds[seed]!);
          const text = ending === 0 ? crlf(edited) : edited;
          const d = disagreement(text);
          if (d) throw new Error(`${d}\n--- text:\n${text}`);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
