/**
 * A fast path for the YAML nearly every CI file is written in: one document of block maps and
 * sequences, plain scalars (continued on more indented lines too), one-line quoted scalars,
 * `|`/`>` block scalars, one-line flow collections, anchors, aliases, merge keys and `!reference`.
 * It builds the same located tree that yaml's parser and composer give (located.ts), several times
 * faster, and gives up — returns undefined — on anything else or anything doubtful (tabs, a `\r`
 * outside CRLF line breaks (crlf.ts), several documents, multi-line quoted scalars, other tags,
 * complex keys, odd indentation, comments whose place in yaml's tree we do not follow …), so that
 * yaml parses the file and reports its errors exactly as before. It never reports an error itself.
 *
 * Values come from yaml's own resolvers (the core schema's tag tests, `CST.resolveAsScalar`), so a
 * scalar means the same on both paths; test/yaml-fast-parse.test.ts checks the two trees are equal
 * on the corpus, the fixtures, generated files and their mutations.
 */
import { CST, Document, type DocumentOptions, isScalar, type SchemaOptions } from 'yaml';
import { lfTwin, relocateToCrlf } from './crlf.ts';
import type { LMap, LNode, LScalar, LSeq, ScalarSource } from './located.ts';
import { applyMerges } from './located.ts';
import { MAX_NESTING } from './nesting.ts';

/** Thrown (once per file at most) to leave the fast path. */
const GIVE_UP = Symbol('not in the fast subset');

/** yaml's limit on an implicit key's length; longer keys are its error, so its path. */
const MAX_KEY_LENGTH = 1000;

/** Characters that make the fast path give up anywhere in a file (yaml treats each specially). */
const UNSUPPORTED_CHARACTERS = /[\t\r\0-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufeff]/;
/** Document markers and directives, at a line start (global: searched from after a leading `---`). */
const DOCUMENT_MARKERS = /^(?:---|\.\.\.|%)/gm;

interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  resolve: (source: string, onError: (message: string) => void, options: unknown) => unknown;
}

interface ScalarResolver {
  /** The tags yaml tries, in order, on a plain scalar with no tag of its own. */
  implicit: ScalarTag[];
  /** The string tag, for everything else. */
  string: ScalarTag;
  options: unknown;
}

/** The core schema's scalar tags, as yaml's composer uses them for the same options. */
export function scalarResolver(options: DocumentOptions & SchemaOptions): ScalarResolver {
  const doc = new Document(null, options);
  const schema = doc.schema as unknown as { tags: ScalarTag[]; [key: symbol]: ScalarTag };
  const scalarKey = Object.getOwnPropertySymbols(schema).find((s) => s.description === 'yaml.scalar');
  if (!scalarKey) throw new Error('yaml: no string tag in the schema');
  return {
    // findScalarTagByTest's choice, outside a key (collection tags have no test)
    implicit: schema.tags.filter((t) => t.default === true && t.test !== undefined),
    string: schema[scalarKey]!,
    options: doc.options,
  };
}

/**
 * The document's located root, or undefined when the text is not in the fast subset (yaml then
 * parses it). Only an exactly equal tree is ever returned.
 */
