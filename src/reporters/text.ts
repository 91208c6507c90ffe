/**
 * Human output: `path:line:col: severity: message [rule]`, a frame of the source line with the
 * command underlined, the available fixes, a hint and the docs link; then one summary line.
 */
import { docsUrl } from '../engine/rule.ts';
import type { Sources } from '../engine/sources.ts';
import type { Finding, Fix, FixStrategy, Severity } from '../model/finding.ts';
import { quoteName } from '../model/quote.ts';
import {
  diagnosticPosition,
  type Report,
  type ReporterOptions,
  type ReportStream,
  renderWhole,
} from './types.ts';

const COLORS = { red: 31, yellow: 33, blue: 34, cyan: 36, dim: 2, bold: 1 } as const;

export function renderText(report: Report, options: ReporterOptions): string {
  return renderWhole(textStream(options, report.strategy), report);
}

type Paint = (c: keyof typeof COLORS, s: string) => string;

/** Each finding as its file is done; the summary line (counts only) at the end. */
export function textStream(options: ReporterOptions, strategy: FixStrategy): ReportStream {
  const paint: Paint = (c, s) => (options.color ? `\x1b[${COLORS[c]}m${s}\x1b[0m` : s);
  const counts: Counts = { error: 0, warning: 0, info: 0, safe: 0, unsafe: 0, inputErrors: 0 };
  // the fix --fix would pick is the chosen strategy's (reporters list fixes in preference order)
  const preferred = (f: Finding) => f.fixes.find((x) => x.strategy === strategy);
  return {
    file(batch) {
      const out: string[] = [];
      for (const d of batch.diagnostics) if (d.severity === 'error') counts.inputErrors++;
      // --fix writes the linted files only: a fix in a file they include is shown, not counted
      const included = new Set(batch.includedFiles);
      const written = (fix: Fix) => !fix.edits.some((e) => included.has(e.path));
      for (const f of batch.findings) {
        counts[f.severity]++;
        const fix = preferred(f);
        const applicability = fix && written(fix) ? fix.applicability : undefined;
        if (applicability === 'safe' || applicability === 'unsafe') counts[applicability]++;
        if (!(options.quiet && f.severity === 'info')) finding(f, batch.sources, options, paint, out);
      }
      return out.map((line) => `${line}\n`).join('');
    },
    end(filesChecked) {
      return summary(counts, filesChecked, strategy, options, paint);
    },
  };
}

interface Counts extends Record<Severity, number> {
  safe: number;
  unsafe: number;
  /** Files or parts of them that could not be read or parsed (their errors go to standard error). */
  inputErrors: number;
}

const SEVERITY_COLOR: Record<Severity, keyof typeof COLORS> = {
  error: 'red',
  warning: 'yellow',
  info: 'blue',
};

function finding(f: Finding, sources: Sources, options: ReporterOptions, paint: Paint, out: string[]): void {
  const pos = sources.position(f.span.path, f.span.start);
  out.push(
    `${paint('bold', `${visible(f.span.path)}:${pos.line}:${pos.column}`)}: ${paint(SEVERITY_COLOR[f.severity], f.severity)}: ${visible(f.message)} ${paint('dim', `[${f.rule}]`)}`,
  );
  if (options.quiet) return;
  for (const line of frame(f, sources, paint)) out.push(line);
  if (f.unaffectedJobs)
    out.push(
      `   ${paint('cyan', '=')} also runs in ${visible(f.unaffectedJobs.map(quoteName).join(', '))}, where it does not fail`,
    );
  for (const fix of f.fixes)
    out.push(`   ${paint('cyan', '=')} fix (${fix.strategy}, ${fix.applicability}): ${visible(fix.title)}`);
  if (f.hint) out.push(`   ${paint('cyan', '=')} hint: ${visible(f.hint)}`);
  out.push(`   ${paint('cyan', '=')} docs: ${docsUrl(f.rule)}`);
  out.push('');
}

/**
 * Control characters a CI file may carry into a job name, an image or a script line: shown, never sent
 * to the terminal, where ESC or BEL could retitle it, clear it or hide text from the reviewer.
 */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const visible = (s: string) =>
  s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Longest source line a frame shows whole; a longer one is cut to a window around the command. */
const FRAME_WIDTH = 240;
const FRAME_LEAD = 40;

function frame(f: Finding, sources: Sources, paint: Paint): string[] {
  const index = sources.index(f.span.path);
  const start = index.position(f.span.start);
  const end = index.position(f.span.end);
  const line = index.lineText(start.line);
  const width = String(start.line).length;
  const underlineEnd = end.line === start.line ? end.column : line.length + 1;
  // columns are 1-based; `from`/`to` are 0-based offsets into the line
  const from = line.length > FRAME_WIDTH ? Math.max(0, start.column - 1 - FRAME_LEAD) : 0;
  const to = Math.min(line.length, from + FRAME_WIDTH);
  const before = from > 0 ? '…' : '';
  // one character for one, so the underline stays under the command
  const text =
    before +
    line.slice(from, to).replace(/\t/g, ' ').replace(CONTROL, '\uFFFD') +
    (to < line.length ? '…' : '');
  const marks = '^'.repeat(Math.max(1, Math.min(underlineEnd, to + 1) - start.column));
  return [
    `${' '.repeat(width)} ${paint('cyan', '|')}`,
    `${paint('cyan', String(start.line))} ${paint('cyan', '|')} ${text}`,
    `${' '.repeat(width)} ${paint('cyan', '|')} ${' '.repeat(start.column - 1 - from + before.length)}${paint('red', marks)}`,
  ];
}

function summary(
  counts: Counts,
  filesChecked: number,
  strategy: FixStrategy,
  options: ReporterOptions,
  paint: Paint,
): string {
  const { error: errors, warning: warnings, info: infos, safe, unsafe, inputErrors } = counts;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const files = plural(filesChecked, 'file');
  // an input error (a file unread, an include missing) is not "no problems": the summary says so
  const unread = inputErrors > 0 ? `; ${plural(inputErrors, 'input error')} (above)` : '';
  if (errors + warnings + infos === 0) {
    if (inputErrors > 0) return `${paint('bold', 'No findings')} in ${files}${unread}.\n`;
    return options.quiet ? '' : `${paint('bold', 'No problems')} in ${files}.\n`;
  }
  const parts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (infos > 0) parts.push(plural(infos, 'note'));
  const notes: string[] = [];
  if (safe > 0) notes.push(`${safe} fixable with --fix`);
  if (unsafe > 0) notes.push(`${unsafe} with --unsafe-fixes`);
  const fixNote =
    notes.length > 0 ? ` ${notes.join(', ')} (strategy: ${strategy}; preview with --diff).` : '';
  return `${paint('bold', `Found ${parts.join(', ')}`)} in ${files}${unread}.${fixNote}\n`;
}

/** `path:line:col: error: message` lines for input problems (printed on stderr). */
export function renderDiagnostics(report: Report, options: ReporterOptions): string {
  const lines: string[] = [];
  for (const d of report.diagnostics) {
    if (d.severity === 'info' && options.quiet) continue;
    const p = diagnosticPosition(d, report.sources);
    lines.push(
      `${visible(d.path)}:${p.line}:${p.column}: ${d.severity === 'error' ? 'error' : 'note'}: ${visible(d.message)}`,
    );
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
