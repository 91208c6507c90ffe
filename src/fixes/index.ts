/** All fixes for a failing install, in the user's order of preference. */
import { type InstallCheck, venvRequiredOutsideVenv } from '../engine/pip-target.ts';
import type { RuleContext } from '../engine/rule.ts';
import type { Step } from '../engine/simulate.ts';
import type { Fix, FixStrategy } from '../model/finding.ts';
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
    if (fix) out.push(fix);
  }
  return out;
}