export function fastParse(path: string, text: string, resolver: ScalarResolver): LNode | null | undefined {
  if (text.includes('\r')) {
    const twin = lfTwin(text);
    const root = twin && fastParse(path, twin.lf, resolver);
    if (twin && root !== undefined) relocateToCrlf(root, text, twin);
    return root;
  }
  if (UNSUPPORTED_CHARACTERS.test(text)) return undefined;
  const start = text.startsWith('---\n') ? 4 : 0;
  DOCUMENT_MARKERS.lastIndex = start;
  if (DOCUMENT_MARKERS.test(text)) return undefined;
  try {
    return new FastParser(path, text, resolver).document(start);
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

// a declared function type, so that TypeScript narrows after a call, as after `throw`
const giveUp: () => never = () => {
  throw GIVE_UP;
};

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** A content line: where its first character is, and its indentation. */
interface Line {
  start: number;
  indent: number;
}

/** A key, as written, and the colon after it. */
interface Key {
  start: number;
  end: number;
  text: string;
  /** Plain `<<`: a merge key. */
  merge: boolean;
  colon: number;
}

/** Marks an anchor whose node is being built: an alias to it would be a cycle, left to yaml. */
const BUILDING = null;

class FastParser {
  private pos = 0;
  /** Collections open around pos: deeper than yaml's path allows (parse.ts) is its to report. */
  private depth = 0;
  /** Where the node parsed last ends, as yaml counts it for the collection holding it. */
  private lastEnd = 0;
  private readonly anchors = new Map<string, LNode | typeof BUILDING>();

  constructor(
    private readonly path: string,
    private readonly text: string,
    private readonly resolver: ScalarResolver,
  ) {}

  document(start: number): LNode | null {
    const first = this.nextContent(start);
    if (!first) return giveUp(); // empty documents: yaml's business
    const root = this.blockAt(first, -1);
    if (this.nextContent(this.pos)) giveUp();
    return root;
  }

  // ---- lines ----

  /** The next line with content at or after the line start `from`; pos is left at its start. */
  private nextContent(from: number): Line | undefined {
    const text = this.text;
    let at = from;
    while (at < text.length) {
      let i = at;
      while (text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (i >= text.length) break;
      if (c === NEWLINE) {
        at = i + 1;
        continue;
      }
      if (c === HASH) {
        const end = text.indexOf('\n', i);
        if (end === -1) break;
        at = end + 1;
        continue;
      }
      this.pos = at;
      return { start: i, indent: i - at };
    }
    this.pos = text.length;
    return undefined;
  }

  /**
   * Comment lines between a collection's last item and the line that ends it (pos is at that line).
   * yaml hands them to the enclosing collection when the collection is at column 0 or each comment
   * is less indented than it: then pos goes back to `from`, for the enclosing one to look at, and
   * -1 is returned. Otherwise they stay, and the collection, as a value, ends where the next content
   * (`next`) starts, after that line's indentation and whatever blank lines come before it: that end
   * is returned. More indented comments are left to yaml.
   */
  private trailingComments(from: number, indent: number, next: Line | undefined): number {
    const text = this.text;
    let staying = false;
    for (let at = from; at < this.pos; ) {
      let i = at;
      while (text.charCodeAt(i) === SPACE) i++;
      if (text.charCodeAt(i) === HASH) {
        if (i - at > indent) giveUp();
        if (i - at === indent) staying = true;
      }
      at = this.lineEnd(at) + 1;
    }
    if (!staying || indent === 0) {
      this.pos = from;
      return -1;
    }
    return next?.start ?? text.length;
  }

  /** After a value on its line: only spaces and a comment may follow; pos moves to the next line. */
  private endOfLine(at: number): void {
    const text = this.text;
    let i = at;
    while (text.charCodeAt(i) === SPACE) i++;
    if (i < text.length && text.charCodeAt(i) !== NEWLINE) {
      if (text.charCodeAt(i) !== HASH || i === at) giveUp();
      i = text.indexOf('\n', i);
      if (i === -1) i = text.length;
    }
    this.pos = Math.min(i + 1, text.length);
    this.lastEnd = this.pos;
  }

  /** Where the line holding `at` ends (its `\n`, or the end of the text). */
  private lineEnd(at: number): number {
    const end = this.text.indexOf('\n', at);
    return end === -1 ? this.text.length : end;
  }

  private isDash(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const next = this.text.charCodeAt(at + 1);
    return next === SPACE || next === NEWLINE || at + 1 >= this.text.length;
  }

  // ---- block structure ----

  private enter(): void {
    if (++this.depth > MAX_NESTING) giveUp();
  }

  /** The node starting on its own line at `line`, inside a collection indented `parent`. */
  private blockAt(line: Line, parent: number): LNode | null {
    if (this.isDash(line.start)) return this.sequence(line.start, line.indent);
    const key = this.keyAt(line.start);
    if (key) return this.mapping(key, line.indent);
    return this.inlineValue(line.start, parent);
  }

  /** The block mapping whose first key is `first`, at column `indent`. */
  private mapping(first: Key, indent: number): LMap {
    this.enter();
    const map: LMap = { kind: 'map', path: this.path, range: [first.start, first.start], entries: new Map() };
    const merges: LNode[] = [];
    for (let key = first; ; ) {
      const { colon } = key;
      let value: LNode | null;
      let i = colon + 1;
      while (this.text.charCodeAt(i) === SPACE) i++;
      const c = this.text.charCodeAt(i);
      if (i >= this.text.length || c === NEWLINE || (c === HASH && i > colon + 1))
        value = this.valueBelow(colon + 1, indent, true);
      else value = this.inlineValue(i, indent);
      const end = this.lastEnd;
      if (key.merge) {
        if (value?.kind === 'seq') {
          for (const item of value.items) if (item) merges.push(item);
        } else if (value) merges.push(value);
      } else {
        map.entries.set(key.text, {
          key: key.text,
          keyRange: [key.start, key.end],
          value,
          merged: false,
        });
      }
      map.range[1] = end;
      const from = this.pos;
      const next = this.nextContent(from);
      if (!next || next.indent < indent) {
        this.lastEnd = this.trailingComments(from, indent, next);
        break;
      }
      if (next.indent > indent) giveUp();
      key = this.keyAt(next.start) ?? giveUp();
    }
    applyMerges(map, merges);
    if (this.lastEnd === -1) this.lastEnd = map.range[1];
    this.depth--;
    return map;
  }

  /**
   * The value of a key or item written on the lines below its indicator (which ends at `at`; the
   * rest of its line is blank or a comment): a more indented node, or (for a key) a sequence at the
   * key's own indentation; else nothing. lastEnd is left where yaml says the entry ends.
   */
  private valueBelow(at: number, indent: number, ofKey: boolean): LNode | null {
    const lineEnd = this.lineEnd(at);
    this.endOfLine(at);
    const next = this.nextContent(this.pos);
    if (next && next.indent > indent) return this.blockAt(next, indent);
    if (next && ofKey && next.indent === indent && this.isDash(next.start))
      return this.sequence(next.start, indent);
    // An empty value ends at its line's end; but yaml gives it the comments after it, and the blank
    // lines after those: then it ends where the next content starts. Before an indented line that
    // holds only where every line between is a comment deeper than the key (`before_script:` with
    // its commands commented out); with blank lines, or comments at the key's column, yaml's end
    // follows finer rules: it reads those.
    const text = this.text;
    const comment = text.indexOf('#', at);
    if (comment === -1 || comment >= this.pos) this.lastEnd = lineEnd;
    else if (!next || next.indent === 0) this.lastEnd = this.pos;
    else {
      for (let line = lineEnd + 1; line < this.pos; line = this.lineEnd(line) + 1) {
        let i = line;
        while (text.charCodeAt(i) === SPACE) i++;
        if (text.charCodeAt(i) !== HASH || i - line <= indent) giveUp();
      }
      this.lastEnd = next.start;
    }
    return null;
  }

  private sequence(first: number, indent: number): LSeq {
    this.enter();
    const seq: LSeq = { kind: 'seq', path: this.path, range: [first, first], items: [] };
    let at = first;
    for (;;) {
      let i = at + 1;
      while (this.text.charCodeAt(i) === SPACE) i++;
      const c = this.text.charCodeAt(i);
      let item: LNode | null;
      if (i >= this.text.length || c === NEWLINE || (c === HASH && i > at + 1)) {
        item = this.valueBelow(at + 1, indent, false);
      } else {
        const column = indent + (i - at); // the dash is at the sequence's column
        if (this.isDash(i)) item = this.sequence(i, column);
        else {
          const key = this.keyAt(i);
          item = key ? this.mapping(key, column) : this.inlineValue(i, indent);
        }
      }
      const end = this.lastEnd;
      seq.items.push(item);
      seq.range[1] = end;
      const from = this.pos;
      const next = this.nextContent(from);
      if (next && next.indent > indent) giveUp();
      if (!next || next.indent < indent || !this.isDash(next.start)) {
        // (a key after a sequence at its own indentation ends it too)
        this.lastEnd = this.trailingComments(from, indent, next);
        break;
      }
      at = next.start;
    }
    if (this.lastEnd === -1) this.lastEnd = seq.range[1];
    this.depth--;
    return seq;
  }

  /** A key at `at` (`name:`, `"name":`), with its colon; undefined when the line holds no key. */
  private keyAt(at: number): Key | undefined {
    const text = this.text;
    const c = text[at]!;
    if (c === '"' || c === "'") {
      const end = this.quotedEnd(at);
      if (end === -1 || text.charCodeAt(end) !== COLON || !this.spaceOrEnd(end + 1)) return undefined;
      const value = this.quoted(at, end, -1).value;
      return { start: at, end, text: String(value), merge: false, colon: end };
    }
    if (!this.plainStart(at)) return undefined;
    const end = this.lineEnd(at);
    for (let i = at; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === COLON && this.spaceOrEnd(i + 1)) {
        let last = i;
        while (text.charCodeAt(last - 1) === SPACE) last--;
        if (last - at > MAX_KEY_LENGTH) giveUp();
        const source = text.slice(at, last);
        const merge = source === '<<';
        return {
          start: at,
          end: last,
          text: merge ? source : String(this.plainValue(source)),
          merge,
          colon: i,
        };
      }
      if (ch === HASH && text.charCodeAt(i - 1) === SPACE) return undefined;
    }
    return undefined;
  }

  private spaceOrEnd(at: number): boolean {
    const c = this.text.charCodeAt(at);
    return at >= this.text.length || c === SPACE || c === NEWLINE;
  }

  /** Whether a plain scalar may start at `at` (YAML's indicators may not, but for `-x`, `:x`, `?x`). */
  private plainStart(at: number): boolean {
    const c = this.text[at]!;
    if ('-?:'.includes(c)) return !this.spaceOrEnd(at + 1);
    return !',[]{}#&*!|>\'"%@`'.includes(c);
  }

  // ---- values on the line of their key or item ----

  /** A value written at `at` on its key's or item's line; pos is left at the next line. */
  private inlineValue(at: number, parent: number): LNode | null {
    const text = this.text;
    let anchor: string | undefined;
    let tag: string | undefined;
    let i = at;
    for (;;) {
      const c = text[i];
      if (c === '&' && anchor === undefined) {
        const end = this.nameEnd(i + 1);
        anchor = text.slice(i + 1, end);
      } else if (c === '!' && tag === undefined) {
        const end = this.nameEnd(i + 1);
        tag = text.slice(i, end);
        if (tag !== '!reference') giveUp();
      } else break;
      i = this.nameEnd(i + 1);
      if (i === at || !this.spaceOrEnd(i)) giveUp();
      while (text.charCodeAt(i) === SPACE) i++;
    }
    if (anchor !== undefined) {
      if (anchor === '' || this.anchors.has(anchor)) giveUp();
      this.anchors.set(anchor, BUILDING);
    }
    const node = this.propertiedValue(i, parent, tag !== undefined || anchor !== undefined);
    if (tag !== undefined && node?.kind !== 'seq') giveUp();
    if (node && tag) node.tag = tag;
    if (anchor !== undefined) this.anchors.set(anchor, node ?? giveUp());
    return node;
  }

  private propertiedValue(at: number, parent: number, hasProps: boolean): LNode | null {
    const text = this.text;
    const c = text[at];
    if (at >= text.length || c === '\n' || (c === '#' && hasProps)) {
      if (!hasProps) giveUp();
      this.endOfLine(at);
      const next = this.nextContent(this.pos);
      if (!next || next.indent <= parent) giveUp();
      if (this.isDash(next.start)) return this.sequence(next.start, next.indent);
      return this.mapping(this.keyAt(next.start) ?? giveUp(), next.indent);
    }
    if (c === '*') {
      if (hasProps) giveUp();
      const end = this.nameEnd(at + 1);
      const target = this.anchors.get(text.slice(at + 1, end));
      if (!target) giveUp(); // unknown, or an alias inside its own anchor
      this.endOfLine(end);
      return target!;
    }
    if (c === '[' || c === '{') {
      const node = this.flow(at);
      this.endOfLine(this.pos);
      return node;
    }
    if (c === '"' || c === "'") {
      const end = this.quotedEnd(at);
      if (end === -1) giveUp();
      const node = this.quoted(at, end, parent);
      this.endOfLine(end);
      return node;
    }
    if (c === '|' || c === '>') return this.blockScalar(at, parent);
    if (!this.plainStart(at)) giveUp();
    return this.plainInBlock(at, parent);
  }

  /** An anchor's or tag's name ends at a space, a line end, or a flow indicator. */
  private nameEnd(at: number): number {
    const text = this.text;
    let i = at;
    while (i < text.length) {
      const c = text[i]!;
      if (c === ' ' || c === '\n' || c === ',' || c === '[' || c === ']' || c === '{' || c === '}') break;
      i++;
    }
    return i;
  }

  /** A one-line plain scalar in block context (the rest of the line, up to a comment). */
  private plainInBlock(at: number, parent: number): LScalar {
    const text = this.text;
    let end = this.lineEnd(at);
    let last = this.plainLineEnd(at, end);
    let commented = last < end;
    // continuation lines, more indented than the collection: one scalar, folded as yaml folds it
    let lines = 1;
    for (let next = end + 1; !commented && next < text.length; ) {
      let i = next;
      while (text.charCodeAt(i) === NEWLINE) i++; // empty lines fold into line breaks
      const start = i;
      while (text.charCodeAt(i) === SPACE) i++;
      if (i - start <= parent || i >= text.length || text.charCodeAt(i) === NEWLINE) break;
      // an indicator, a comment: yaml's to read; but `--form x` (an option on its own line) is text
      if (!/[\w$(./=~+]/.test(text[i]!) && !(text[i] === '-' && /\S/.test(text[i + 1] ?? ' '))) giveUp();
      const lineEnd = this.lineEnd(i);
      last = this.plainLineEnd(i, lineEnd);
      commented = last < lineEnd;
      end = lineEnd;
      next = end + 1;
      lines++;
    }
    while (text.charCodeAt(last - 1) === SPACE) last--;
    this.pos = Math.min(end + 1, text.length);
    this.lastEnd = this.pos;
    if (lines === 1) return this.plainScalar(at, last, parent);
    const source = text.slice(at, last);
    const token: CST.FlowScalar = { type: 'scalar', offset: at, indent: parent, source };
    const folded = CST.resolveAsScalar(token, true, giveUp) ?? giveUp();
    return this.scalar(this.plainValue(folded.value), folded.value, at, last, token);
  }

  /** Where a plain scalar's text on this line ends: at a comment, or the line's end. */
  private plainLineEnd(at: number, end: number): number {
    const text = this.text;
    for (let i = at; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON && this.spaceOrEnd(i + 1)) giveUp(); // a mapping where none may start
      if (c === HASH && text.charCodeAt(i - 1) === SPACE) return i;
    }
    return end;
  }

  private plainScalar(start: number, end: number, indent: number): LScalar {
    const source = this.text.slice(start, end);
    const value = this.plainValue(source);
    return this.scalar(value, source, start, end, { type: 'scalar', offset: start, indent, source });
  }

  /** What a plain scalar means: the first core-schema tag whose test matches, as yaml's composer does. */
  private plainValue(source: string): unknown {
    const { implicit, options } = this.resolver;
    for (const tag of implicit) {
      if (tag.test!.test(source)) {
        const resolved = tag.resolve(source, giveUp, options);
        return isScalar(resolved) ? resolved.value : resolved; // booleans come wrapped
      }
    }
    return this.stringValue(source);
  }

  private stringValue(source: string): unknown {
    return this.resolver.string.resolve(source, giveUp, this.resolver.options);
  }

  private scalar(
    value: unknown,
    source: string,
    start: number,
    end: number,
    token: CST.FlowScalar | CST.BlockScalar,
  ): LScalar {
    const node: ScalarSource = { value, source, range: [start, end, end], srcToken: token };
    return { kind: 'scalar', path: this.path, range: [start, end], value, node, mapped: undefined };
  }

  /** The offset just past the closing quote of the quoted scalar at `at` on its line, or -1. */
  private quotedEnd(at: number): number {
    const text = this.text;
    const quote = text[at];
    const end = this.lineEnd(at);
    for (let i = at + 1; i < end; i++) {
      const c = text[i];
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else return i + 1;
      }
    }
    return -1;
  }

  private quoted(start: number, end: number, indent: number): LScalar {
    const source = this.text.slice(start, end);
    const type = source[0] === '"' ? 'double-quoted-scalar' : 'single-quoted-scalar';
    const token: CST.FlowScalar = { type, offset: start, indent, source };
    const resolved = CST.resolveAsScalar(token, true, giveUp) ?? giveUp();
    return this.scalar(this.stringValue(resolved.value), resolved.value, start, end, token);
  }

  /** `|`, `|-`, `>`, `>-` and its lines: content more indented than `parent`. */
  private blockScalar(at: number, parent: number): LScalar {
    const text = this.text;
    const headerEnd = this.lineEnd(at);
    let header = headerEnd;
    while (text.charCodeAt(header - 1) === SPACE) header--;
    const headerSource = text.slice(at, header);
    if (!/^[|>]-?$/.test(headerSource)) giveUp();
    const contentStart = headerEnd + 1;
    // lines: empty ones, or indented at least as the first. After the first, a line of spaces only
    // (an editor's leftover in a script) is empty, or content if it has more spaces than the
    // indentation, as yaml reads it; before the first it is yaml's to judge (it may be an error).
    let contentIndent = -1;
    let end = contentStart; // just past the last content line
    let line = contentStart;
    while (line < text.length) {
      let i = line;
      while (text.charCodeAt(i) === SPACE) i++;
      const lineEnd = this.lineEnd(line);
      const indent = i - line;
      if (i === lineEnd && (contentIndent === -1 || indent <= contentIndent)) {
        if (indent > 0 && contentIndent === -1) giveUp();
        line = lineEnd + 1;
        continue;
      }
      if (contentIndent === -1) {
        if (indent <= parent) break;
        contentIndent = indent;
      } else if (indent < contentIndent) {
        if (indent > parent) giveUp(); // less indented than the first line, yet inside
        break;
      }
      if (lineEnd >= text.length) giveUp(); // no line break at the end of the text
      end = lineEnd + 1;
      line = end;
    }
    if (contentIndent === -1) giveUp(); // no content (also when the header ends the text)
    const source = text.slice(contentStart, end);
    const props = [
      { type: 'block-scalar-header' as const, offset: at, indent: parent, source: headerSource },
      ...(header < headerEnd
        ? [{ type: 'space' as const, offset: header, indent: parent, source: text.slice(header, headerEnd) }]
        : []),
      { type: 'newline' as const, offset: headerEnd, indent: parent, source: '\n' },
    ];
    const token: CST.BlockScalar = { type: 'block-scalar', offset: at, indent: parent, props, source };
    const resolved = CST.resolveAsScalar(token, true, giveUp) ?? giveUp();
    this.pos = end;
    this.lastEnd = end;
    return this.scalar(this.stringValue(resolved.value), resolved.value, at, end, token);
  }

  // ---- flow collections on one line ----

  private flow(at: number): LMap | LSeq {
    this.enter();
    const text = this.text;
    const open = text[at];
    const close = open === '[' ? ']' : '}';
    let i = this.skipSpaces(at + 1);
    const seq: LSeq | undefined =
      open === '[' ? { kind: 'seq', path: this.path, range: [at, at], items: [] } : undefined;
    const map: LMap | undefined =
      open === '{' ? { kind: 'map', path: this.path, range: [at, at], entries: new Map() } : undefined;
    if (text[i] !== close) {
      for (;;) {
        if (seq) {
          seq.items.push(this.flowItem(i));
        } else {
          const keyStart = i;
          const key = this.flowItem(i, true);
          if (key?.kind !== 'scalar' || text[this.pos] !== ':' || key.node.source === '<<') giveUp();
          const name = String(key!.value);
          i = this.skipSpaces(this.pos + 1);
          if (i === this.pos + 1) giveUp(); // `a:b` is yaml's to judge
          const value = this.flowItem(i);
          map!.entries.set(name, { key: name, keyRange: [keyStart, key!.range[1]], value, merged: false });
        }
        i = this.skipSpaces(this.pos);
        if (text[i] === ',') {
          i = this.skipSpaces(i + 1);
          if (text[i] === close) giveUp(); // a trailing comma
          continue;
        }
        if (text[i] === close) break;
        giveUp();
      }
    }
    this.pos = i + 1;
    const node = (seq ?? map)!;
    node.range[1] = i + 1;
    this.depth--;
    return node;
  }

  private skipSpaces(at: number): number {
    let i = at;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i;
  }

  /** An item of a flow collection (a key, with `asKey`); pos is left just after it. */
  private flowItem(at: number, asKey = false): LNode {
    const text = this.text;
    const c = text[at];
    if (c === '[' || c === '{') {
      if (asKey) giveUp();
      return this.flow(at);
    }
    if (c === '"' || c === "'") {
      const end = this.quotedEnd(at);
      if (end === -1) giveUp();
      this.pos = end;
      return this.quoted(at, end, -1);
    }
    if (c === '*') {
      const end = this.nameEnd(at + 1);
      const target = this.anchors.get(text.slice(at + 1, end));
      if (!target || asKey) giveUp();
      this.pos = end;
      return target!;
    }
    if (at >= text.length || !this.plainStart(at)) giveUp();
    let i = at;
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{' || ch === '\n') break;
      if (ch === ':') {
        const after = text[i + 1] ?? '\n';
        if (asKey && after === ' ') break;
        // `host:port` is one scalar; `a: b` or `a:,` in a sequence is a pair, yaml's to read
        if (after === ' ' || after === '\n' || ',[]{}'.includes(after)) giveUp();
      }
      if (ch === '#' && text[i - 1] === ' ') giveUp();
    }
    if (text[i] === '[' || text[i] === '{' || text[i] === '\n' || i >= text.length) giveUp();
    let last = i;
    while (text.charCodeAt(last - 1) === SPACE) last--;
    if (last === at) giveUp();
    this.pos = last;
    return this.plainScalar(at, last, -1);
  }
}
