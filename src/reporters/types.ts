import type { Sources } from '../engine/sources.ts';
import type { Diagnostic, Finding, FixStrategy } from '../model/finding.ts';

export interface Report {
  findings: Finding[];
  diagnostics: Diagnostic[];
  filesChecked: number;
  sources: Sources;
  /** The fix strategy in force, so the summary can say what `--fix` would do. */
  strategy: FixStrategy;
}

export interface ReporterOptions {
  color: boolean;
  quiet: boolean;
}

/** Position of a diagnostic, whether it carries an offset or a precomputed line/column. */
export function diagnosticPosition(d: Diagnostic, sources: Sources): { line: number; column: number } {
  if (d.line !== undefined) return { line: d.line, column: d.column ?? 1 };
  if (d.offset !== undefined && sources.has(d.path)) return sources.position(d.path, d.offset);
  return { line: 1, column: 1 };
}

/** A run's result as reporters want it. */
export function reportOf(
  result: { findings: Finding[]; diagnostics: Diagnostic[]; filesChecked: number; sources: Sources },
  strategy: FixStrategy,
): Report {
  const { findings, diagnostics, filesChecked, sources } = result;
  return { findings, diagnostics, filesChecked, sources, strategy };
}
