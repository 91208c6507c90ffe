/** A range of a source file, as UTF-16 offsets into its decoded text (a leading BOM counts as one). */
export interface Span {
  path: string;
  start: number;
  end: number;
}

export interface Position {
  line: number; // 1-based
  column: number; // 1-based, in UTF-16 code units
}

/**
 * Line starts of a text, for offset → line/column. `\n`, `\r\n` and a lone `\r` all end a line,
 * as YAML counts them.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.starts[lo]! + 1 };
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
  }

  /** Text of a 1-based line without its line break (out-of-range lines clamp, as in lineStart). */
  lineText(line: number): string {
    const clamped = Math.max(1, Math.min(line, this.starts.length));
    const start = this.lineStart(clamped);
    const next = clamped < this.starts.length ? this.starts[clamped]! : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, '');
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
