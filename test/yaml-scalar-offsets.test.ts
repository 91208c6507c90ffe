/**
 * mapScalar: every value character of every scalar style maps back to the source character that
 * produced it. The parser's own value is the reference; offsets are checked against the source text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  Document,
  isScalar,
  Pair,
  parse,
  parseAllDocuments,
  parseDocument,
  Scalar,
  type ToStringOptions,
  visit,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { type MappedText, mapScalar } from '../src/yaml/scalar-offsets.ts';

// ---------------------------------------------------------------------------------------------
// The checker

function parseKeep(src: string) {
  return parseDocument(src, { keepSourceTokens: true });
}

function allScalars(doc: Document.Parsed): Scalar[] {
  const out: Scalar[] = [];
  visit(doc, {
    Scalar(_k, n) {
      out.push(n);
    },
  });
  return out;
}

/** The string the parser gives for a scalar (its value, or its source spelling for non-strings). */
function parserText(node: Scalar): string {
  if (typeof node.value === 'string') return node.value;
  return typeof node.source === 'string' ? node.source : String(node.value ?? '');
}

const isLineBreakAt = (src: string, at: number) =>
  src[at] === '\n' || (src[at] === '\r' && src[at + 1] === '\n');

/** Decodes the escape sequence starting at `src[at]` with the yaml parser itself, independently. */
function decodeEscape(src: string, at: number): string {
  const len = { x: 4, u: 6, U: 10 }[src[at + 1] as 'x' | 'u' | 'U'] ?? 2;
  return parse(`"${src.slice(at, at + len)}"`) as string;
}

type Origin = 'direct' | 'break' | 'escape';

/**
 * Checks a mapping against the source: exact, same text as the parser, one offset per UTF-16 unit
 * plus the end, offsets non-decreasing and inside the node, every character either copied from its
 * offset, produced by a line break it points at, or (double quotes) produced by the escape it points
 * at; and no two characters claim the same source character unless one escape produced both.
 */
function checkMapping(src: string, node: Scalar, m: MappedText = mapScalar(node)): Origin[] {
  const where = `${JSON.stringify(src)} (scalar at ${node.range?.[0]}, ${m.style})`;
  assert.equal(m.exact, true, `not exact: ${where}`);
  assert.equal(m.text, parserText(node), `text differs from the parser: ${where}`);
  assert.equal(m.offsets.length, m.text.length + 1, `one offset per unit plus the end: ${where}`);
  const [lo, hi] = node.range!;
  const origins: Origin[] = [];
  const escapes = new Map<number, string>();
  for (let i = 0; i <= m.text.length; i++) {
    const at = m.offsets[i]!;
    assert.ok(at >= lo && at <= hi, `offset ${at} of unit ${i} outside [${lo}, ${hi}]: ${where}`);
    if (i > 0) assert.ok(at >= m.offsets[i - 1]!, `offsets decrease at ${i}: ${where}`);
    if (i === m.text.length) break;
    const t = m.text[i]!;
    if (src[at] === t) origins.push('direct');
    else if (isLineBreakAt(src, at) && (t === ' ' || t === '\n')) origins.push('break');
    else if (t === '\n' && (m.style === 'literal' || m.style === 'folded') && (at === hi || src[at] === '\r'))
      origins.push('break'); // the final line break the parser adds where the file ends without one
    else if (m.style === 'double' && src[at] === '\\') {
      origins.push('escape');
      escapes.set(at, (escapes.get(at) ?? '') + t);
    } else assert.fail(`unit ${i} ${JSON.stringify(t)} maps to ${at} ${JSON.stringify(src[at])}: ${where}`);
  }
  for (const [at, produced] of escapes) {
    assert.equal(produced, decodeEscape(src, at), `escape at ${at} produced the wrong text: ${where}`);
  }
  for (let i = 0; i + 1 < m.text.length; i++) {
    const same = m.offsets[i] === m.offsets[i + 1];
    if (same && !(origins[i] === 'escape' && origins[i + 1] === 'escape')) {
      assert.fail(`units ${i} and ${i + 1} both claim offset ${m.offsets[i]}: ${where}`);
    }
  }
  return origins;
}

