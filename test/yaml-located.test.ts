/** parse.ts + located.ts: documents with positions, errors as values, anchors, merges, tags, bombs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  get,
  type LMap,
  type LNode,
  type LPair,
  type LScalar,
  type LSeq,
  scalarText,
} from '../src/yaml/located.ts';
import { MAX_NESTING } from '../src/yaml/nesting.ts';
import { parseYamlText } from '../src/yaml/parse.ts';

function parseOk(text: string, path = 'ci.yml') {
  const r = parseYamlText(path, text);
  assert.deepEqual(r.errors, [], `unexpected errors for ${JSON.stringify(text)}`);
  return r;
}
function root(text: string): LNode | null {
  const r = parseOk(text);
  assert.equal(r.documents.length, 1);
  return r.documents[0]!.root;
}
function asMap(n: LNode | null | undefined): LMap {
  assert.equal(n?.kind, 'map');
  return n as LMap;
}
function asSeq(n: LNode | null | undefined): LSeq {
  assert.equal(n?.kind, 'seq');
  return n as LSeq;
}
function asScalar(n: LNode | null | undefined): LScalar {
  assert.equal(n?.kind, 'scalar');
  return n as LScalar;
}
function pair(m: LMap, key: string): LPair {
  const p = m.entries.get(key);
  assert.ok(p, `no key ${key}`);
  return p;
}
const textAt = (m: LMap, key: string) => scalarText(get(m, key));

describe('parseYamlText: documents and positions', () => {
  it('keeps path, text and ranges', () => {
    const text = 'image: python:3.12\nscript:\n  - pip install x\n';
    const r = parseOk(text, 'a/b.yml');
    assert.equal(r.path, 'a/b.yml');
    assert.equal(r.text, text);
    const m = asMap(r.documents[0]!.root);
    assert.equal(m.path, 'a/b.yml');
    const img = asScalar(get(m, 'image'));
    assert.equal(text.slice(img.range[0], img.range[1]), 'python:3.12');
    assert.deepEqual(pair(m, 'script').keyRange, [19, 25]);
    const item = asScalar(asSeq(get(m, 'script')).items[0]);
    assert.equal(text.slice(item.range[0], item.range[1]), 'pip install x');
    assert.equal(item.path, 'a/b.yml');
    assert.equal(item.node.value, 'pip install x'); // the yaml node is kept for offset mapping
  });
  it('every document of a stream, with ranges into the whole file', () => {
    const text = 'a: 1\n---\nb: 2\n...\n---\n- c\n';
    const r = parseOk(text);
    assert.equal(r.documents.length, 3);
    const b = asScalar(get(r.documents[1]!.root, 'b'));
    assert.equal(text.slice(b.range[0], b.range[1]), '2');
    const c = asScalar(asSeq(r.documents[2]!.root).items[0]);
    assert.equal(text.slice(c.range[0], c.range[1]), 'c');
  });
  it('empty file: no documents, no errors', () => {
    const r = parseYamlText('e.yml', '');
    assert.deepEqual(r.documents, []);
    assert.deepEqual(r.errors, []);
  });
  it('only a comment: no documents; an explicit empty document has a null root', () => {
    assert.equal(parseOk('# nothing here\n').documents.length, 0);
    const r = parseOk('--- # empty\n...\n');
    assert.equal(r.documents.length, 1);
    assert.equal(r.documents[0]!.root, null);
  });
  it('BOM and CRLF keep offsets of the file text', () => {
    const text = '\ufeffa: 1\r\nb: x\r\n';
    const m = asMap(root(text));
    const b = asScalar(get(m, 'b'));
    assert.equal(text.slice(b.range[0], b.range[1]), 'x');
    assert.equal(text.slice(...pair(m, 'a').keyRange), 'a');
  });
});

describe('parseYamlText: errors are values', () => {
  const BAD = [
    'a: [1, 2\n',
    'a: b: c\n',
    'a: "unterminated\n',
    'a:\n\tb: 1\n',
    'a: 1\n b: 2\n',
    '- a\nb: 1\n',
    'a: &x 1\nb: &x\n  - *x\n  c: 1\n',
    '{a: 1\n',
    'a: |0\n  x\n',
    'a: "\\q"\n',
    ']]]\n',
    'a: *nowhere\nb: &later 1\nc: *later\n',
    'a: [*later]\nb: &later 1\n',
  ];
  for (const text of BAD) {
    it(`reports ${JSON.stringify(text)} without throwing`, () => {
      const r = parseYamlText('bad.yml', text);
      assert.ok(r.errors.length > 0, 'an error is reported');
      for (const e of r.errors) {
        assert.ok(e.offset >= 0 && e.offset <= text.length, `offset ${e.offset} inside the text`);
        assert.ok(e.message.length > 0);
        assert.doesNotMatch(e.message, /\n| at line \d+, column \d+/, 'one line, no position of its own');
      }
    });
  }
  it('a bad document does not hide the good ones', () => {
    const text = 'a: 1\n---\nb: [\n---\nc: 3\n';
    const r = parseYamlText('x.yml', text);
    assert.ok(r.errors.length > 0);
    assert.equal(r.errors[0]!.offset >= text.indexOf('b:'), true);
    const keys = r.documents.map((d) => [...asMap(d.root).entries.keys()].join());
    assert.deepEqual(keys, ['a', 'c']);
  });
  it('deep nesting is an error, not a crash (the composer would exhaust the stack)', () => {
    const deepMap = Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    for (const text of [
      '['.repeat(20000) + ']'.repeat(20000),
      '- '.repeat(5000) + 'x\n',
      '{a: '.repeat(20000),
      deepMap,
      'ok: 1\n---\n' + '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1),
    ]) {
      const r = parseYamlText('deep.yml', text);
      assert.equal(r.documents.length, 0);
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0]!.message, /nesting is deeper than 256 levels/);
      assert.ok(r.errors[0]!.offset > 0 && r.errors[0]!.offset <= text.length);
    }
  });
  it('nesting up to the limit parses', () => {
    const flow = '['.repeat(MAX_NESTING) + 'x' + ']'.repeat(MAX_NESTING);
    const block = '- '.repeat(MAX_NESTING) + 'x\n';
    const map = Array.from({ length: MAX_NESTING }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' x\n';
    for (const text of [flow, block, map]) {
      let n: LNode | null | undefined = root(text);
      let depth = 0;
      while (n && n.kind !== 'scalar') {
        n = n.kind === 'seq' ? n.items[0] : get(n, 'a');
        depth++;
      }
      assert.equal(depth, MAX_NESTING);
      assert.equal(scalarText(n), 'x');
    }
  });
  it('an alias without an anchor before it is an error at the alias', () => {
    const text = 'a: 1\nb: *nope\n';
    const r = parseYamlText('x.yml', text);
    assert.deepEqual(r.errors, [
      { offset: text.indexOf('*nope'), message: 'alias *nope has no anchor before it' },
    ]);
    assert.equal(r.documents.length, 0);
  });
  it('error offsets point at the problem', () => {
    const text = 'ok: 1\nbad: "x\\q"\n';
    const r = parseYamlText('x.yml', text);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.offset, text.indexOf('\\q'));
  });
});

describe('located: keys, values and scalars', () => {
  it('duplicate keys: the last one wins, no error', () => {
    const m = asMap(root('a: 1\nb: 0\na: 2\n'));
    assert.equal(textAt(m, 'a'), '2');
    assert.equal(m.entries.size, 2);
  });
  it('empty values are null; explicit nulls are scalars with a null value', () => {
    const m = asMap(root('a:\nb: ~\nc: null\nd: ""\ne:\n  - \n  - x\n  -\n'));
    assert.equal(pair(m, 'a').value, null);
    assert.equal(asScalar(get(m, 'b')).value, null);
    assert.equal(asScalar(get(m, 'c')).value, null);
    assert.equal(scalarText(get(m, 'a')), undefined);
    assert.equal(scalarText(get(m, 'b')), undefined);
    assert.equal(scalarText(get(m, 'd')), '');
    assert.deepEqual(
      asSeq(get(m, 'e')).items.map((i) => (i === null ? null : scalarText(i))),
      [null, 'x', null],
    );
    assert.equal(get(m, 'missing'), undefined);
    assert.equal(get(get(m, 'a'), 'x'), undefined);
  });
  it('scalarText keeps the source spelling of non-strings', () => {
    const m = asMap(root('a: 3.10\nb: 1e3\nc: 0x1F\nd: true\ne: "3.10"\nf: 012\ng: .inf\nh: -0\ni: 3\n'));
    const want = {
      a: '3.10',
      b: '1e3',
      c: '0x1F',
      d: 'true',
      e: '3.10',
      f: '012',
      g: '.inf',
      h: '-0',
      i: '3',
    };
    for (const [k, v] of Object.entries(want)) assert.equal(textAt(m, k), v, k);
    assert.equal(asScalar(get(m, 'a')).value, 3.1);
    assert.equal(scalarText(m), undefined);
    assert.equal(scalarText(null), undefined);
    assert.equal(scalarText(undefined), undefined);
  });
  it('tags stay on nodes', () => {
    const m = asMap(root('a: !!str 3\nb: !custom x\n'));
    assert.equal(asScalar(get(m, 'a')).value, '3');
    assert.equal(get(m, 'b')?.tag, '!custom');
  });
  it('!reference keeps its tag on a sequence', () => {
    const m = asMap(
      root(
        '.setup:\n  script: [echo hi]\njob:\n  script:\n    - !reference [.setup, script]\n    - pip install x\n',
      ),
    );
    const items = asSeq(get(get(m, 'job'), 'script')).items;
    const ref = asSeq(items[0]);
    assert.equal(ref.tag, '!reference');
    assert.deepEqual(
      ref.items.map((i) => scalarText(i)),
      ['.setup', 'script'],
    );
    assert.equal(scalarText(items[1]), 'pip install x');
    const single = asSeq(get(asMap(root('a: !reference [b, c]\n')), 'a'));
    assert.equal(single.tag, '!reference');
  });
});

describe('located: anchors, aliases and merge keys', () => {
  it('aliases are the same node object as their anchor', () => {
    const m = asMap(root('x: &a {k: 1}\ny: *a\ns: &s hello\nt: *s\nl: &l [1, 2]\nm: *l\n'));
    assert.equal(get(m, 'x'), get(m, 'y'));
    assert.equal(get(m, 's'), get(m, 't'));
    assert.equal(get(m, 'l'), get(m, 'm'));
    // The alias points at the anchor's text, where the characters physically are.
    assert.deepEqual(asScalar(get(m, 't')).range, asScalar(get(m, 's')).range);
  });
  it('an alias refers to the last anchor of that name before it', () => {
    const m = asMap(root('a: &x 1\nb: *x\nc: &x 2\nd: *x\n'));
    assert.equal(textAt(m, 'b'), '1');
    assert.equal(textAt(m, 'd'), '2');
  });
  it('anchored empty value: alias is null too', () => {
    const m = asMap(root('a: &e\nb: *e\n'));
    assert.equal(pair(m, 'a').value, null);
    assert.equal(pair(m, 'b').value, null);
  });
  it('<<: *a merges; explicit keys win whatever their position; merged pairs are marked', () => {
    const m = asMap(root('.a: &a {x: 1, y: 1}\nj:\n  y: 2\n  <<: *a\n  z: 3\n'));
    const a = asMap(get(m, '.a'));
    const j = asMap(get(m, 'j'));
    assert.deepEqual([...j.entries.keys()].sort(), ['x', 'y', 'z']);
    assert.equal(textAt(j, 'x'), '1');
    assert.equal(textAt(j, 'y'), '2');
    assert.equal(pair(j, 'x').merged, true);
    assert.equal(pair(j, 'y').merged, false);
    assert.equal(pair(j, 'z').merged, false);
    assert.equal(j.entries.has('<<'), false);
    // the merged value is the anchor's own node, with the anchor's key range
    assert.equal(get(j, 'x'), get(a, 'x'));
    assert.deepEqual(pair(j, 'x').keyRange, pair(a, 'x').keyRange);
    assert.equal(pair(a, 'x').merged, false);
  });
  it('<<: [*a, *b]: the first merged map wins among merges', () => {
    const text = ['.a: &a {x: a, y: a}', '.b: &b {y: b, w: b}', 'j:', '  <<: [*a, *b]', '  x: own', ''].join(
      '\n',
    );
    const m = asMap(root(text));
    const j = asMap(get(m, 'j'));
    assert.equal(textAt(j, 'x'), 'own');
    assert.equal(textAt(j, 'y'), 'a');
    assert.equal(textAt(j, 'w'), 'b');
    assert.equal(pair(j, 'y').merged, true);
    assert.equal(pair(j, 'w').merged, true);
    assert.equal(pair(j, 'x').merged, false);
    const b = asMap(get(m, '.b'));
    assert.deepEqual(pair(j, 'w').keyRange, pair(b, 'w').keyRange);
  });
  it('merges chain through maps that merge themselves', () => {
    const m = asMap(root('.a: &a {x: 1}\n.b: &b\n  <<: *a\n  y: 2\nj:\n  <<: *b\n'));
    const j = asMap(get(m, 'j'));
    assert.equal(textAt(j, 'x'), '1');
    assert.equal(textAt(j, 'y'), '2');
    assert.equal(pair(j, 'x').merged, true);
  });
  it('inline merge map and a non-map merge value', () => {
    const j = asMap(get(root('j:\n  <<: {x: 1}\n  y: 2\n'), 'j'));
    assert.equal(textAt(j, 'x'), '1');
    const k = asMap(get(root('.s: &s text\nk:\n  <<: *s\n  y: 2\n'), 'k'));
    assert.deepEqual([...k.entries.keys()], ['y']);
  });
  it("a quoted '<<' is an ordinary key, not a merge", () => {
    for (const key of ["'<<'", '"<<"', '!!str <<']) {
      const j = asMap(get(root(`.a: &a {x: 1}\nj:\n  ${key}: *a\n`), 'j'));
      assert.deepEqual([...j.entries.keys()], ['<<'], key);
      assert.equal(pair(j, '<<').merged, false);
    }
  });
  it('self-referencing anchors and cycles do not hang', () => {
    const start = Date.now();
    const m = asMap(root('a: &x [1, *x]\nb: &m {self: *m, k: 1}\nc: &n\n  <<: *n\n  k: 1\n'));
    const a = asSeq(get(m, 'a'));
    assert.equal(a.items[1], a);
    const b = asMap(get(m, 'b'));
    assert.equal(get(b, 'self'), b);
    const c = asMap(get(m, 'c'));
    assert.deepEqual([...c.entries.keys()], ['k']);
    const d = asMap(root('a: &p\n  b: &q\n    c: *p\n    d: *q\n'));
    const b2 = asMap(get(d, 'a'));
    const q = asMap(get(b2, 'b'));
    assert.equal(get(q, 'c'), b2);
    assert.equal(get(q, 'd'), q);
    assert.ok(Date.now() - start < 1000);
  });
});

/** Nodes reachable from `n`, each counted once (by identity). */
function distinctNodes(n: LNode | null): number {
  const seen = new Set<LNode>();
  const stack: (LNode | null)[] = [n];
  while (stack.length > 0) {
    const x = stack.pop();
    if (!x || seen.has(x)) continue;
    seen.add(x);
    if (x.kind === 'seq') stack.push(...x.items);
    if (x.kind === 'map') for (const p of x.entries.values()) stack.push(p.value);
  }
  return seen.size;
}

