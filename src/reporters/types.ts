import type { FileBatch } from '../engine/check.ts';
import type { Sources } from '../engine/sources.ts';
import type { Diagnostic, FixStrategy } from '../model/finding.ts';

export interface Report extends FileBatch {
  filesChecked: number;
  /** The fix strategy in force, so the summary can say what `--fix` would do. */
  strategy: FixStrategy;
}

export interface ReporterOptions {
  color: boolean;
  quiet: boolean;
}

/**
 * A reporter fed file by file, so a large run never holds every file's text and findings: `file`
 * returns the output it can give for a batch at once (it may keep compact data for later), `end`
 * the rest. Fed one batch holding a whole report, it gives the same bytes as fed file by file.
 */
export interface ReportStream {
  file(batch: FileBatch): string;
  end(filesChecked: number): string;
}

/** Position of a diagnostic, whether it carries an offset or a precomputed line/column. */
export function diagnosticPosition(d: Diagnostic, sources: Sources): { line: number; column: number } {
  if (d.line !== undefined) return { line: d.line, column: d.column ?? 1 };
  if (d.offset !== undefined && sources.has(d.path)) return sources.position(d.path, d.offset);
  return { line: 1, column: 1 };
}

/** The diagnostic with its line and column worked out, so it outlives its file's text. */
export function positioned(d: Diagnostic, sources: Sources): Diagnostic {
  const { offset: _, ...rest } = d;
  return { ...rest, ...diagnosticPosition(d, sources) };
}

/** Everything a stream gives for one batch holding the whole report. */
export function renderWhole(stream: ReportStream, report: Report): string {
  return stream.file(report) + stream.end(report.filesChecked);
}

/**
 * `JSON.stringify(items, null, 2)` written piecewise, for an array nested `depth` levels deep:
 * `open()`, then `items(xs)` for each run of elements, then `close()`.
 */
export class JsonArrayWriter {
  private count = 0;
  constructor(private readonly depth: number) {}

  open(): string {
    return '[';
  }

  /** The next elements (a file's findings), in one `JSON.stringify`. */
  items(values: readonly unknown[]): string {
    if (values.length === 0) return '';
    const json = nestedJson(values, this.depth);
    // without the array's `[` and its closing line break, indentation and `]`
    const body = json.slice(1, json.length - 2 - 2 * this.depth);
    const separator = this.count === 0 ? '' : ',';
    this.count += values.length;
    return separator + body;
  }

  close(): string {
    return this.count === 0 ? ']' : `\n${'  '.repeat(this.depth)}]`;
  }
}

/**
 * `JSON.stringify(value, null, 2)` as it reads nested `depth` levels deep. It is stringified inside
 * `depth` one-item arrays and cut out (a slice, not a copy): re-indenting each line afterwards cost
 * a regex pass and a second string as large as the report.
 */
export function nestedJson(value: unknown, depth: number): string {
  let wrapped = value;
  for (let k = 0; k < depth; k++) wrapped = [wrapped];
  const json = JSON.stringify(wrapped, null, 2);
  // each level opens with `[`, a line break and its indentation, and closes with their mirror
  return json.slice(depth * (depth + 3), json.length - depth * (depth + 1));
}

/** A run's result as reporters want it. */
export function reportOf(result: FileBatch & { filesChecked: number }, strategy: FixStrategy): Report {
  const { findings, diagnostics, filesChecked, sources, includedFiles } = result;
  return {
    findings,
    diagnostics,
    filesChecked,
    sources,
    strategy,
    ...(includedFiles ? { includedFiles } : {}),
  };
}