/** Parses `src`, checks every scalar in it, and returns the mapping of the one at `path`. */
function check(src: string, path: (string | number)[] = ['k']): { node: Scalar; m: MappedText } {
  const doc = parseKeep(src);
  assert.deepEqual(
    doc.errors.map((e) => e.message),
    [],
    `fixture must be valid YAML: ${JSON.stringify(src)}`,
  );
  for (const s of allScalars(doc)) checkMapping(src, s);
  const node = doc.getIn(path, true);
  assert.ok(isScalar(node), `no scalar at ${path.join('.')} in ${JSON.stringify(src)}`);
  return { node, m: mapScalar(node) };
}

// ---------------------------------------------------------------------------------------------
// Table: every style, with the value the parser gives (documents the behaviour we reproduce)

interface Case {
  name: string;
  src: string;
  want: string;
  path?: (string | number)[];
  style?: MappedText['style'];
}

const CASES: Case[] = [
  // plain
  { name: 'plain one line', src: 'k: hello world\n', want: 'hello world', style: 'plain' },
  { name: 'plain with # and : inside', src: 'k: a#b c:d # comment\n', want: 'a#b c:d' },
  { name: 'plain with a tab inside', src: 'k: a\tb\n', want: 'a\tb' },
  { name: 'plain folded', src: 'k: a\n  b\n', want: 'a b' },
  { name: 'plain folded, trailing spaces dropped', src: 'k: a  \n  b   c\n', want: 'a b   c' },
  { name: 'plain blank line', src: 'k: a\n\n  b\n', want: 'a\nb' },
  { name: 'plain two blank lines', src: 'k: a\n\n\n  b\n', want: 'a\n\nb' },
  { name: 'plain white-space-only line', src: 'k: a\n  \t\n  b\n', want: 'a\nb' },
  { name: 'plain lone CR is content', src: 'k: a\rb\n', want: 'a\rb' },
  { name: 'plain CRLF fold', src: 'k: a\r\n  b\r\n\r\n  c\r\n', want: 'a b\nc' },
  { name: 'plain in a sequence', src: '- a b\n  c\n', want: 'a b c', path: [0] },
  { name: 'plain deep', src: 'a:\n  b:\n    - c: x\n        y\n', want: 'x y', path: ['a', 'b', 0, 'c'] },
  { name: 'plain in flow sequence', src: 'k: [a b, c\n  d]\n', want: 'c d', path: ['k', 1] },
  { name: 'plain astral', src: 'k: x😀y\n', want: 'x😀y' },
  { name: 'plain number keeps spelling', src: 'k: 3.10\n', want: '3.10' },
  { name: 'plain without final newline', src: 'k: a\n  b', want: 'a b' },
  // single-quoted
  { name: "single '' escape", src: "k: 'it''s'\n", want: "it's", style: 'single' },
  { name: 'single only a quote', src: "k: ''''\n", want: "'" },
  { name: 'single empty', src: "k: ''\n", want: '' },
  { name: 'single spaces kept', src: "k: '  a  '\n", want: '  a  ' },
  { name: 'single folded', src: "k: 'a\n  b'\n", want: 'a b' },
  { name: 'single blank line', src: "k: 'a\n\n  b'\n", want: 'a\nb' },
  { name: 'single trailing spaces', src: "k: 'a  \n  b  '\n", want: 'a b  ' },
  { name: 'single backslash is literal', src: "k: 'a\\nb'\n", want: 'a\\nb' },
  { name: 'single last line blank', src: "k: 'a\n  '\n", want: 'a ' },
  { name: 'single CRLF', src: "k: 'a\r\n\r\n b''c'\r\n", want: "a\nb'c" },
  { name: 'single lone CR', src: "k: 'a\rb'\n", want: 'a\rb' },
  // double-quoted
  { name: 'double \\t', src: 'k: "a\\tb"\n', want: 'a\tb', style: 'double' },
  { name: 'double \\n', src: 'k: "a\\nb"\n', want: 'a\nb' },
  { name: 'double \\\\', src: 'k: "a\\\\b"\n', want: 'a\\b' },
  { name: 'double \\"', src: 'k: "a\\"b"\n', want: 'a"b' },
  { name: 'double \\/', src: 'k: "a\\/b"\n', want: 'a/b' },
  { name: 'double \\xXX', src: 'k: "\\x41\\x7e"\n', want: 'A~' },
  { name: 'double \\uXXXX', src: 'k: "caf\\u00e9 \\u20AC"\n', want: 'café €' },
  { name: 'double \\UXXXXXXXX astral', src: 'k: "a\\U0001F600b"\n', want: 'a😀b' },
  { name: 'double surrogate pair as two \\u', src: 'k: "\\ud83d\\ude00"\n', want: '😀' },
  {
    name: 'double the other escapes',
    src: 'k: "\\0\\a\\b\\e\\f\\r\\v\\N\\_\\L\\P\\ \\\t|"\n',
    want: '\0\x07\b\x1b\f\r\v\u0085\u00a0\u2028\u2029 \t|',
  },
  { name: 'double literal astral', src: 'k: "x😀y"\n', want: 'x😀y' },
  { name: 'double folded', src: 'k: "a\n  b"\n', want: 'a b' },
  { name: 'double blank lines', src: 'k: "a\n\n\n  b"\n', want: 'a\n\nb' },
  { name: 'double spaces before a break dropped', src: 'k: "a  \n  b"\n', want: 'a b' },
  { name: 'double escaped tab before a break kept', src: 'k: "a\\t \n b"\n', want: 'a\t b' },
  { name: 'double trailing spaces before quote', src: 'k: "a\n  b  "\n', want: 'a b  ' },
  { name: 'double escaped line break', src: 'k: "a\\\n   b"\n', want: 'ab' },
  { name: 'double spaces before escaped break kept', src: 'k: "a  \\\n  b"\n', want: 'a  b' },
  // yaml 2 folds the empty line after an escaped break like a plain break (YAML 1.2 would give "a\nb")
  { name: 'double escaped break then blank line', src: 'k: "a\\\n\n  b"\n', want: 'a b' },
  { name: 'double escaped break then two blank lines', src: 'k: "a\\\n  \n\n  b"\n', want: 'a\nb' },
  { name: 'double escaped CRLF', src: 'k: "a\\\r\n  b"\r\n', want: 'ab' },
  { name: 'double CRLF fold', src: 'k: "a\r\n  b\r\n\r\n  c"\r\n', want: 'a b\nc' },
  { name: 'double lone CR', src: 'k: "a\rb"\n', want: 'a\rb' },
  { name: 'double in flow map', src: 'k: {x: "a\\tb"}\n', want: 'a\tb', path: ['k', 'x'] },
  { name: 'double with anchor and tag', src: 'k: &a !!str "a\\nb"\n', want: 'a\nb' },
  // literal
  { name: 'literal', src: 'k: |\n  a\n  b\n', want: 'a\nb\n', style: 'literal' },
  { name: 'literal strip', src: 'k: |-\n  a\n  b\n', want: 'a\nb' },
  { name: 'literal keep', src: 'k: |+\n  a\n\n\nz: 1\n', want: 'a\n\n\n' },
  { name: 'literal clip drops trailing blank lines', src: 'k: |\n  a\n\n\nz: 1\n', want: 'a\n' },
  { name: 'literal blank line inside', src: 'k: |\n  a\n\n  b\n', want: 'a\n\nb\n' },
  { name: 'literal leading blank lines', src: 'k: |\n\n\n  a\n', want: '\n\na\n' },
  { name: 'literal more-indented', src: 'k: |\n  a\n    b\n  c\n', want: 'a\n  b\nc\n' },
  { name: 'literal tabs', src: 'k: |\n  a\tb\n  \tc\n', want: 'a\tb\n\tc\n' },
  { name: 'literal header comment', src: 'k: | # note\n  a\n', want: 'a\n' },
  { name: 'literal with anchor and tag', src: 'k: &x !!str |\n  a\n', want: 'a\n' },
  { name: 'literal lone CR is content', src: 'k: |\n  a\rb\n', want: 'a\rb\n' },
  { name: 'literal trailing more-indented blank', src: 'k: |\n  a\n     \n', want: 'a\n   \n' },
  { name: 'literal first line starts with a tab', src: 'k: |\n  \ta\n  b\n', want: '\ta\nb\n' },
  { name: 'literal # is content', src: 'k: |\n  a # not a comment\n', want: 'a # not a comment\n' },
  { name: 'literal |2 top level', src: 'k: |2\n   a\n  b\n', want: ' a\nb\n' },
  { name: 'literal |2 leading spaced line', src: 'k: |2\n   \n  b\n', want: ' \nb\n' },
  { name: 'literal |2- ', src: 'k: |2-\n    a\n  b\n', want: '  a\nb' },
  { name: 'literal |-2 (order)', src: 'k: |-2\n    a\n  b\n', want: '  a\nb' },
  { name: 'literal |+2', src: 'k: |+2\n   a\n\nz: 1\n', want: ' a\n\n' },
  { name: 'literal |1 in a sequence', src: '- |1\n   a\n  b\n', want: '  a\n b\n', path: [0] },
  {
    name: 'literal |2 in a nested map',
    src: 'a:\n  b: |2\n     x\n    y\n',
    want: ' x\ny\n',
    path: ['a', 'b'],
  },
  {
    name: 'literal |1 in a sequence in a map',
    src: 'a:\n  - |1\n     x\n    y\n',
    want: '  x\n y\n',
    path: ['a', 0],
  },
  { name: 'literal in seq of seq', src: '- - |\n    a\n    b\n', want: 'a\nb\n', path: [0, 0] },
  { name: 'literal no final newline, clip', src: 'k: |\n  a\n  b', want: 'a\nb\n' },
  { name: 'literal no final newline, keep', src: 'k: |+\n  a', want: 'a\n' },
  { name: 'literal no final newline, strip', src: 'k: |-\n  a', want: 'a' },
  { name: 'literal keep, only blank lines', src: 'k: |+\n\n\nz: 1\n', want: '\n\n' },
  { name: 'literal keep, only spaces at end of file', src: 'k: |+\n  ', want: '\n' },
  { name: 'literal empty', src: 'k: |\nz: 1\n', want: '' },
  { name: 'literal CRLF', src: 'k: |\r\n  a\r\n\r\n  b\r\n', want: 'a\n\nb\n' },
  { name: 'literal CRLF keep', src: 'k: |+\r\n  a\r\n\r\n', want: 'a\n\n' },
  { name: 'literal CR at end of file', src: 'k: |\n  a\r', want: 'a\n' },
  { name: 'literal then a comment line', src: 'k: |\n  a\n# c\nz: 1\n', want: 'a\n' },
  { name: 'literal keep then blank and comment lines', src: 'k: |+\n  a\n\n# c\n\nz: 1\n', want: 'a\n\n' },
  { name: 'literal keep before a document end', src: 'k: |+\n  a\n\n...\n', want: 'a\n\n' },
  { name: 'folded before a document end marker', src: 'k: >-\n  a\n  b\n...\n', want: 'a b' },
  { name: 'literal at top level', src: '--- |\n  a\n   b\n', want: 'a\n b\n', path: [] },
  { name: 'plain at top level, multi-line', src: 'a\n b\n\n c\n', want: 'a b\nc', path: [] },
  // folded
  { name: 'folded', src: 'k: >\n  a\n  b\n', want: 'a b\n', style: 'folded' },
  { name: 'folded strip', src: 'k: >-\n  a\n  b\n', want: 'a b' },
  { name: 'folded keep', src: 'k: >+\n  a\n  b\n\nz: 1\n', want: 'a b\n\n' },
  { name: 'folded blank line', src: 'k: >\n  a\n\n  b\n', want: 'a\nb\n' },
  { name: 'folded two blank lines', src: 'k: >\n  a\n\n\n  b\n', want: 'a\n\nb\n' },
  { name: 'folded more-indented', src: 'k: >\n  a\n    b\n  c\n', want: 'a\n  b\nc\n' },
  { name: 'folded more-indented with blanks', src: 'k: >\n  a\n\n    b\n\n  c\n', want: 'a\n\n  b\n\nc\n' },
  { name: 'folded two more-indented', src: 'k: >\n  a\n    b\n    c\n  d\n', want: 'a\n  b\n  c\nd\n' },
  { name: 'folded tab-started line', src: 'k: >\n  a\n  \tb\n  c\n', want: 'a\n\tb\nc\n' },
  { name: 'folded leading blank line', src: 'k: >\n\n  a\n  b\n', want: '\na b\n' },
  {
    name: 'folded >1- (all lines more-indented)',
    src: '- >1-\n   a\n  b\n  c\n',
    want: '  a\n b\n c',
    path: [0],
  },
  { name: 'folded >1- in a sequence', src: '- >1-\n  a\n b\n c\n', want: ' a\nb c', path: [0] },
  {
    name: 'folded >2 nested',
    src: 'a:\n  b: >2\n     x\n    y\n    z\n',
    want: ' x\ny z\n',
    path: ['a', 'b'],
  },
  { name: 'folded first line more-indented', src: 'k: >2\n    a\n  b\n', want: '  a\nb\n' },
  { name: 'folded CRLF', src: 'k: >\r\n  a\r\n  b\r\n\r\n  c\r\n', want: 'a b\nc\n' },
  { name: 'folded no final newline', src: 'k: >\n  a\n  b', want: 'a b\n' },
  { name: 'folded keep, only blank lines', src: 'k: >+\n\n', want: '\n' },
  // BOM
  { name: 'BOM then plain', src: '\ufeffk: a\n  b\n', want: 'a b' },
  { name: 'BOM then double', src: '\ufeffk: "a\\tb"\n', want: 'a\tb' },
  { name: 'BOM then literal', src: '\ufeffk: |\n  a\n', want: 'a\n' },
  { name: 'BOM then sequence in a map', src: '\ufeffk:\n  - |-\n    a\n', want: 'a', path: ['k', 0] },
];

