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
  const base = line.offsets;
  let text = '';
  const offsets: number[] = [];
  const substituted: [number, number][] = [];
  let from = 0;
  for (const { start, end, value } of known) {
    text += line.text.slice(from, start);
    substituted.push([text.length, text.length + value.length]);
    text += value;
    for (let i = from; i < start; i++) offsets.push(base[i]!);
    // the last character points at the expression's end, so a command made of it spans all of it
    for (let i = 0; i < value.length; i++)
      offsets.push(i > 0 && i === value.length - 1 ? base[end - 1]! : base[start]!);
    from = end;
  }
  text += line.text.slice(from);
  for (let i = from; i < line.text.length; i++) offsets.push(base[i]!);
  const { path, style, exact, span, section } = line;
  return { path, text, offsets, style, exact, span, section, substituted };
}
