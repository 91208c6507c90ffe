/**
 * A POSIX-shell tokenizer that keeps offsets. It knows quotes, escapes, `$( )`, `${ }`, backticks,
 * `$(( ))`, comments, line continuations and here-documents (whose bodies are data, never commands),
 * and treats CI template expressions (`${{ … }}` on GitHub, `$[[ … ]]` on GitLab) as opaque text.
 * It never throws: anything unterminated runs to the end of the input.
 */

export interface Word {
  kind: 'word';
  /** [start, end) in the tokenized text. */
  start: number;
  end: number;
  /** The word after quote removal; expansions (`$X`, `$(…)`, `${{ … }}`) are kept verbatim. */
  value: string;
  /**
   * value index → text index, length value.length + 1. Absent when the value is the text as written
   * (character k at start + k), as most words are: a script's words live as long as its analysis,
   * and a map per plain word was about a tenth of what a run kept past a scavenge. Read it with
   * textIndex().
   */
  valueMap?: number[];
  /** True when any part was quoted or escaped. */
  quoted: boolean;
  /** A glob character (`*`, `?`, `[`) was quoted or escaped: in a pattern it stands for itself. */
  quotedGlob?: true;
  /** True when the word contains an expansion outside single quotes (its run-time value may differ). */
  dynamic: boolean;
  /** How many leading value characters are plain, unquoted text (`A=1` has 2 before `=`; `"A"=1` has 0). */
  literalPrefix: number;
  /** A word of a variable's known value, put where the variable was written (engine/program-variable.ts). */
  fromVariable?: true;
}

export interface HereDoc {
  delimiter: string;
  /** Whether the body is expanded (unquoted delimiter). */
  expands: boolean;
  body: string;
  /** [start, end) of the body in the text. */
  start: number;
  end: number;
}

export interface Operator {
  kind: 'op';
  op: string;
  start: number;
  end: number;
  /** For `<<` / `<<-`: the here-document this operator opens. */
  heredoc?: HereDoc;
  /** The file descriptor written before a redirection (`2>`): which output it redirects. */
  fd?: number;
}

export type Token = Word | Operator;

/** Where value character `k` of `word` is in the text (`k` = value.length: the word's end). */
export function textIndex(word: Word, k: number): number {
  return word.valueMap ? word.valueMap[k]! : word.start + k;
}

const CONTROL_OPS = ['&&', '||', ';;&', ';;', ';&', '|&', ';', '|', '&', '(', ')'];
const REDIRECT_OPS = ['<<<', '<<-', '<<', '<&', '<>', '&>>', '&>', '>>', '>&', '>|', '<', '>'];
const ALL_OPS = [...REDIRECT_OPS, ...CONTROL_OPS].sort((a, b) => b.length - a.length);

export const isRedirect = (t: Token | undefined): boolean => t?.kind === 'op' && REDIRECT_OPS.includes(t.op);

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isOpStart = (c: string | undefined) =>
  c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '<' || c === '>' || c === '\n';

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pendingHeredocs: { op: Operator; delimiter: Word }[] = [];
  let i = 0;
  const n = text.length;

  while (i < n) {
    const c = text[i]!;
    if (isBlank(c) || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2; // line continuation between words
      continue;
    }
    if (c === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') {
      i += 3;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++; // comment: up to, not including, the newline
      continue;
    }
    if (c === '\n') {
      tokens.push({ kind: 'op', op: '\n', start: i, end: i + 1 });
      i++;
      if (pendingHeredocs.length > 0) i = readHeredocBodies(text, i, pendingHeredocs.splice(0));
      continue;
    }
    // `(( … ))` arithmetic (and `for (( … ))`): one opaque word, never commands
    if (c === '(' && text[i + 1] === '(' && atCommandStart(tokens)) {
      const end = skipBalanced(text, i, '(', ')');
      tokens.push(opaqueWord(text, i, end));
      i = end;
      continue;
    }
    if (isOpStart(c) && !((c === '<' || c === '>') && text[i + 1] === '(')) {
      const op = ALL_OPS.find((o) => text.startsWith(o, i))!;
      const token: Operator = { kind: 'op', op, start: i, end: i + op.length };
      tokens.push(token);
      i += op.length;
      if (op === '<<' || op === '<<-') {
        const delimiter = peekWord(text, i);
        if (delimiter) pendingHeredocs.push({ op: token, delimiter });
      }
      continue;
    }
    // A word. Digits right before a redirection (`2>&1`) are its file descriptor.
    const word = readWord(text, i);
    const next = text[word.end];
    if (/^\d+$/.test(text.slice(word.start, word.end)) && (next === '<' || next === '>')) {
      const op = ALL_OPS.find((o) => text.startsWith(o, word.end))!;
      const fd = Number(text.slice(word.start, word.end));
      tokens.push({ kind: 'op', op, start: word.start, end: word.end + op.length, fd });
      i = word.end + op.length;
      continue;
    }
    tokens.push(word);
    i = word.end;
    // `[[ … ]]`: `&&`, `||`, `<`, `(` … inside are operands of the test, not shell operators
    if (word.value === '[[' && !word.quoted) {
      for (;;) {
        while (isBlank(text[i]) || continuationAt(text, i) > 0) i += continuationAt(text, i) || 1;
        if (i >= n || text[i] === '\n') break;
        const operand = readWord(text, i, true);
        if (operand.end === i) break;
        tokens.push(operand);
        i = operand.end;
        if (operand.value === ']]' && !operand.quoted) break;
      }
    }
  }
  return tokens;
}