describe('mapScalar: every style, table', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { node, m } = check(c.src, c.path);
      assert.equal(parserText(node), c.want, 'parser value (fixture expectation)');
      assert.equal(m.text, c.want);
      if (c.style) assert.equal(m.style, c.style);
    });
  }
});

/** Offset of the n-th (0-based) occurrence of `needle` in `src`. */
function nth(src: string, needle: string, n = 0): number {
  let at = -1;
  for (let k = 0; k <= n; k++) {
    at = src.indexOf(needle, at + 1);
    assert.ok(at !== -1, `no occurrence ${n} of ${JSON.stringify(needle)}`);
  }
  return at;
}

describe('mapScalar: exact offsets', () => {
  it('plain fold points at the line break, blank line at its own break', () => {
    const src = 'k: a\n  b\n\n  c\n';
    const { m } = check(src);
    assert.equal(m.text, 'a b\nc');
    assert.deepEqual(m.offsets, [3, 4, 7, 9, 12, 13]);
  });
  it("single '' points at the first quote", () => {
    const src = "k: 'it''s'\n";
    const { m } = check(src);
    assert.deepEqual(m.offsets, [4, 5, 6, 8, 9]);
  });
  it('double escapes point at their backslash; astral escape fills two units', () => {
    const src = 'k: "a\\tb\\U0001F600c"\n';
    const { m } = check(src);
    assert.equal(m.text, 'a\tb😀c');
    const tab = nth(src, '\\t');
    const big = nth(src, '\\U');
    assert.deepEqual(m.offsets, [4, tab, tab + 2, big, big, big + 10, big + 11]);
  });
  it('double trailing spaces are content, spaces before a break are not', () => {
    const src = 'k: "a  \n  b  "\n';
    const { m } = check(src);
    assert.equal(m.text, 'a b  ');
    assert.deepEqual(m.offsets, [4, 7, 10, 11, 12, 13]);
  });
  it('literal with CRLF: breaks point at the \\r', () => {
    const src = 'k: |\r\n  a\r\n\r\n  b\r\n';
    const { m } = check(src);
    assert.equal(m.text, 'a\n\nb\n');
    assert.deepEqual(m.offsets, [8, 9, 11, 15, 16, 16]);
  });
  it('folded: folds point at breaks, more-indented lines keep theirs', () => {
    const src = 'k: >\n  a\n    b\n  c\n  d\n';
    const { m } = check(src);
    assert.equal(m.text, 'a\n  b\nc d\n');
    const a = nth(src, 'a');
    const b = nth(src, 'b');
    const c = nth(src, 'c');
    const d = nth(src, 'd');
    assert.deepEqual(m.offsets, [a, a + 1, b - 2, b - 1, b, b + 1, c, c + 1, d, d + 1, d + 1]);
  });
  it('explicit indentation indicator in a sequence keeps the extra spaces', () => {
    // the sequence sits at indentation 2, so `|1` means 3 spaces of indentation
    const src = 'x:\n  - |1\n     a\n    b\n';
    const { m } = check(src, ['x', 0]);
    assert.equal(m.text, '  a\n b\n');
    const a = nth(src, 'a');
    assert.deepEqual(m.offsets, [a - 2, a - 1, a, a + 1, a + 5, a + 6, a + 7, a + 7]);
  });
  it('BOM shifts every offset by one', () => {
    const plain = check('k: |\n  ab\n').m.offsets;
    const bom = check('\ufeffk: |\n  ab\n').m.offsets;
    assert.deepEqual(
      bom,
      plain.map((o) => o + 1),
    );
  });
});

