import type { Span } from './span.ts';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** How sure a fix is: `safe` changes nothing else; `unsafe` may; `suggestion` needs a person. */
export type Applicability = 'safe' | 'unsafe' | 'suggestion';
export const APPLICABILITY_RANK: Record<Applicability, number> = { suggestion: 0, unsafe: 1, safe: 2 };

export type FixStrategy = 'venv' | 'pipx' | 'override';

/** Replace `[start, end)` of `path` with `text`. Offsets are those of the original file. */
export interface Edit {
  path: string;
  start: number;
  end: number;
  text: string;
}

/** All of its edits apply together or none do. */
export interface Fix {
  title: string;
  strategy: FixStrategy;
  applicability: Applicability;
  edits: Edit[];
  /** Fixes with the same group (e.g. "create a venv in this shell") share their common edits. */
  group?: string;
}

export interface EnvironmentSummary {
  image?: string;
  runner?: string;
  python?: string;
  managed: 'yes' | 'no' | 'unknown';
  evidence: string[];
}

export interface RelatedLocation {
  span: Span;
  label: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  span: Span;
  message: string;
  /** What to do next, when the message alone does not say it. */
  hint?: string;
  jobs: string[];
  /** Other jobs that run the same line without failing (another image, a venv, an override). */
  unaffectedJobs?: string[];
  environment?: EnvironmentSummary;
  fixes: Fix[];
  related: RelatedLocation[];
}

/** A problem with the input itself (unreadable, not YAML, a broken include …). */
export interface Diagnostic {
  path: string;
  /** Offset into the file's text; or a precomputed position when there is no text (undecodable bytes). */
  offset?: number;
  line?: number;
  column?: number;
  severity: 'error' | 'info';
  message: string;
}