/** True when the next token would start a command (nothing yet, or after an operator or `for`). */
function atCommandStart(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return !last || last.kind === 'op' || (last.value === 'for' && !last.quoted);
}

function opaqueWord(text: string, start: number, end: number): Word {
  return {
    kind: 'word',
    start,
    end,
    value: text.slice(start, end),
    quoted: false,
    dynamic: true,
    literalPrefix: 0,
  };
}

function peekWord(text: string, from: number): Word | null {
  let i = from;
  while (isBlank(text[i])) i++;
  if (i >= text.length || text[i] === '\n' || isOpStart(text[i])) return null;
  return readWord(text, i);
}

function readHeredocBodies(text: string, from: number, docs: { op: Operator; delimiter: Word }[]): number {
  let i = from;
  for (const { op, delimiter } of docs) {
    const stripTabs = op.op === '<<-';
    const bodyStart = i;
    let bodyEnd = text.length;
    let after = text.length;
    while (i < text.length) {
      let lineEnd = text.indexOf('\n', i);
      if (lineEnd === -1) lineEnd = text.length;
      let line = text.slice(i, lineEnd).replace(/\r$/, '');
      if (stripTabs) line = line.replace(/^\t+/, '');
      if (line === delimiter.value) {
        bodyEnd = i;
        after = Math.min(lineEnd + 1, text.length);
        break;
      }
      i = lineEnd + 1;
    }
    op.heredoc = {
      delimiter: delimiter.value,
      expands: !delimiter.quoted,
      body: text.slice(bodyStart, bodyEnd),
      start: bodyStart,
      end: bodyEnd,
    };
    i = after;
  }
  return i;
}

/** Reads one word starting at `start` (which is not blank, not an operator, not a comment). */
export function readWord(text: string, start: number, insideTest = false): Word {
  return readPlainWord(text, start, insideTest) ?? readAnyWord(text, start, insideTest);
}

const GLOB_CHARS = new Set(['*', '?', '[']);

/** Characters after which a word is not plain text: readAnyWord must read it. */
const NOT_PLAIN = new Set(['\\', "'", '"', '$', '`', '<', '>', '(', ']']);

/**
 * Most words are plain text (`pip`, `install`, `-r`, `requirements.txt`): read those with one slice
 * rather than character by character. Null when the word has anything readAnyWord must look at.
 */
function readPlainWord(text: string, start: number, insideTest: boolean): Word | null {
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (isBlank(c) || c === '\n' || (c === '\r' && text[i + 1] === '\n')) break;
    if (NOT_PLAIN.has(c) || (isOpStart(c) && insideTest)) return null;
    if (isOpStart(c)) break;
  }
  return {
    kind: 'word',
    start,
    end: i,
    value: text.slice(start, i),
    quoted: false,
    dynamic: false,
    literalPrefix: i - start,
  };
}

