/** Adding a package to the job's own `apt-get install` line, so a fix brings what it needs. */
import type { JobAnalysis, Step } from '../engine/simulate.ts';
import type { Edit } from '../model/finding.ts';
import { insertAfter } from './insert.ts';

/** The last apt install that runs before `before` (same job; earlier shells count, they ran first). */
export function aptLineBefore(analysis: JobAnalysis, before: Step): Step | undefined {
  let found: Step | undefined;
  for (const s of analysis.steps) {
    if (s === before) break;
    if (s.action.kind === 'package-install' && s.action.manager === 'apt' && s.action.packages.length > 0)
      found = s;
  }
  return found;
}

export function installed(analysis: JobAnalysis, names: RegExp): boolean {
  return analysis.installs.some((i) => i.packages.some((p) => names.test(p)));
}

/**
 * An edit appending ` pkg` after the last package of an apt install step, when that package is
 * written plainly: after a quoted one (`'python3-dev`, maybe never closed) the text would land
 * inside the quotes, or past the script.
 */
export function addAptPackage(step: Step, pkg: string, source: string): Edit | null {
  if (step.action.kind !== 'package-install') return null;
  const last = step.action.packages[step.action.packages.length - 1];
  if (!last || last.quoted || last.dynamic) return null;
  return insertAfter(step.line, step.command.toRoot(last.end - 1), ` ${pkg}`, source);
}
