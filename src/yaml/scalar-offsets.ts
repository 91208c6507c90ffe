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
import type { Scalar } from 'yaml';

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

export function mapScalar(node: Scalar): MappedText {
  const token = (node as unknown as { srcToken?: SourceToken }).srcToken;
  const value = scalarString(node);
  if (!token) return approximate(value, node.range?.[0] ?? 0, '', 'plain');
  if (token.type === 'block-scalar') return mapBlock(token, value);
  const style = STYLE_OF[token.type] ?? 'plain';
  const mapped = scanFlow(token.source, token.offset, style);
  if (mapped.text === value) return { ...mapped, style, exact: true };
  return approximate(value, token.offset, token.source, style);
}

function scalarString(node: Scalar): string {
  if (typeof node.value === 'string') return node.value;
  if (typeof node.source === 'string') return node.source;
  return node.value === null || node.value === undefined ? '' : String(node.value);
}

const isBreak = (c: string | undefined) => c === '\n' || c === '\r';
const isWhite = (c: string | undefined) => c === ' ' || c === '\t';

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

/** Flow scalars: one scanner, three quoting modes. */
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
  let i = style === 'plain' ? 0 : 1;
  let end = style === 'plain' ? source.length : source.length - 1;
  if (style !== 'plain' && source[end] !== (style === 'single' ? "'" : '"')) end = source.length; // unterminated
  let pending: number[] = []; // offsets of white space not yet known to be content

  const flushPending = () => {
    for (const at of pending) emit(source[at - base]!, at);
    pending = [];
  };
  const breakLength = (at: number) => (source[at] === '\r' && source[at + 1] === '\n' ? 2 : 1);

  /** At a line break: fold it and the empty lines after it; returns the index of the next content. */
  const fold = (at: number, escaped: boolean): number => {
    let j = at + breakLength(at);
    const breaks: number[] = [];
    for (;;) {
      let k = j;
      while (k < end && isWhite(source[k])) k++;
      if (k < end && isBreak(source[k])) {
        breaks.push(base + k);
        j = k + breakLength(k);
        continue;
      }
      j = k;
      break;
    }
    if (breaks.length > 0) for (const b of breaks) emit('\n', b);
    else if (!escaped) emit(' ', base + at);
    return j;
  };

  while (i < end) {
    const c = source[i]!;
    if (style === 'double' && c === '\\') {
      const n = source[i + 1];
      if (n === undefined) break;
      if (isBreak(n)) {
        flushPending();
        i = fold(i + 1, true);
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
        const code = Number.parseInt(source.slice(i + 2, i + 2 + hexLen), 16);
        flushPending();
        if (Number.isFinite(code)) emit(String.fromCodePoint(code), base + i);
        i += 2 + hexLen;
        continue;
      }
      flushPending();
      emit(n, base + i);
      i += 2;
      continue;
    }
    if (style === 'single' && c === "'" && source[i + 1] === "'") {
      flushPending();
      emit("'", base + i);
      i += 2;
      continue;
    }
    if (isBreak(c)) {
      pending = []; // white space before a line break is not content
      i = fold(i, false);
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
}

function mapBlock(token: SourceToken, value: string): MappedText {
  const header = token.props?.find((p) => p.type === 'block-scalar-header');
  const headerText = header?.source ?? '|';
  const style: ScalarStyle = headerText.startsWith('>') ? 'folded' : 'literal';
  const chomp = headerText.includes('-') ? 'strip' : headerText.includes('+') ? 'keep' : 'clip';
  const digit = /\d/.exec(headerText)?.[0];
  const newline = token.props?.find((p) => p.type === 'newline');
  const contentStart = newline ? newline.offset + newline.source.length : token.offset;
  const lines = splitLines(token.source, contentStart);

  const candidates: number[] = [];
  if (digit) {
    for (const parent of [token.indent, token.indent + 1, token.indent + 2, 0])
      candidates.push(parent + Number(digit));
  } else {
    const first = lines.find((l) => l.text.trim() !== '');
    candidates.push(first ? first.text.length - first.text.trimStart().length : 0);
  }
  for (let n = 0; n <= 16; n++) candidates.push(n);
  for (const indent of candidates) {
    const mapped = buildBlock(lines, indent, style, chomp, contentStart + token.source.length);
    if (mapped.text === value) return { ...mapped, style, exact: true };
  }
  return approximate(value, contentStart, token.source, style);
}

function splitLines(source: string, base: number): BlockLine[] {
  const lines: BlockLine[] = [];
  let i = 0;
  while (i < source.length) {
    let j = i;
    while (j < source.length && !isBreak(source[j])) j++;
    lines.push({ start: base + i, text: source.slice(i, j), breakAt: j < source.length ? base + j : null });
    i = j + (source[j] === '\r' && source[j + 1] === '\n' ? 2 : 1);
  }
  return lines;
}

function buildBlock(
  lines: BlockLine[],
  indent: number,
  style: ScalarStyle,
  chomp: 'strip' | 'clip' | 'keep',
  endOffset: number,
): { text: string; offsets: number[] } {
  const out: string[] = [];
  const offs: number[] = [];
  const emitText = (line: BlockLine) => {
    for (let k = indent; k < line.text.length; k++) {
      out.push(line.text[k]!);
      offs.push(line.start + k);
    }
  };
  const isEmpty = (l: BlockLine) => l.text.length <= indent && l.text.trim() === '';
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
    for (let k = Math.max(lastContent + 1, 0); k < lines.length; k++) {
      if (lines[k]!.breakAt !== null) pushBreak(out, offs, lines[k]!);
    }
  }
  offs.push(prev ? prev.start + prev.text.length : endOffset);
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
