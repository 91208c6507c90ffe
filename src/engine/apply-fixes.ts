/**
 * Applying fixes to one file's text, ruff-style: each fix is all-or-nothing; a fix that overlaps one
 * already accepted is left for the next round; identical edits from several fixes (the shared
 * "create a venv in this shell" line) are applied once. Edits are applied back to front, so every
 * offset refers to the original text.
 */
import type { Edit, Fix } from '../model/finding.ts';

export interface Applied {
  text: string;
  applied: Fix[];
  deferred: Fix[];
}

/** The same change: one file, one range, one text. */
export const sameEdit = (a: Edit, b: Edit) =>
  a.path === b.path && a.start === b.start && a.end === b.end && a.text === b.text;

/** Two edits conflict when their ranges overlap, or both insert at the same point with different text. */
function conflicts(a: Edit, b: Edit): boolean {
  if (sameEdit(a, b)) return false;
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end
    ? true
    : a.start === b.start && (a.start === a.end || b.start === b.end);
}

export function applyFixes(text: string, fixes: Fix[]): Applied {
  const accepted: Edit[] = [];
  const applied: Fix[] = [];
  const deferred: Fix[] = [];
  for (const fix of fixes) {
    const fresh = fix.edits.filter((e) => !accepted.some((a) => sameEdit(a, e)));
    if (
      fresh.some(
        (e) => accepted.some((a) => conflicts(a, e)) || fresh.some((o) => o !== e && conflicts(o, e)),
      )
    ) {
      deferred.push(fix);
      continue;
    }
    accepted.push(...fresh);
    applied.push(fix);
  }
  accepted.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of accepted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, applied, deferred };
}
