/**
 * A `run:` script as the runner hands it to the shell. GitHub puts each `${{ … }}` in before the
 * shell starts, so in the leg `py: '3'` the line `python${{ matrix.py }} -m pip install x` runs
 * `python3 -m pip …`, and `docker run debian:${{ matrix.tag }}` names a real image. Known values
 * are put in; the rest stays as written. The characters of a value point at the start of their
 * expression (the last one at its end), and no fix edits inside an expression (fixes/index.ts), which
 * serves every leg.
 */
import type { ScriptLine } from '../../model/job.ts';
import { type ExpressionContext, knownExpressions } from './expressions.ts';

export function withExpressionValues(line: ScriptLine, ctx: ExpressionContext): ScriptLine {
  if (!line.text.includes('${{')) return line;
  const known = knownExpressions(line.text, ctx);
  if (known.length === 0) return line;
  return new SubstitutedLine(line, known);
}

/**
 * The line with the values put in. Its offset map is made only when something asks where a character
 * lies (a finding, a fix), as for any script line: a matrix of many legs makes a line per leg.
 */
class SubstitutedLine implements ScriptLine {
  readonly path: string;
  readonly text: string;
  readonly style: ScriptLine['style'];
  readonly exact: boolean;
  readonly span: ScriptLine['span'];
  readonly section: string;
  readonly substituted: [number, number][] = [];
  private map: number[] | undefined;

  constructor(
    private readonly base: ScriptLine,
    private readonly known: { start: number; end: number; value: string }[],
  ) {
    ({
      path: this.path,
      style: this.style,
      exact: this.exact,
      span: this.span,
      section: this.section,
    } = base);
    let text = '';
    let from = 0;
    for (const { start, end, value } of known) {
      text += base.text.slice(from, start);
      this.substituted.push([text.length, text.length + value.length]);
      text += value;
      from = end;
    }
    this.text = text + base.text.slice(from);
  }

  get offsets(): number[] {
    if (this.map) return this.map;
    const base = this.base.offsets;
    const offsets: number[] = [];
    let from = 0;
    for (const { start, end, value } of this.known) {
      for (let i = from; i < start; i++) offsets.push(base[i]!);
      // the last character points at the expression's end, so a command made of it spans all of it
      for (let i = 0; i < value.length; i++)
        offsets.push(i > 0 && i === value.length - 1 ? base[end - 1]! : base[start]!);
      from = end;
    }
    for (let i = from; i < this.base.text.length; i++) offsets.push(base[i]!);
    this.map = offsets;
    return offsets;
  }
}