/** Any word, character by character: quotes, escapes, expansions, line continuations. */
export function readAnyWord(text: string, start: number, insideTest = false): Word {
  const value: string[] = [];
  const map: number[] = [];
  let quoted = false;
  let quotedGlob = false;
  let dynamic = false;
  let literalPrefix = -1; // fixed at the first quote, escape or expansion
  let i = start;
  // End of the last real content: a word never ends with a line continuation (`a\<newline> b`).
  let contentEnd = start;
  let continued = false;
  const n = text.length;
  const put = (s: string, at: number) => {
    for (let k = 0; k < s.length; k++) {
      value.push(s[k]!);
      map.push(at + k);
    }
  };
  const putRange = (from: number, to: number) => {
    for (let k = from; k < to; k++) {
      value.push(text[k]!);
      map.push(k);
    }
  };

  for (; i < n; contentEnd = continued ? contentEnd : i) {
    continued = false;
    const c = text[i]!;
    if (isBlank(c) || c === '\n' || (c === '\r' && text[i + 1] === '\n')) break;
    // the closing `]]` of a test ends there: `]];` is `]]` then `;`
    if (insideTest && value.length === 0 && text.startsWith(']]', i)) {
      put(']]', i);
      i += 2;
      contentEnd = i;
      break;
    }
    // `<( … )` / `>( … )` process substitution: part of the word, like `$( … )`
    if ((c === '<' || c === '>') && text[i + 1] === '(') {
      if (literalPrefix < 0) literalPrefix = value.length;
      const end = skipBalanced(text, i + 1, '(', ')');
      dynamic = true;
      putRange(i, end);
      i = end;
      continue;
    }
    if (isOpStart(c) && !insideTest) {
      // `NAME=(…)` / `NAME+=(…)`: a bash array assignment; its elements are words, not a command
      if (c === '(' && !quoted && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(value.join(''))) {
        const end = skipBalanced(text, i, '(', ')');
        dynamic = true;
        putRange(i, end);
        i = end;
        continue;
      }
      break;
    }
    if (c === '\\') {
      const len = continuationAt(text, i);
      if (len > 0) {
        i += len;
        continued = true;
        continue;
      }
      quoted = true;
      if (literalPrefix < 0) literalPrefix = value.length;
      // a trailing backslash has nothing to escape and stays literal
      if (GLOB_CHARS.has(text[i + 1] ?? '')) quotedGlob = true;
      put(text[i + 1] ?? '\\', i + 1 < n ? i + 1 : i);
      i = Math.min(i + 2, n);
      continue;
    }
    if (c === "'") {
      quoted = true;
      if (literalPrefix < 0) literalPrefix = value.length;
      const close = text.indexOf("'", i + 1);
      const end = close === -1 ? n : close;
      if (/[*?[]/.test(text.slice(i + 1, end))) quotedGlob = true;
      putRange(i + 1, end);
      i = close === -1 ? n : close + 1;
      continue;
    }
    if (c === '"') {
      quoted = true;
      if (literalPrefix < 0) literalPrefix = value.length;
      i++;
      while (i < n && text[i] !== '"') {
        const d = text[i]!;
        if (d === '\\' && i + 1 < n) {
          const len = continuationAt(text, i);
          if (len > 0) {
            i += len;
            continue;
          }
          const e = text[i + 1]!;
          if (e === '$' || e === '`' || e === '"' || e === '\\') {
            put(e, i + 1);
            i += 2;
            continue;
          }
          put('\\', i);
          i++;
          continue;
        }
        if (d === '$' || d === '`') {
          const end = skipExpansion(text, i);
          if (end > i + 1 || d === '`') dynamic = true;
          putRange(i, end);
          i = end;
          continue;
        }
        if (GLOB_CHARS.has(d)) quotedGlob = true;
        put(d, i);
        i++;
      }
      i = Math.min(i + 1, n); // closing quote
      continue;
    }
    if (c === '$' && text[i + 1] === "'") {
      quoted = true;
      quotedGlob = true; // what $'…' decodes to is not looked at: taken as literal
      if (literalPrefix < 0) literalPrefix = value.length;
      i = readAnsiC(text, i + 2, put);
      continue;
    }
    if (c === '$' || c === '`') {
      const end = skipExpansion(text, i);
      if (end > i + 1 || c === '`') {
        dynamic = true;
        if (literalPrefix < 0) literalPrefix = value.length;
      }
      putRange(i, end);
      i = end;
      continue;
    }
    put(c, i);
    i++;
  }
  map.push(contentEnd);
  const text_ = value.join('');
  // `$X`, `$(…)` and the like are kept as written: such a word needs no map either
  const asWritten = map.every((at, k) => at === start + k);
  return {
    kind: 'word',
    start,
    end: contentEnd,
    value: text_,
    ...(asWritten ? {} : { valueMap: map }),
    quoted,
    ...(quotedGlob ? { quotedGlob: true as const } : {}),
    dynamic,
    literalPrefix: literalPrefix < 0 ? text_.length : literalPrefix,
  };
}

/** Length of a line continuation (`\\\n` or `\\\r\n`) at `i`, or 0. */
function continuationAt(text: string, i: number): number {
  if (text[i] !== '\\') return 0;
  if (text[i + 1] === '\n') return 2;
  if (text[i + 1] === '\r' && text[i + 2] === '\n') return 3;
  return 0;
}

function readAnsiC(text: string, from: number, put: (s: string, at: number) => void): number {
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    '\\': '\\',
    "'": "'",
    '"': '"',
    '?': '?',
    a: '\x07',
    b: '\b',
    e: '\x1b',
    E: '\x1b',
    f: '\f',
    v: '\v',
  };
  let i = from;
  while (i < text.length && text[i] !== "'") {
    if (text[i] === '\\' && i + 1 < text.length) {
      const e = text[i + 1]!;
      const s = simple[e];
      if (s !== undefined) {
        put(s, i);
        i += 2;
        continue;
      }
      // \xHH, \uHHHH, \UHHHHHHHH and octal \NNN, as bash reads them
      const numeric =
        /^x([0-9a-fA-F]{1,2})/.exec(text.slice(i + 1, i + 4)) ??
        /^u([0-9a-fA-F]{1,4})/.exec(text.slice(i + 1, i + 6)) ??
        /^U([0-9a-fA-F]{1,8})/.exec(text.slice(i + 1, i + 10));
      const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
      const code = numeric
        ? Number.parseInt(numeric[1]!, 16)
        : octal
          ? Number.parseInt(octal[0], 8)
          : undefined;
      if (code !== undefined) {
        // one value character (or a surrogate pair), all mapped to the backslash
        put(code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd', i);
        i += 1 + (numeric ?? octal)![0].length;
        continue;
      }
      put(e, i);
      i += 2;
      continue;
    }
    put(text[i]!, i);
    i++;
  }
  return Math.min(i + 1, text.length);
}

/**
 * Expansions nested deeper than this (`"$(echo "$(echo "$(…`) are read as running to the end of the
 * text: real scripts nest a few levels, and the skip functions below recurse once per level.
 */
const MAX_EXPANSION_DEPTH = 200;

/**
 * Given `text[i]` is `$` or a backtick, returns the index just past the expansion. Handles `${{ }}`,
 * `$[[ ]]`, `$(( ))`, `$( )`, `${ }`, `$NAME`, `$1`, `$@`… A lone `$` is just itself.
 */
export function skipExpansion(text: string, i: number, depth = 0): number {
  const n = text.length;
  if (text[i] === '`') {
    let j = i + 1;
    while (j < n && text[j] !== '`') j += text[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, n);
  }
  const next = text[i + 1];
  if (next === '{' && text[i + 2] === '{') return closeAfter(text, i + 3, '}}');
  if (next === '[' && text[i + 2] === '[') return closeAfter(text, i + 3, ']]');
  if (depth > MAX_EXPANSION_DEPTH) return n;
  if (next === '(') return skipBalanced(text, i + 1, '(', ')', depth);
  if (next === '{') return skipBalanced(text, i + 1, '{', '}', depth);
  if (next !== undefined && /[A-Za-z_]/.test(next)) {
    let j = i + 2;
    while (j < n && /[A-Za-z0-9_]/.test(text[j]!)) j++;
    return j;
  }
  if (next !== undefined && /[0-9@*#?$!-]/.test(next)) return i + 2;
  return i + 1;
}

function closeAfter(text: string, from: number, close: string): number {
  const j = text.indexOf(close, from);
  return j === -1 ? text.length : j + close.length;
}

/** From the `(` at `open`, the index just past its matching `)` (for `<( … )`). */
export function skipBalancedFrom(text: string, open: number): number {
  return skipBalanced(text, open, '(', ')');
}

/** From an opening bracket at `open`, skip to just past its match, respecting quotes and nesting. */
function skipBalanced(text: string, open: number, o: string, c: string, nesting = 0): number {
  let depth = 0;
  let i = open;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      i = close === -1 ? n : close + 1;
      continue;
    }
    if (ch === '"') {
      i = skipDoubleQuoted(text, i, nesting + 1);
      continue;
    }
    if (ch === '`' || (ch === '$' && text[i + 1] !== o)) {
      // a nested expansion may hold quotes and brackets of its own (`$(echo "$(echo ")")")`)
      const end = skipExpansion(text, i, nesting + 1);
      if (end > i + 1) {
        i = end;
        continue;
      }
    }
    if (ch === o) depth++;
    else if (ch === c) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return n;
}

/** From an opening `"` at `i`, the index just past its closing quote; nested expansions are skipped whole. */
function skipDoubleQuoted(text: string, i: number, depth: number): number {
  const n = text.length;
  let j = i + 1;
  while (j < n && text[j] !== '"') {
    const ch = text[j]!;
    if (ch === '\\') j += 2;
    else if (ch === '$' || ch === '`') j = Math.max(skipExpansion(text, j, depth + 1), j + 1);
    else j++;
  }
  return Math.min(j + 1, n);
}
