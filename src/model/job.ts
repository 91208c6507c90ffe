import type { SetupEffect } from '../environment/setup-actions.ts';
import type { ScalarStyle } from '../yaml/scalar-offsets.ts';
import type { Diagnostic } from './finding.ts';
import type { Span } from './span.ts';

export type Dialect = 'gitlab' | 'github-workflow' | 'github-action';

/**
 * One script item as the shell will see it, plus the way back to the file: `offsets[i]` is the
 * file offset of text character `i` (see yaml/scalar-offsets.ts).
 */
export interface ScriptLine {
  path: string;
  text: string;
  offsets: number[];
  style: ScalarStyle;
  /** False when the offset map is only approximate (fixes are then not offered). */
  exact: boolean;
  span: Span;
  /** Where the line came from, e.g. `before_script`, `script`, `after_script`, `steps[2].run`. */
  section: string;
  /**
   * Lines a shell runs before this one that ci-lint cannot see (a GitLab `!reference` to a template of an
   * unread include): what it says here is likely, not certain.
   */
  unseenBefore?: string;
  /** [start, end) text ranges of values put in for GitHub `${{ … }}` expressions: one leg's, not every leg's. */
  substituted?: readonly (readonly [number, number])[];
}

/** A sequence of script lines that run in one shell process, sharing variables and venv activation. */
export interface Shell {
  /** `main` (GitLab before_script + script), `after` (GitLab after_script), `step` (a GitHub run:). */
  kind: 'main' | 'after' | 'step';
  label: string;
  /** The shell program, when known (`bash`, `sh`); non-POSIX shells are not analysed. */
  program: string;
  /** A login shell (`bash -l {0}`), which activates conda/micromamba environments. */
  login?: boolean;
  lines: ScriptLine[];
  /** Variables set for this shell only (a GitHub step's `env:`). */
  env?: Map<string, Variable>;
  /** The directory the shell starts in, relative to the project (a GitHub step's `working-directory`). */
  workingDirectory?: string;
  /** Setup steps (`uses:`) that ran since the previous shell of the job (GitHub). */
  before?: SetupEffect[];
  /** Why a failure in this shell does not fail the job (GitLab's after_script, `continue-on-error`). */
  failureIgnored?: string;
}

export interface RunnerRef {
  /** `runs-on` labels after expression evaluation. */
  labels: string[];
  span?: Span;
  /** True when an expression in `runs-on` could not be evaluated. */
  unresolved: boolean;
  /** Why the labels are only the likely ones (a reusable workflow's input default a caller may replace). */
  assumed?: string;
}

export interface ImageRef {
  /** The image after variable expansion (unresolved variables stay as written). */
  name: string;
  /** As written in the file. */
  raw: string;
  span?: Span;
  /** Variables in the name that could not be resolved. */
  unresolved: string[];
  /** Where the name came from, for messages: `job`, `default`, `global`, `--default-image`, `config`. */
  origin: string;
}

export interface Variable {
  value: string;
  span?: Span;
  /** `runner`: set by the CI runner itself (GitHub's RUNNER_OS). */
  origin: 'global' | 'job' | 'default' | 'matrix' | 'step' | 'workflow' | 'runner' | 'container';
}

export interface Job {
  /** The name CI shows: for a matrix combination GitLab's `test: [debian:bookworm, x]`. */
  name: string;
  /** How messages name the job: `"test"`, or `"test" [DISTRO=debian:bookworm]` for a matrix combination. */
  label: string;
  path: string;
  span: Span;
  image?: ImageRef;
  /** GitHub: the runner the job (or, with no container, its steps) runs on. */
  runner?: RunnerRef;
  variables: Map<string, Variable>;
  shells: Shell[];
  /** Why the job's Python cannot be known even before looking at the image (e.g. an unread include may set it). */
  unknownBecause?: string;
  /**
   * Why the job may hold more than ci-lint sees (`extends:` a template of an unread include, which may
   * set variables or setup lines): what it reports there is likely, not certain.
   */
  incomplete?: string;
}

export interface Pipeline {
  path: string;
  dialect: Dialect;
  jobs: Job[];
  diagnostics: Diagnostic[];
  /** Other files read as part of this pipeline (GitLab `include: local`); they are not linted on their own. */
  includedFiles: string[];
}
