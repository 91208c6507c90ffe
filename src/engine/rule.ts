/** The shape of a rule: metadata plus a `check` over one analysed job. Rules never read YAML. */
import { readFileSync } from 'node:fs';
import type { PythonEnvironment } from '../environment/resolve.ts';
import type { Fix, FixStrategy, RelatedLocation, Severity } from '../model/finding.ts';
import type { Job } from '../model/job.ts';
import type { Span } from '../model/span.ts';
import type { JobAnalysis } from './simulate.ts';

export type Fixability = 'safe' | 'unsafe' | 'suggestion' | 'none';

export interface RuleMeta {
  id: string;
  /** Severity when the verdict is certain; rules may lower it when evidence is only likely. */
  severity: Severity;
  summary: string;
  /** The *safest* fix the rule can offer. */
  fixable: Fixability;
  since: string;
}

export interface ReportInput {
  span: Span;
  severity: Severity;
  message: string;
  hint?: string;
  fixes?: Fix[];
  related?: RelatedLocation[];
}

export interface RuleContext {
  job: Job;
  analysis: JobAnalysis;
  env: PythonEnvironment;
  /** The full text of a file the job's lines live in (fix builders need the surroundings). */
  source(path: string): string;
  /** Fix strategies in the user's order of preference (first = `--fix-strategy`). */
  strategies: FixStrategy[];
  report(input: ReportInput): void;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): void;
}

export const REPOSITORY_URL = 'https://github.com/ci-lint/ci-lint';

export function docsUrl(id: string): string {
  return `${REPOSITORY_URL}/blob/main/rules/${id}/README.md`;
}

/**
 * A rule's README, read next to the sources (`src/engine` → `../../rules/`) or next to a bundle in
 * `dist/` (`../rules/`), whichever exists.
 */
export function readRuleDocs(id: string): string | undefined {
  for (const base of ['../rules/', '../../rules/']) {
    try {
      return readFileSync(new URL(`${base}${id}/README.md`, import.meta.url), 'utf8').trimEnd();
    } catch {}
  }
  return undefined;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
