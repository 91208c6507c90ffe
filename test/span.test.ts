/** LineIndex: offsets ↔ 1-based line/column for \n, \r\n and lone \r line breaks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LineIndex } from '../src/model/span.ts';
import { lintString } from './helpers/lint.ts';

describe('LineIndex', () => {
  it('\\n line breaks: starts, ends and past the end', () => {
    const idx = new LineIndex('ab\ncd\n');
    assert.equal(idx.lineCount, 3);
    assert.deepEqual(idx.position(0), { line: 1, column: 1 });
    assert.deepEqual(idx.position(2), { line: 1, column: 3 }); // the \n itself
    assert.deepEqual(idx.position(3), { line: 2, column: 1 });
    assert.deepEqual(idx.position(5), { line: 2, column: 3 });
    assert.deepEqual(idx.position(6), { line: 3, column: 1 }); // end of text, after the last break
    assert.deepEqual(idx.position(100), { line: 3, column: 1 }); // past the end: clamped
    assert.deepEqual(idx.position(-5), { line: 1, column: 1 });
    assert.deepEqual(
      [1, 2, 3].map((l) => idx.lineText(l)),
      ['ab', 'cd', ''],
    );
    assert.deepEqual(
      [1, 2, 3].map((l) => idx.lineStart(l)),
      [0, 3, 6],
    );
  });
  it('\\r\\n is one line break; both of its characters belong to the line it ends', () => {
    const idx = new LineIndex('ab\r\ncd\r\n');
    assert.equal(idx.lineCount, 3);
    assert.deepEqual(idx.position(2), { line: 1, column: 3 });
    assert.deepEqual(idx.position(3), { line: 1, column: 4 });
    assert.deepEqual(idx.position(4), { line: 2, column: 1 });
    assert.deepEqual(idx.position(8), { line: 3, column: 1 });
    assert.equal(idx.lineText(1), 'ab');
    assert.equal(idx.lineText(2), 'cd');
    assert.equal(idx.lineText(3), '');
  });
  it('a lone \\r is a line break', () => {
    const idx = new LineIndex('ab\rcd\r\n\ref');
    assert.equal(idx.lineCount, 4);
    assert.deepEqual(idx.position(2), { line: 1, column: 3 });
    assert.deepEqual(idx.position(3), { line: 2, column: 1 });
    assert.deepEqual(idx.position(7), { line: 3, column: 1 });
    assert.deepEqual(idx.position(9), { line: 4, column: 2 });
    assert.deepEqual(
      [1, 2, 3, 4].map((l) => idx.lineText(l)),
      ['ab', 'cd', '', 'ef'],
    );
  });
  it('\\n\\r is two line breaks (the \\r does not join the \\n before it)', () => {
    const idx = new LineIndex('a\n\rb');
    assert.equal(idx.lineCount, 3);
    assert.deepEqual(idx.position(3), { line: 3, column: 1 });
    assert.equal(idx.lineText(2), '');
  });
  it('text without any line break; empty text', () => {
    const one = new LineIndex('abc');
    assert.equal(one.lineCount, 1);
    assert.deepEqual(one.position(3), { line: 1, column: 4 });
    assert.equal(one.lineText(1), 'abc');
    const empty = new LineIndex('');
    assert.equal(empty.lineCount, 1);
    assert.deepEqual(empty.position(0), { line: 1, column: 1 });
    assert.equal(empty.lineText(1), '');
  });
  it('columns are UTF-16 units; a BOM is one column', () => {
    const idx = new LineIndex('\ufeffk: é😀x\n');
    assert.deepEqual(idx.position(1), { line: 1, column: 2 });
    assert.deepEqual(idx.position('\ufeffk: é😀'.length), { line: 1, column: 8 }); // 😀 is two units
  });
  it('out-of-range lines are clamped to the first and last line', () => {
    const idx = new LineIndex('ab\ncd');
    assert.equal(idx.lineStart(0), 0);
    assert.equal(idx.lineStart(99), 3);
    assert.equal(idx.lineText(0), 'ab');
    assert.equal(idx.lineText(-1), 'ab');
    assert.equal(idx.lineText(99), 'cd');
  });
});

/** Reference: split with a regular expression and walk. */
function reference(text: string) {
  const lines: { start: number; text: string }[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push({ start, text: text.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  lines.push({ start, text: text.slice(start) });
  return lines;
}

describe('LineIndex properties', () => {
  it('agrees with a regex split for every offset (2000 runs)', () => {
    const unit = fc.constantFrom('a', 'b', ' ', '\n', '\r', '\r\n', '\n\r', 'é', '😀', '\t', '\ufeff');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (text) => {
        const idx = new LineIndex(text);
        const ref = reference(text);
        assert.equal(idx.lineCount, ref.length);
        ref.forEach((l, i) => {
          assert.equal(idx.lineStart(i + 1), l.start);
          assert.equal(idx.lineText(i + 1), l.text);
        });
        for (let offset = 0; offset <= text.length; offset++) {
          const p = idx.position(offset);
          let line = 0;
          while (line + 1 < ref.length && ref[line + 1]!.start <= offset) line++;
          assert.deepEqual(p, { line: line + 1, column: offset - ref[line]!.start + 1 });
          assert.equal(idx.lineStart(p.line) + p.column - 1, offset);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('finding spans', () => {
  it('a command whose quote is never closed ends before the line break, with \\n or \\r\\n', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = [
        'job:',
        '  image: debian:bookworm',
        '  script:',
        '    - |',
        '      apt-get install -y python3-pip',
        '      pip install "x',
        '      echo done',
        '',
      ].join(eol);
      const { findings } = lintString('.gitlab-ci.yml', text);
      const f = findings.find((x) => x.rule === 'pip-install-system-python');
      assert.ok(f, `a finding (${JSON.stringify(eol)})`);
      assert.equal(text.slice(f.span.start, f.span.end), `pip install "x${eol}      echo done`);
    }
  });
});
