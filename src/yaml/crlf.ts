/**
 * CRLF files on the fast path. yaml reads a `\r\n` line break exactly as `\n` (the same values,
 * sources and scalar texts), so a file whose every line break is `\r\n` is parsed as its LF twin,
 * and the tree is then moved back onto the CRLF text: an offset `o` of the LF text is `o` plus the
 * line breaks before it. Files that mix line breaks, or have a `\r` elsewhere, stay yaml's.
 */
import type { CST } from 'yaml';
import type { LNode, LPair } from './located.ts';

/** A CRLF file as LF: its text, and where each of its line breaks is. */
export interface LfTwin {
  lf: string;
  /** Offsets of the `\n`s in `lf`, ascending. */
  breaks: number[];
}

/** The file with `\n` for each `\r\n`, when every line break is `\r\n` and no other `\r` exists. */
export function lfTwin(text: string): LfTwin | undefined {
  const lf = text.replaceAll('\r\n', '\n');
  if (lf.includes('\r')) return undefined;
  const breaks: number[] = [];
  for (let i = lf.indexOf('\n'); i !== -1; i = lf.indexOf('\n', i + 1)) breaks.push(i);
  // as many `\n` in the LF text as `\r` removed: none of them was a bare `\n`
  return breaks.length === text.length - lf.length ? { lf, breaks } : undefined;
}

/**
 * Moves a tree parsed from the LF twin onto `crlf`, the text it came from: every range, key range
 * and scalar source token, in place. Nodes and ranges reached twice (aliases, merged pairs) are
 * moved once.
 */
export function relocateToCrlf(root: LNode | null, crlf: string, { breaks }: LfTwin): void {
  /** `o` plus the line breaks before it (a `\n` at `o` itself maps to its `\r`). */
  const at = (o: number): number => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (breaks[mid]! < o) lo = mid + 1;
      else hi = mid;
    }
    return o + lo;
  };
  const moved = new Set<object>();
  const move = (range: number[]) => {
    if (moved.has(range)) return;
    moved.add(range);
    for (let k = 0; k < range.length; k++) range[k] = at(range[k]!);
  };
  /** A source token's text, as the CRLF file has it, and where it starts there. */
  const moveText = (token: { offset: number; source: string }, start: number) => {
    token.source = crlf.slice(at(start), at(start + token.source.length));
    token.offset = at(token.offset);
  };
  const moveToken = (token: CST.FlowScalar | CST.BlockScalar) => {
    if (token.type !== 'block-scalar') return moveText(token, token.offset);
    // a block scalar's token starts at its header; its source, the lines, after the header's line break
    // (the fast path's props are source tokens: header, space, line break)
    const props = token.props as CST.SourceToken[];
    const header = props[props.length - 1]!;
    moveText(token, header.offset + header.source.length);
    for (const prop of props) moveText(prop, prop.offset);
  };
  const visit = (node: LNode | null): void => {
    if (node === null || moved.has(node)) return;
    moved.add(node);
    move(node.range);
    if (node.kind === 'scalar') {
      if (node.node.range) move(node.node.range);
      moveToken(node.node.srcToken as CST.FlowScalar | CST.BlockScalar);
    } else if (node.kind === 'seq') for (const item of node.items) visit(item);
    else for (const pair of node.entries.values()) visitPair(pair);
  };
  const visitPair = (pair: LPair) => {
    move(pair.keyRange);
    visit(pair.value);
  };
  visit(root);
}
