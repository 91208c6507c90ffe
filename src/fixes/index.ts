/** All fixes for a failing install, in the user's order of preference. */
import { type InstallCheck, venvRequiredOutsideVenv } from '../engine/pip-target.ts';
import type { RuleContext } from '../engine/rule.ts';
import type { Step } from '../engine/simulate.ts';
import type { Edit, Fix, FixStrategy } from '../model/finding.ts';
import { overrideFix } from './override.ts';
import { pipxFix } from './pipx.ts';
import { venvFix } from './venv.ts';

export function fixesFor(ctx: RuleContext, step: Step, check: InstallCheck): Fix[] {
  if (!step.line.exact || startsInLegValue(step)) return [];
  const source = ctx.source(step.line.path);
  const build: Record<FixStrategy, () => Fix | null> = {
    venv: () => venvFix(step, check, ctx.analysis, ctx.env, source),
    pipx: () => pipxFix(step, check, ctx.analysis, ctx.env, source),
    // under require-virtualenv pip would stop outside a venv anyway (pip-require-virtualenv)
    override: () =>
      venvRequiredOutsideVenv(step) ? null : overrideFix(step, check, ctx.env, ctx.analysis, source),
  };
  const out: Fix[] = [];
  for (const s of ctx.strategies) {
    const fix = build[s]();
    if (fix && !fix.edits.some((e) => cutsExpression(ctx.source(e.path), e))) out.push(fix);
  }
  return out;
}

/**
 * Whether where the command's statement starts comes from one matrix leg's value: it starts inside a
 * value (`apt-get … && pip3`, `sudo pip3`), or right after one (an empty `${{ matrix.sudo }}` before
 * `pip3`). Another leg's value may start it differently, and a fix written there would serve one leg.
 */
function startsInLegValue({ line, command }: Step): boolean {
  if (!line.substituted) return false;
  const starts = [command.statementStart, command.envInsertAt, command.start];
  return line.substituted.some(
    ([from, to]) =>
      starts.some((at) => from < at && at < to) ||
      (to <= command.statementStart && line.text.slice(to, command.statementStart).trim() === ''),
  );
}

/**
 * Whether an edit reaches into a GitHub `${{ … }}`. The runner puts each leg's value in before the
 * shell runs (dialects/github/run-script.ts), so an edit inside one, or a command replaced with one
 * leg's value, would be wrong for the others; writing at either end of it is fine.
 */
function cutsExpression(text: string, edit: Edit): boolean {
  const spans = expressionSpans(text);
  if (spans.length === 0) return false;
  const inside = (at: number) => {
    const i = lastStartBefore(spans, at);
    return i >= 0 && at < spans[i + 1]!;
  };
  if (inside(edit.start) || inside(edit.end)) return true;
  // a replaced range that holds a whole expression
  const i = lastStartBefore(spans, edit.end);
  return i >= 0 && spans[i]! >= edit.start && edit.end > edit.start;
}

/**
 * The `${{ … }}` of a file, one source line each, as [start, end, start, end, …] in file order. A file
 * has many findings and each fix asks: worked out once per text (the last one asked about).
 */
let spansOf: { text: string; spans: number[] } | undefined;
function expressionSpans(text: string): number[] {
  if (spansOf?.text !== text) {
    const spans: number[] = [];
    for (const m of text.matchAll(/\$\{\{[^\n]*?\}\}/g)) spans.push(m.index, m.index + m[0].length);
    spansOf = { text, spans };
  }
  return spansOf.spans;
}

/** The index in `spans` of the last expression starting before `at` (strictly), or -1. */
function lastStartBefore(spans: number[], at: number): number {
  let lo = 0;
  let hi = spans.length / 2 - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[2 * mid]! < at) {
      found = 2 * mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
