/** All fixes for a failing install, in the user's order of preference. */
import { type InstallCheck, venvRequiredOutsideVenv } from '../engine/pip-target.ts';
import type { RuleContext } from '../engine/rule.ts';
import type { Step } from '../engine/simulate.ts';
import type { Edit, Fix, FixStrategy } from '../model/finding.ts';
import { overrideFix } from './override.ts';
import { pipxFix } from './pipx.ts';
import { venvFix } from './venv.ts';

export function fixesFor(ctx: RuleContext, step: Step, check: InstallCheck): Fix[] {
  if (!step.line.exact) return [];
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
 * Whether an edit reaches into a GitHub `${{ … }}`. The runner puts each leg's value in before the
 * shell runs (dialects/github/run-script.ts), so an edit inside one, or a command replaced with one
 * leg's value, would be wrong for the others; writing at either end of it is fine.
 */
function cutsExpression(text: string, edit: Edit): boolean {
  return (
    inExpression(text, edit.start) ||
    inExpression(text, edit.end) ||
    text.slice(edit.start, edit.end).includes('${{')
  );
}

/** Whether `at` lies after the `$` of a `${{ … }}` and before its end, on one source line. */
function inExpression(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0 && text[i] !== '\n'; i--) {
    if (text[i] === '}' && text[i - 1] === '}') return false;
    if (text[i] === '$' && text[i + 1] === '{' && text[i + 2] === '{') return true;
  }
  return false;
}
