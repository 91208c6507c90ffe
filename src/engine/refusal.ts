/**
 * Reporting "this install will be refused by PEP 668": the wording, severity and fixes shared by
 * every rule about a refused install, so they all say it the same way.
 */
import type { PythonEnvironment } from '../environment/resolve.ts';
import { fixesFor } from '../fixes/index.ts';
import {
  caughtFailure,
  declareHint,
  imageRelated,
  managedPhrase,
  overrideLostNote,
  pipAbsenceNote,
} from './messages.ts';
import type { InstallCheck } from './pip-target.ts';
import type { RuleContext } from './rule.ts';
import { commandSpan, type JobAnalysis, type Step } from './simulate.ts';

export interface RefusalWording {
  /** How the tool gets to pip, for tools that call it for you. */
  how?: string;
  /** Who refuses: `pip` or `uv`. */
  refuser: string;
  remedy: string;
}

/** Error when the image is known and the failure stops the job; warning when either is only likely. */
export function reportRefusal(
  ctx: RuleContext,
  step: Step,
  check: InstallCheck,
  wording: RefusalWording,
): void {
  const caught = caughtFailure(step);
  const certain = ctx.env.certainty === 'certain';
  const message =
    `job ${ctx.job.label} runs ${check.label} on ${managedPhrase(ctx.env)}${pipAbsenceNote(ctx.env, ctx.analysis)}: ` +
    `${wording.how ? `${wording.how}, and ` : ''}${wording.refuser} ${certain ? 'will' : 'will likely'} refuse with ` +
    `"externally-managed-environment" (${check.why}${overrideLostNote(check)})${caught ? `; ${caught}` : ''} — ${wording.remedy}`;
  const hint = declareHint(ctx.env);
  ctx.report({
    span: commandSpan(step.line, step.command),
    severity: certain && !caught ? 'error' : 'warning',
    message,
    ...(hint ? { hint } : {}),
    fixes: fixesFor(ctx, step, check),
    related: imageRelated(ctx.env),
  });
}

/**
 * Debian 12's own pipenv runs a vendored pip 22.3.1 that predates PEP 668 and installs without
 * complaint; newer pipenv (Debian 13's, or one from PyPI) is refused (indirect-pip.md rule 2).
 */
export function pipenvIsRefused(analysis: JobAnalysis, env: PythonEnvironment): boolean {
  const aptPipenv = analysis.installs.some((i) => i.manager === 'apt' && i.packages.includes('pipenv'));
  return !(aptPipenv && env.knowledge?.release.startsWith('Debian 12'));
}
