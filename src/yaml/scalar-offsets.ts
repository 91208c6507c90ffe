/**
 * Maps the *value* of a YAML scalar back to file offsets, for every scalar style: plain, single-
 * and double-quoted (escapes, folding), literal and folded block scalars (indentation indicators,
 * chomping). `offsets[i]` is the file offset of the source character that produced value character
 * `i`; `offsets[value.length]` is the end of the scalar's content. Characters produced by folding a
 * line break point at that line break; escapes point at their backslash.
 *
 * The result is checked against the parser's own value; if they ever disagree, the mapping falls
 * back to an approximate alignment and says so (`exact: false`), rather than pointing at garbage.
 */
import type { ScalarSource } from './located.ts';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface MappedText {
  text: string;
  offsets: number[];
  style: ScalarStyle;
  exact: boolean;
}

interface SourceToken {
  type: string;
  offset: number;
  indent: number;
  source: string;
  props?: { type: string; offset: number; source: string }[];
}

const STYLE_OF: Record<string, ScalarStyle> = {
  scalar: 'plain',
  'single-quoted-scalar': 'single',
  'double-quoted-scalar': 'double',
};

export function mapScalar(node: ScalarSource): MappedText {
  const token = (node as unknown as { srcToken?: SourceToken }).srcToken;
  const value = scalarString(node);
  if (!token) {
    // An empty node (`key:`) has no token; its empty text is trivially exact.
    const at = node.range?.[0] ?? 0;
    if (value === '') return { text: '', offsets: [at], style: 'plain', exact: true };
    return approximate(value, at, '', 'plain');
  }
  if (token.type === 'block-scalar') return mapBlock(token, value);
  const style = STYLE_OF[token.type] ?? 'plain';
  const mapped = scanFlow(token.source, token.offset, style);
  if (mapped.text === value) return { ...mapped, style, exact: true };
  return approximate(value, token.offset, token.source, style);
}

/** The string a scalar holds, as the script text it maps (numbers and booleans as written). */
export function scalarString(node: ScalarSource): string {
  if (typeof node.value === 'string') return node.value;
  if (typeof node.source === 'string') return node.source;
  return node.value === null || node.value === undefined ? '' : String(node.value);
}

const isWhite = (c: string | undefined) => c === ' ' || c === '\t';
/**
 * Length of the line break at `at` (0 when there is none). Like the parser, only `\n` and `\r\n`
 * break lines; a lone `\r` is an ordinary content character.
 */
const breakAt = (source: string, at: number) =>
  source[at] === '\n' ? 1 : source[at] === '\r' && source[at + 1] === '\n' ? 2 : 0;

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * Flow scalars: one scanner, three quoting modes. It follows the `yaml` package's own
 * resolveFlowScalar (its value is the one we must reproduce), including where that differs from the
 * letter of the spec: a lone `\r` is content, and after an escaped line break only the white space
 * of the next line is skipped (a following empty line then folds like any other line break).
 */