describe('mapScalar: multi-document and odd nodes', () => {
  it('maps scalars in every document of a stream', () => {
    const src = 'k: "a\\tb"\n---\nk: |\n  c\n...\n---\n- >-\n  d\n  e\n';
    const docs = parseAllDocuments(src, { keepSourceTokens: true });
    assert.ok(Array.isArray(docs));
    let n = 0;
    for (const d of docs) {
      for (const s of allScalars(d)) {
        checkMapping(src, s);
        n++;
      }
    }
    assert.equal(n, 5);
  });
  it('empty value and null-like scalars do not throw', () => {
    for (const src of ['k:\n', 'k: ~\n', 'k: null\n', 'k: \n', '- \n', 'k: ""\n', "k: ''\n"]) {
      const doc = parseKeep(src);
      for (const s of allScalars(doc)) {
        const m = mapScalar(s);
        assert.equal(m.offsets.length, m.text.length + 1);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The fallback

function assertFallbackSane(m: MappedText, lo: number, hi: number, label: string) {
  assert.equal(m.offsets.length, m.text.length + 1, label);
  for (let i = 0; i < m.offsets.length; i++) {
    const at = m.offsets[i]!;
    assert.ok(at >= lo && at <= hi, `${label}: offset ${at} outside [${lo}, ${hi}]`);
    if (i > 0) assert.ok(at >= m.offsets[i - 1]!, `${label}: offsets decrease at ${i}`);
  }
}

describe('mapScalar: fallback (exact: false)', () => {
  it('a scalar without source tokens', () => {
    const m = mapScalar(new Scalar('abc'));
    assert.equal(m.exact, false);
    assert.equal(m.text, 'abc');
    assertFallbackSane(m, 0, 0, 'no token');
  });
  it('a value the source does not produce (changed after parsing)', () => {
    const src = 'a: 1\nk: "x\\ty"\n';
    const node = parseKeep(src).getIn(['k'], true) as Scalar;
    node.value = 'x\ty and more';
    const m = mapScalar(node);
    assert.equal(m.exact, false);
    assert.equal(m.text, 'x\ty and more');
    assertFallbackSane(m, node.range![0], node.range![1], 'changed value');
  });
  it('a changed block scalar', () => {
    const src = 'k: |\n  one\n  two\nz: 1\n';
    const node = parseKeep(src).getIn(['k'], true) as Scalar;
    node.value = 'one\nthree\n';
    const m = mapScalar(node);
    assert.equal(m.exact, false);
    assertFallbackSane(m, node.range![0], node.range![1], 'changed block');
  });
  it('invalid YAML scalars never throw and stay monotonic inside the scalar', () => {
    for (const src of [
      'k: "abc\n',
      "k: 'abc\n",
      'k: "a\\qb"\n',
      'k: "\\xZZ"\n',
      'k: "\\x4"\n',
      'k: "\\U00110000"\n',
      'k: "a\\',
      'k: |\n  a\n b\n',
      'k: |0\n  a\n',
      'k: "',
    ]) {
      const doc = parseKeep(src);
      for (const s of allScalars(doc)) {
        const m = mapScalar(s);
        assertFallbackSane(m, s.range![0], Math.max(s.range![1], s.range![2]), JSON.stringify(src));
        if (m.exact) assert.equal(m.text, parserText(s));
      }
    }
  });
  it('property: any replaced value keeps offsets monotonic and inside the scalar', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'k: plain text\n',
          'k: "a\\tb\n  c"\n',
          "k: 'x''y'\n",
          'k: |\n  a\n  b\n',
          'k: >-\n  a\n\n  b\n',
        ),
        fc.string({ maxLength: 30 }),
        (src, replacement) => {
          const node = parseKeep(src).getIn(['k'], true) as Scalar;
          const original = node.value;
          node.value = replacement;
          const m = mapScalar(node);
          assert.equal(m.text, replacement);
          assert.equal(m.exact, replacement === original);
          assertFallbackSane(m, node.range![0], node.range![1], JSON.stringify([src, replacement]));
        },
      ),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: whatever the yaml package writes, we map back exactly

const STYLES = {
  plain: Scalar.PLAIN,
  single: Scalar.QUOTE_SINGLE,
  double: Scalar.QUOTE_DOUBLE,
  literal: Scalar.BLOCK_LITERAL,
  folded: Scalar.BLOCK_FOLDED,
} as const;

const unit = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      ' ',
      '  ',
      '\n',
      '\n\n',
      '\t',
      '"',
      "'",
      '\\',
      '#',
      ': ',
      ' #',
      '- ',
      '\r\n',
      '\r',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'é',
      '\u00a0',
      '\u0085',
      '\u2028',
      '\ufeff',
      '😀',
      '𝄞',
      '\u{10ffff}',
      '\x00',
      '\x1b',
      '\x7f',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0xa0, max: 0xd7ff }).map((c) => String.fromCharCode(c)) },
);
const valueArb = fc.string({ unit, maxLength: 40 });
/** Mostly words: most random strings cannot be written plain, so plain gets these as well. */
const wordsArb = fc.string({
  unit: fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom('a', 'b', 'x', 'pip', 'é', '😀', '-', '.', '/', '$') },
    { weight: 3, arbitrary: fc.constantFrom(' ', '  ', '\n', '\n\n', '\t', '#', ':', "'", '"', '\\') },
  ),
  maxLength: 40,
});

type Shape = 'map' | 'seq' | 'nested' | 'seq-of-seq' | 'then-key' | 'map-in-seq';
const SHAPES: Shape[] = ['map', 'seq', 'nested', 'seq-of-seq', 'then-key', 'map-in-seq'];

function pair(key: string, value: unknown): Pair {
  return new Pair(new Scalar(key), value);
}

/** Puts the scalar in a document; returns the document and the path to the scalar. */
function embed(s: Scalar, shape: Shape): { doc: Document; path: (string | number)[] } {
  const doc = new Document();
  const map = (...pairs: Pair[]) => {
    const m = new YAMLMap();
    m.items.push(...pairs);
    return m;
  };
  const seq = (...items: unknown[]) => {
    const q = new YAMLSeq();
    q.items.push(...items);
    return q;
  };
  switch (shape) {
    case 'map':
      doc.contents = map(pair('k', s));
      return { doc, path: ['k'] };
    case 'seq':
      doc.contents = seq(s);
      return { doc, path: [0] };
    case 'nested':
      doc.contents = map(pair('a', map(pair('b', seq(map(pair('c', s)))))));
      return { doc, path: ['a', 'b', 0, 'c'] };
    case 'seq-of-seq':
      doc.contents = seq(seq(new Scalar('x'), s));
      return { doc, path: [0, 1] };
    case 'then-key':
      doc.contents = map(pair('k', s), pair('z', new Scalar(1)));
      return { doc, path: ['k'] };
    case 'map-in-seq':
      doc.contents = seq(map(pair('a', new Scalar('x')), pair('k', s)));
      return { doc, path: [0, 'k'] };
  }
}

type Transform = 'none' | 'crlf' | 'bom' | 'no-final-newline' | 'bom+crlf';
const TRANSFORMS: Transform[] = ['none', 'crlf', 'bom', 'no-final-newline', 'bom+crlf'];
function transform(src: string, t: Transform): string {
  switch (t) {
    case 'none':
      return src;
    case 'crlf':
      return src.replace(/\n/g, '\r\n');
    case 'bom':
      return `\ufeff${src}`;
    case 'no-final-newline':
      return src.replace(/\n$/, '');
    case 'bom+crlf':
      return `\ufeff${src.replace(/\n/g, '\r\n')}`;
  }
}

const RUNS_PER_STYLE = 1500;

describe('mapScalar: properties over yaml-serialised values', () => {
  for (const [styleName, type] of Object.entries(STYLES)) {
    it(`${styleName}: exact, same text, offsets point at their source (${RUNS_PER_STYLE} runs)`, (t) => {
      let checked = 0;
      let skipped = 0;
      fc.assert(
        fc.property(
          styleName === 'plain' ? fc.oneof(valueArb, wordsArb) : valueArb,
          fc.constantFrom(...SHAPES),
          fc.constantFrom(...TRANSFORMS),
          fc.record({
            indent: fc.constantFrom(2, 3, 4),
            indentSeq: fc.boolean(),
            lineWidth: fc.constantFrom(0, 12, 20, 40, 80),
            minContentWidth: fc.constantFrom(0, 5, 20),
          }),
          (value, shape, t, opts) => {
            const s = new Scalar(value);
            s.type = type;
            const { doc, path } = embed(s, shape);
            let out: string;
            try {
              out = doc.toString(opts as ToStringOptions);
            } catch {
              skipped++;
              return; // yaml refuses this combination
            }
            const src = transform(out, t);
            const back = parseKeep(src);
            if (back.errors.length > 0) {
              skipped++;
              return; // yaml wrote something it cannot read back: not our concern here
            }
            const node = back.getIn(path, true);
            if (!isScalar(node) || node.type !== type) {
              skipped++;
              return; // yaml chose another style for this value
            }
            for (const other of allScalars(back)) checkMapping(src, other);
            checked++;
          },
        ),
        { numRuns: RUNS_PER_STYLE },
      );
      // The property must not pass by skipping everything.
      t.diagnostic(`${styleName}: ${checked} checked, ${skipped} skipped (yaml chose another style)`);
      assert.ok(checked > RUNS_PER_STYLE / 4, `${styleName}: only ${checked} checked, ${skipped} skipped`);
    });
  }

  it('hand-written block scalars with random lines, indicators and chomping (1500 runs)', (t) => {
    let checked = 0;
    const line = fc.oneof(
      fc.constant(''),
      fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\t', '#', '"', "'", '\\', 'é', '😀'), maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('|', '>'),
        fc.constantFrom('', '-', '+'),
        fc.constantFrom(0, 1, 2, 3),
        fc.array(fc.tuple(fc.nat({ max: 3 }), line), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...SHAPES.slice(0, 3)),
        fc.constantFrom(...TRANSFORMS),
        (mode, chomp, explicit, rawLines, shape, t) => {
          const parent = shape === 'map' ? 0 : shape === 'seq' ? 0 : 6;
          const lead = shape === 'map' ? 'k: ' : shape === 'seq' ? '- ' : 'a:\n  b:\n    - c: ';
          const indent = explicit > 0 ? parent + explicit : parent + 2;
          const body = rawLines.map(([extra, text]) =>
            text === '' ? ' '.repeat(extra) : ' '.repeat(indent + extra) + text,
          );
          const header = explicit > 0 ? `${mode}${explicit}${chomp}` : `${mode}${chomp}`;
          const tail = shape === 'map' ? 'z: 1\n' : '';
          const src = transform(`${lead}${header}\n${body.join('\n')}\n${tail}`, t);
          const doc = parseKeep(src);
          if (doc.errors.length > 0) return; // e.g. a less-indented line or a leading more-indented blank
          for (const s of allScalars(doc)) checkMapping(src, s);
          checked++;
        },
      ),
      { numRuns: 1500 },
    );
    t.diagnostic(`${checked} valid documents checked`);
    assert.ok(checked > 500, `only ${checked} valid documents`);
  });

  it('hand-written flow scalars with random folds and escapes (1500 runs)', (t) => {
    let checked = 0;
    const piece = fc.oneof(
      fc.constantFrom('a', 'b', ' ', '  ', '\t', '\n', '\n\n', '\n  \n', '#', 'é', '😀', '\r\n', '\r'),
      fc.constantFrom(
        '\\t',
        '\\n',
        '\\\\',
        '\\"',
        '\\/',
        '\\x41',
        '\\u00e9',
        '\\U0001F600',
        '\\\n',
        '\\ ',
        "''",
      ),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('"', "'"),
        fc.array(piece, { maxLength: 12 }),
        fc.constantFrom(...TRANSFORMS),
        (quote, pieces, t) => {
          const body = pieces
            .filter((p) => (quote === '"' ? p !== "''" : !p.startsWith('\\')))
            .join('')
            .replace(/\n/g, '\n  ');
          const src = transform(`k: ${quote}${body}${quote}\nz: 1\n`, t);
          const doc = parseKeep(src);
          if (doc.errors.length > 0) return;
          for (const s of allScalars(doc)) checkMapping(src, s);
          checked++;
        },
      ),
      { numRuns: 1500 },
    );
    t.diagnostic(`${checked} valid documents checked`);
    assert.ok(checked > 500, `only ${checked} valid documents`);
  });
});