describe('located: resource bounds', () => {
  function bomb(levels: number, width: number, merge = false): string {
    const lines = ['l0: &l0 [lol]'];
    for (let i = 1; i < levels; i++) {
      if (merge) {
        const keys = Array.from({ length: width }, (_, k) => `k${k}: *l${i - 1}`).join(', ');
        lines.push(`l${i}: &l${i} {${keys}}`);
      } else {
        lines.push(`l${i}: &l${i} [${Array.from({ length: width }, () => `*l${i - 1}`).join(', ')}]`);
      }
    }
    lines.push(`script: *l${levels - 1}`);
    return `${lines.join('\n')}\n`;
  }
  it('a billion-laughs bomb (10 levels × 10 aliases) builds fast without copying', () => {
    const before = process.memoryUsage().heapUsed;
    const start = Date.now();
    const m = asMap(root(bomb(10, 10)));
    const ms = Date.now() - start;
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(ms < 1000, `took ${ms} ms`);
    assert.ok(grown < 64 * 1024 * 1024, `heap grew by ${grown} bytes`);
    const top = asSeq(get(m, 'script'));
    assert.equal(top, get(m, 'l9'));
    assert.ok(top.items.every((i) => i === get(m, 'l8')));
    // 10^9 expansions, but only the written nodes exist: 10 sequences, the scalar, `script` shares l9
    assert.equal(distinctNodes(m), 1 + 10 + 1);
  });
  it('a deeper bomb (30 levels) and a map bomb are still linear', () => {
    const start = Date.now();
    asMap(root(bomb(30, 10)));
    asMap(root(bomb(30, 10, true)));
    assert.ok(Date.now() - start < 2000);
  });
  it('thousands of aliases and merge keys parse in linear time', () => {
    let text = '.d: &d\n  image: python:3\n  before_script: [apt-get update]\n';
    for (let i = 0; i < 3000; i++) {
      text += `job${i}:\n  <<: *d\n  script:\n    - echo ${i}\n    - pip install x\n`;
    }
    const start = Date.now();
    const m = asMap(root(text));
    const ms = Date.now() - start;
    assert.equal(m.entries.size, 3001);
    assert.equal(textAt(asMap(get(m, 'job2999')), 'image'), 'python:3');
    // Resolving each alias by walking the whole document took ~30 s here.
    assert.ok(ms < 5000, `took ${ms} ms`);
  });
});