function scanFlow(source: string, base: number, style: ScalarStyle): { text: string; offsets: number[] } {
  const out: string[] = [];
  const offs: number[] = [];
  const emit = (s: string, at: number) => {
    for (const ch of s) {
      // a character outside the BMP is two UTF-16 units in the value
      for (let k = 0; k < ch.length; k++) {
        out.push(ch[k]!);
        offs.push(at);
      }
    }
  };
  /** Copies source units one by one, each pointing at itself (content, or an invalid escape kept raw). */
  const emitRaw = (from: number, to: number) => {
    for (let k = from; k < to; k++) {
      out.push(source[k]!);
      offs.push(base + k);
    }
  };
  let i = style === 'plain' ? 0 : 1;
  let end = style === 'plain' ? source.length : source.length - 1;
  if (style !== 'plain' && (source.length < 2 || source[end] !== (style === 'single' ? "'" : '"')))
    end = source.length; // unterminated
  let pending: number[] = []; // offsets of white space not yet known to be content

  const flushPending = () => {
    for (const at of pending) emit(source[at - base]!, at);
    pending = [];
  };

  /** At a line break: fold it and the empty lines after it; returns the index of the next content. */
  const fold = (at: number): number => {
    let j = at + breakAt(source, at);
    const breaks: number[] = [];
    for (;;) {
      let k = j;
      while (k < end && isWhite(source[k])) k++;
      const n = k < end ? breakAt(source, k) : 0;
      if (n > 0) {
        breaks.push(base + k);
        j = k + n;
        continue;
      }
      j = k;
      break;
    }
    if (breaks.length > 0) for (const b of breaks) emit('\n', b);
    else emit(' ', base + at);
    return j;
  };

  while (i < end) {
    const c = source[i]!;
    if (style === 'double' && c === '\\') {
      const n = source[i + 1];
      if (n === undefined) break;
      const escapedBreak = breakAt(source, i + 1);
      if (escapedBreak > 0) {
        // An escaped line break adds nothing; the next line's leading white space is skipped.
        flushPending();
        i += 1 + escapedBreak;
        while (i < end && isWhite(source[i])) i++;
        continue;
      }
      const simple = SIMPLE_ESCAPES[n];
      if (simple !== undefined) {
        flushPending();
        emit(simple, base + i);
        i += 2;
        continue;
      }
      const hexLen = HEX_ESCAPE_LENGTH[n];
      if (hexLen !== undefined) {
        flushPending();
        const digits = source.slice(i + 2, i + 2 + hexLen);
        const code =
          digits.length === hexLen && /^[0-9a-fA-F]+$/.test(digits) ? Number.parseInt(digits, 16) : -1;
        if (code >= 0 && code <= 0x10ffff) emit(String.fromCodePoint(code), base + i);
        else emitRaw(i, Math.min(i + 2 + hexLen, source.length)); // the parser keeps a bad escape as written
        i += 2 + hexLen;
        continue;
      }
      flushPending();
      emitRaw(i, i + 2); // unknown escape: kept as written (the parser reports it)
      i += 2;
      continue;
    }
    if (style === 'single' && c === "'" && source[i + 1] === "'") {
      flushPending();
      emit("'", base + i);
      i += 2;
      continue;
    }
    if (breakAt(source, i) > 0) {
      pending = []; // white space before a line break is not content
      i = fold(i);
      continue;
    }
    if (isWhite(c)) {
      pending.push(base + i);
      i++;
      continue;
    }
    flushPending();
    emit(c, base + i);
    i++;
  }
  if (style !== 'plain') flushPending(); // white space before the closing quote is content
  offs.push(base + Math.min(end, source.length));
  return { text: out.join(''), offsets: offs };
}

interface BlockLine {
  start: number; // offset of the line's first character
  text: string; // without the line break
  breakAt: number | null; // offset of its line break, if it has one
  spaces: number; // leading spaces (tabs are never indentation)
}

/**
 * Block scalars, following the parser's resolveBlockScalar: the content indentation is the parent's
 * indentation plus the indicator when there is one, else the leading spaces of the first line
 * that has anything but spaces on it.
 */
function mapBlock(token: SourceToken, value: string): MappedText {
  const header = token.props?.find((p) => p.type === 'block-scalar-header');
  const headerText = header?.source ?? '|';
  const style: ScalarStyle = headerText.startsWith('>') ? 'folded' : 'literal';
  const chomp = headerText.includes('-') ? 'strip' : headerText.includes('+') ? 'keep' : 'clip';
  const digit = /[1-9]/.exec(headerText)?.[0];
  const newline = token.props?.find((p) => p.type === 'newline');
  const contentStart = newline ? newline.offset + newline.source.length : token.offset;
  const lines = splitLines(token.source, contentStart);
  const endOffset = contentStart + token.source.length;

  let indent = 0;
  if (digit) indent = token.indent + Number(digit);
  else {
    const first = lines.find((l) => l.text.length > l.spaces);
    indent = first ? first.spaces : 0;
  }
  const mapped = buildBlock(lines, indent, style, chomp, endOffset, token.source.length > 0);
  if (mapped.text === value) return { ...mapped, style, exact: true };
  return approximate(value, contentStart, token.source, style);
}

/** Lines split at `\n`; a `\r` right before it (CRLF) is part of the break, not of the text. */
function splitLines(source: string, base: number): BlockLine[] {
  const lines: BlockLine[] = [];
  let i = 0;
  while (i < source.length) {
    let j = source.indexOf('\n', i);
    if (j === -1) j = source.length;
    let textEnd = j;
    // The parser drops one `\r` before each `\n`, and also one ending the file.
    if (textEnd > i && source[textEnd - 1] === '\r') textEnd--;
    const text = source.slice(i, textEnd);
    let spaces = 0;
    while (text[spaces] === ' ') spaces++;
    lines.push({ start: base + i, text, breakAt: j < source.length ? base + textEnd : null, spaces });
    i = j + 1;
  }
  return lines;
}

