/** Turning a file's bytes into text we can parse, or saying exactly why we can't. */

export interface DecodedText {
  text: string;
  /** True when the file starts with a UTF-8 BOM; the BOM stays in `text` as U+FEFF so offsets match the file. */
  bom: boolean;
}

export interface DecodeError {
  /** Offset into the bytes where the problem is (used for line/column where meaningful). */
  byteOffset: number;
  message: string;
}

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export function tooLargeMessage(size: number, maxBytes: number): string {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return `file is too large to lint (${mb(size)} MB, limit ${mb(maxBytes)} MB)`;
}

export function decodeSource(
  bytes: Uint8Array,
  maxBytes = DEFAULT_MAX_BYTES,
): { ok: true; value: DecodedText } | { ok: false; error: DecodeError } {
  if (bytes.length > maxBytes)
    return { ok: false, error: { byteOffset: 0, message: tooLargeMessage(bytes.length, maxBytes) } };
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    return {
      ok: false,
      error: { byteOffset: 0, message: 'file is UTF-16 encoded; CI files must be UTF-8' },
    };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { ok: false, error: { byteOffset: nul, message: 'binary file (NUL byte); not a CI file' } };
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad !== -1) {
    return { ok: false, error: { byteOffset: bad, message: 'invalid UTF-8 byte sequence' } };
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  // ignoreBOM keeps U+FEFF in the text, so offsets are the file's own.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { ok: true, value: { text, bom } };
}

/** Byte offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Line and column (1-based) of a byte offset, counting columns in characters (UTF-16 units) of the
 * valid prefix. Lines end at `\n`, `\r\n` or a lone `\r`, as LineIndex counts them, so a decode error
 * and a later finding in the same file agree on line numbers.
 */
export function bytePosition(bytes: Uint8Array, byteOffset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < byteOffset && i < bytes.length; i++) {
    if (bytes[i] === 10 || (bytes[i] === 13 && bytes[i + 1] !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  const prefix = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(
    bytes.subarray(lineStart, byteOffset),
  );
  return { line, column: prefix.length + 1 };
}
