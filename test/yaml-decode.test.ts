/** decode.ts: bytes → text, or a precise reason why not (with a byte offset that maps to line/column). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LineIndex } from '../src/model/span.ts';
import { bytePosition, DEFAULT_MAX_BYTES, decodeSource, firstInvalidUtf8 } from '../src/yaml/decode.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]) => {
  const chunks = parts.map((p) => (typeof p === 'string' ? enc(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

function decodeOk(b: Uint8Array) {
  const r = decodeSource(b);
  assert.ok(r.ok, `expected ok, got ${r.ok ? '' : r.error.message}`);
  return r.value;
}
function decodeErr(b: Uint8Array, maxBytes?: number) {
  const r = decodeSource(b, maxBytes);
  assert.ok(!r.ok, 'expected an error');
  return r.error;
}

describe('decodeSource', () => {
  it('plain UTF-8, no BOM', () => {
    const v = decodeOk(enc('a: 1\n'));
    assert.deepEqual(v, { text: 'a: 1\n', bom: false });
  });
  it('keeps a UTF-8 BOM as U+FEFF so offsets match the file', () => {
    const v = decodeOk(bytes([0xef, 0xbb, 0xbf], 'a: 1\n'));
    assert.equal(v.bom, true);
    assert.equal(v.text, '\ufeffa: 1\n');
    assert.equal(v.text.indexOf('a'), 1);
  });
  it('only a BOM', () => {
    assert.deepEqual(decodeOk(Uint8Array.from([0xef, 0xbb, 0xbf])), { text: '\ufeff', bom: true });
  });
  it('a U+FEFF that is not at the start is not a BOM', () => {
    const v = decodeOk(bytes('a', [0xef, 0xbb, 0xbf]));
    assert.equal(v.bom, false);
    assert.equal(v.text, 'a\ufeff');
  });
  it('empty file', () => {
    assert.deepEqual(decodeOk(new Uint8Array(0)), { text: '', bom: false });
  });
  it('CRLF and lone CR are kept', () => {
    assert.equal(decodeOk(enc('a: 1\r\nb: 2\rc')).text, 'a: 1\r\nb: 2\rc');
  });
  it('rejects UTF-16 LE and BE BOMs with a clear message', () => {
    for (const bom of [
      [0xff, 0xfe],
      [0xfe, 0xff],
    ]) {
      const e = decodeErr(bytes(bom, [0x61, 0x00]));
      assert.equal(e.byteOffset, 0);
      assert.match(e.message, /UTF-16/);
      assert.match(e.message, /UTF-8/);
    }
  });
  it('NUL byte → binary, at its offset', () => {
    const e = decodeErr(bytes('ab\ncd', [0], 'x'));
    assert.equal(e.byteOffset, 5);
    assert.match(e.message, /binary/);
  });
  it('accepts valid multibyte text of every length', () => {
    const s = 'é € 😀 中文 \u{10ffff} \u0080 \u07ff \u0800 \uffff \u{10000}';
    assert.equal(decodeOk(enc(s)).text, s);
  });
  it('maxBytes: at the limit is fine, one over is refused', () => {
    const b = enc('x'.repeat(100));
    assert.ok(decodeSource(b, 100).ok);
    const e = decodeErr(b, 99);
    assert.equal(e.byteOffset, 0);
    assert.match(e.message, /too large/);
    assert.equal(DEFAULT_MAX_BYTES, 16 * 1024 * 1024);
  });
  it('reports invalid UTF-8 with its offset', () => {
    const e = decodeErr(bytes('a: ', [0xc3, 0x28]));
    assert.equal(e.byteOffset, 3);
    assert.match(e.message, /UTF-8/);
  });
});

// [name, bytes, offset of the first invalid sequence]
const INVALID: [string, Uint8Array, number][] = [
  ['stray continuation byte', bytes('ab', [0x80], 'c'), 2],
  ['stray continuation after a valid char', bytes('é', [0xbf]), 2],
  ['overlong 2-byte (C0 AF)', bytes('x', [0xc0, 0xaf]), 1],
  ['overlong 2-byte (C1 BF)', bytes([0xc1, 0xbf]), 0],
  ['overlong 3-byte (E0 80 AF)', bytes('xy', [0xe0, 0x80, 0xaf]), 2],
  ['overlong 3-byte (E0 9F BF)', bytes([0xe0, 0x9f, 0xbf]), 0],
  ['overlong 4-byte (F0 8F BF BF)', bytes('a', [0xf0, 0x8f, 0xbf, 0xbf]), 1],
  ['high surrogate (ED A0 80)', bytes('ab', [0xed, 0xa0, 0x80]), 2],
  ['low surrogate (ED BF BF)', bytes([0xed, 0xbf, 0xbf]), 0],
  ['above U+10FFFF (F4 90 80 80)', bytes('a', [0xf4, 0x90, 0x80, 0x80]), 1],
  ['F5 lead byte', bytes([0xf5, 0x80, 0x80, 0x80]), 0],
  ['FF byte', bytes('abc', [0xff]), 3],
  ['truncated 2-byte at EOF', bytes('abc', [0xc3]), 3],
  ['truncated 3-byte at EOF', bytes('abc', [0xe2, 0x82]), 3],
  ['truncated 4-byte at EOF', bytes('a', [0xf0, 0x9f, 0x98]), 1],
  ['lead byte followed by ASCII', bytes('a', [0xe2, 0x41, 0x41]), 1],
  ['4-byte cut by a new line', bytes([0xf0, 0x9f], '\n'), 0],
];

describe('firstInvalidUtf8', () => {
  for (const [name, b, at] of INVALID) {
    it(name, () => {
      assert.equal(firstInvalidUtf8(b), at);
      assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(b));
      const e = decodeErr(b);
      assert.equal(e.byteOffset, at);
    });
  }
  it('valid boundaries', () => {
    for (const cp of [0, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x10ffff]) {
      assert.equal(firstInvalidUtf8(enc(String.fromCodePoint(cp))), -1, cp.toString(16));
    }
  });
});

describe('bytePosition', () => {
  it('line and column of a byte on the first line', () => {
    assert.deepEqual(bytePosition(enc('abc'), 2), { line: 1, column: 3 });
    assert.deepEqual(bytePosition(enc('abc'), 0), { line: 1, column: 1 });
  });
  it('counts columns in characters (UTF-16 units), not bytes', () => {
    const b = bytes('k: é😀', [0xff]);
    // "k: " 3, "é" 1, "😀" 2 units → the bad byte is column 7
    assert.deepEqual(bytePosition(b, firstInvalidUtf8(b)), { line: 1, column: 7 });
  });
  it('after LF and CRLF line breaks', () => {
    const b = bytes('a: 1\nb: 2\r\nc: é', [0x80]);
    assert.deepEqual(bytePosition(b, firstInvalidUtf8(b)), { line: 3, column: 5 });
  });
  it('a lone CR ends a line, as LineIndex counts it', () => {
    const b = bytes('a: 1\rb: ', [0xc0]);
    assert.deepEqual(bytePosition(b, firstInvalidUtf8(b)), { line: 2, column: 4 });
  });
  it('a BOM is one column, as in the decoded text', () => {
    const b = bytes([0xef, 0xbb, 0xbf], 'ab', [0xff]);
    assert.deepEqual(bytePosition(b, 5), { line: 1, column: 4 });
  });
  it('a byte right after a line break is column 1', () => {
    const b = bytes('a\n', [0xff]);
    assert.deepEqual(bytePosition(b, 2), { line: 2, column: 1 });
  });
  it('NUL position', () => {
    const b = bytes('x: 1\ny: ', [0], '\n');
    const e = decodeErr(b);
    assert.deepEqual(bytePosition(b, e.byteOffset), { line: 2, column: 4 });
  });
});

// Bytes that make UTF-8 interesting: boundaries of every lead/continuation range.
const interestingByte = fc.constantFrom(
  0x00,
  0x0a,
  0x0d,
  0x41,
  0x7f,
  0x80,
  0x8f,
  0x90,
  0x9f,
  0xa0,
  0xbf,
  0xc0,
  0xc1,
  0xc2,
  0xdf,
  0xe0,
  0xe1,
  0xec,
  0xed,
  0xee,
  0xef,
  0xf0,
  0xf1,
  0xf3,
  0xf4,
  0xf5,
  0xfe,
  0xff,
);
const validChunk = fc
  .oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0x80, max: 0x7ff }),
    fc.integer({ min: 0x800, max: 0xd7ff }),
    fc.integer({ min: 0xe000, max: 0xffff }),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  )
  .map((cp) => Array.from(enc(String.fromCodePoint(cp))));
const byteArrays = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: validChunk },
      { weight: 2, arbitrary: interestingByte.map((b) => [b]) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => [b]) },
      // a valid multibyte sequence cut short
      { weight: 1, arbitrary: validChunk.map((c) => c.slice(0, Math.max(1, c.length - 1))) },
    ),
    { maxLength: 24 },
  )
  .map((chunks) => Uint8Array.from(chunks.flat()));

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const accepts = (b: Uint8Array) => {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
};

describe('decode properties', () => {
  it('firstInvalidUtf8 is -1 exactly when a fatal TextDecoder accepts (20000 runs)', () => {
    fc.assert(
      fc.property(fc.oneof(byteArrays, fc.uint8Array({ maxLength: 16 })), (b) => {
        const at = firstInvalidUtf8(b);
        assert.equal(at === -1, accepts(b));
        if (at === -1) return;
        // Everything before is valid, and no complete character starts at `at`.
        assert.ok(accepts(b.subarray(0, at)), 'prefix must be valid');
        for (let len = 1; len <= 4 && at + len <= b.length; len++) {
          assert.ok(!accepts(b.subarray(at, at + len)), `a valid ${len}-byte character starts at ${at}`);
        }
      }),
      { numRuns: 20000 },
    );
  });
  it('decodeSource agrees with TextDecoder and bytePosition with LineIndex (5000 runs)', () => {
    fc.assert(
      fc.property(byteArrays, (b) => {
        const r = decodeSource(b);
        const utf16 = b[0] === 0xff && b[1] === 0xfe ? true : b[0] === 0xfe && b[1] === 0xff;
        if (r.ok) {
          assert.ok(accepts(b) && !b.includes(0) && !utf16);
          assert.equal(r.value.text, fatal.decode(b));
          assert.equal(r.value.bom, r.value.text.startsWith('\ufeff'));
          return;
        }
        assert.ok(!accepts(b) || b.includes(0) || utf16, r.error.message);
        const at = r.error.byteOffset;
        const prefix = new TextDecoder('utf-8', { ignoreBOM: true }).decode(b.subarray(0, at));
        assert.deepEqual(bytePosition(b, at), new LineIndex(prefix).position(prefix.length));
      }),
      { numRuns: 5000 },
    );
  });
});