function buildBlock(
  lines: BlockLine[],
  indent: number,
  style: ScalarStyle,
  chomp: 'strip' | 'clip' | 'keep',
  endOffset: number,
  hasSource: boolean,
): { text: string; offsets: number[] } {
  const out: string[] = []; // pieces of the text: a line's content at once, not character by character
  const offs: number[] = [];
  const emitText = (line: BlockLine) => {
    if (indent < line.text.length) out.push(line.text.slice(indent));
    for (let k = indent; k < line.text.length; k++) offs.push(line.start + k);
  };
  // Empty: nothing but spaces, and no more of them than the indentation. (A line with more spaces is
  // content: spaces in a literal, a more-indented line in a folded scalar.)
  // When no line has anything but spaces, the parser takes every line as empty, however indented.
  const blank = lines.every((l) => l.text.length === l.spaces);
  const isEmpty = (l: BlockLine) => l.text.length === l.spaces && (blank || l.spaces <= indent);
  const isSpaced = (l: BlockLine) => isWhite(l.text[indent]);
  let lastContent = -1;
  for (let k = lines.length - 1; k >= 0; k--) {
    if (!isEmpty(lines[k]!)) {
      lastContent = k;
      break;
    }
  }
  let prev: BlockLine | null = null;
  let emptiesSincePrev: BlockLine[] = [];
  for (let k = 0; k <= lastContent; k++) {
    const line = lines[k]!;
    if (isEmpty(line)) {
      emptiesSincePrev.push(line);
      continue;
    }
    if (prev === null) {
      for (const e of emptiesSincePrev) pushBreak(out, offs, e);
    } else if (style === 'folded' && !isSpaced(prev) && !isSpaced(line)) {
      if (emptiesSincePrev.length === 0) {
        out.push(' ');
        offs.push(prev.breakAt ?? prev.start + prev.text.length);
      } else for (const e of emptiesSincePrev) pushBreak(out, offs, e);
    } else {
      pushBreak(out, offs, prev);
      for (const e of emptiesSincePrev) pushBreak(out, offs, e);
    }
    emptiesSincePrev = [];
    emitText(line);
    prev = line;
  }
  // The parser adds the final line break for clip/keep even when the file ends without one.
  if (prev !== null && chomp !== 'strip') pushBreak(out, offs, prev);
  if (chomp === 'keep') {
    let kept = 0;
    for (let k = Math.max(lastContent + 1, 0); k < lines.length; k++) {
      if (lines[k]!.breakAt !== null) {
        pushBreak(out, offs, lines[k]!);
        kept++;
      }
    }
    // Keep with no content at all still yields one line break when there is any source (as the parser does).
    if (prev === null && kept === 0 && hasSource) {
      out.push('\n');
      offs.push(endOffset);
    }
  }
  // The end: after the last content character, or after the last kept line break (keep chomping).
  const contentEnd = prev ? prev.start + prev.text.length : endOffset;
  offs.push(Math.max(contentEnd, offs.length > 0 ? offs[offs.length - 1]! : contentEnd));
  return { text: out.join(''), offsets: offs };
}

function pushBreak(out: string[], offs: number[], line: BlockLine) {
  out.push('\n');
  offs.push(line.breakAt ?? line.start + line.text.length);
}

/**
 * Last resort: align the value with its source greedily (each value character to the next equal
 * source character within a short window). Positions stay monotonic and inside the scalar.
 */
function approximate(value: string, base: number, source: string, style: ScalarStyle): MappedText {
  const offsets: number[] = [];
  let j = 0;
  for (let i = 0; i < value.length; i++) {
    const found = source.indexOf(value[i]!, j);
    if (found !== -1 && found - j <= 8) j = found;
    offsets.push(base + Math.min(j, Math.max(source.length - 1, 0)));
    if (found !== -1 && found === j) j++;
  }
  offsets.push(base + source.length);
  return { text: value, offsets, style, exact: false };
}
