/**
 * The fix loop for one file: pick each finding's fix for the chosen strategy (if its applicability
 * is allowed), apply, re-lint, repeat until nothing changes (at most MAX_ROUNDS). If a round's result
 * means something different outside the edited scalars, or the fixes have not settled after
 * MAX_ROUNDS, everything is reverted and the file is left alone.
 */
import type { Finding, Fix, FixStrategy } from '../model/finding.ts';
import { APPLICABILITY_RANK, type Applicability } from '../model/finding.ts';
import { applyFixes } from './apply-fixes.ts';
import { sameOutsideEdits } from './meaning.ts';

export const MAX_ROUNDS = 10;

export interface FixOutcome {
  text: string;
  fixedCount: number;
  rounds: number;
  /** Why the file was left unchanged, if it was reverted. */
  reverted?: string;
}

/** The fix to apply for a finding: the chosen strategy's, when it is at least `minimum` safe. */
export function chooseFix(finding: Finding, strategy: FixStrategy, minimum: Applicability): Fix | undefined {
  const fix = finding.fixes.find((f) => f.strategy === strategy);
  // suggestions are for people; only the golden-file tests apply them, by asking for 'suggestion'
  if (!fix || (fix.applicability === 'suggestion' && minimum !== 'suggestion')) return undefined;
  return APPLICABILITY_RANK[fix.applicability] >= APPLICABILITY_RANK[minimum] ? fix : undefined;
}

export function fixText(
  path: string,
  original: string,
  lint: (text: string) => Finding[],
  strategy: FixStrategy,
  minimum: Applicability,
): FixOutcome {
  let text = original;
  let fixedCount = 0;
  let rounds = 0;
  let settled = false;
  for (; rounds < MAX_ROUNDS; rounds++) {
    const findings = lint(text);
    const fixes = findings
      .map((f) => chooseFix(f, strategy, minimum))
      .filter((f): f is Fix => f?.edits.every((e) => e.path === path) === true);
    const { text: next, applied } = applyFixes(text, fixes);
    if (applied.length === 0 || next === text) {
      settled = true;
      break;
    }
    const verdict = sameOutsideEdits(
      text,
      next,
      applied.flatMap((f) => f.edits),
    );
    if (!verdict.same) {
      return {
        text: original,
        fixedCount: 0,
        rounds,
        reverted: `a fix would change more than the lines it edits (${verdict.why}); file left unchanged`,
      };
    }
    text = next;
    fixedCount += applied.length;
  }
  // a fix that is needed again after every round (it undoes another, or misses its target) would
  // write its text ten times over: a bug of ours, and no file is better for it
  if (!settled)
    return {
      text: original,
      fixedCount: 0,
      rounds,
      reverted: `fixes did not settle after ${MAX_ROUNDS} rounds (please report it); file left unchanged`,
    };
  return { text, fixedCount, rounds };
}
