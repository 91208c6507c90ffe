/**
 * Human output: `path:line:col: severity: message [rule]`, a frame of the source line with the
 * command underlined, the available fixes, a hint and the docs link; then one summary line.
 */
import { docsUrl } from '../engine/rule.ts';
import type { Finding, Severity } from '../model/finding.ts';
import { diagnosticPosition, type Report, type ReporterOptions } from './types.ts';

const COLORS = { red: 31, yellow: 33, blue: 34, cyan: 36, dim: 2, bold: 1 } as const;

export function renderText(report: Report, options: ReporterOptions): string {
  const paint = (c: keyof typeof COLORS, s: string) => (options.color ? `\x1b[${COLORS[c]}m${s}\x1b[0m` : s);
  const sevColor: Record<Severity, keyof typeof COLORS> = { error: 'red', warning: 'yellow', info: 'blue' };
  const out: string[] = [];
  const { sources } = report;
  for (const f of report.findings) {
    if (options.quiet && f.severity === 'info') continue;
    const pos = sources.position(f.span.path, f.span.start);
    out.push(
      `${paint('bold', `${f.span.path}:${pos.line}:${pos.column}`)}: ${paint(sevColor[f.severity], f.severity)}: ${f.message} ${paint('dim', `[${f.rule}]`)}`,
    );
    if (options.quiet) continue;
    out.push(...frame(f, report, paint));
    if (f.unaffectedJobs)
      out.push(
        `   ${paint('cyan', '=')} also runs in ${f.unaffectedJobs.map((j) => `"${j}"`).join(', ')}, where it does not fail`,
      );
    for (const fix of f.fixes)
      out.push(`   ${paint('cyan', '=')} fix (${fix.strategy}, ${fix.applicability}): ${fix.title}`);
    if (f.hint) out.push(`   ${paint('cyan', '=')} hint: ${f.hint}`);
    out.push(`   ${paint('cyan', '=')} docs: ${docsUrl(f.rule)}`);
    out.push('');
  }
  const tail = summary(report, options, paint);
  return out.length > 0 ? `${out.join('\n')}\n${tail}` : tail;
}

function frame(f: Finding, report: Report, paint: (c: keyof typeof COLORS, s: string) => string): string[] {
  const index = report.sources.index(f.span.path);
  const start = index.position(f.span.start);
  const end = index.position(f.span.end);
  const text = index.lineText(start.line).replace(/\t/g, ' ');
  const width = String(start.line).length;
  const underlineEnd = end.line === start.line ? end.column : text.length + 1;
  const marks = '^'.repeat(Math.max(1, underlineEnd - start.column));
  return [
    `${' '.repeat(width)} ${paint('cyan', '|')}`,
    `${paint('cyan', String(start.line))} ${paint('cyan', '|')} ${text}`,
    `${' '.repeat(width)} ${paint('cyan', '|')} ${' '.repeat(start.column - 1)}${paint('red', marks)}`,
  ];
}

function summary(
  report: Report,
  options: ReporterOptions,
  paint: (c: keyof typeof COLORS, s: string) => string,
): string {
  const count = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  // the fix --fix would pick is the chosen strategy's (reporters list fixes in preference order)
  const preferred = (f: Finding) => f.fixes.find((x) => x.strategy === report.strategy);
  const safe = report.findings.filter((f) => preferred(f)?.applicability === 'safe').length;
  const unsafe = report.findings.filter((f) => preferred(f)?.applicability === 'unsafe').length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const files = plural(report.filesChecked, 'file');
  if (errors + warnings + infos === 0)
    return options.quiet ? '' : `${paint('bold', 'No problems')} in ${files}.\n`;
  const parts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (infos > 0) parts.push(plural(infos, 'note'));
  const notes: string[] = [];
  if (safe > 0) notes.push(`${safe} fixable with --fix`);
  if (unsafe > 0) notes.push(`${unsafe} with --unsafe-fixes`);
  const fixNote =
    notes.length > 0 ? ` ${notes.join(', ')} (strategy: ${report.strategy}; preview with --diff).` : '';
  return `${paint('bold', `Found ${parts.join(', ')}`)} in ${files}.${fixNote}\n`;
}

/** `path:line:col: error: message` lines for input problems (printed on stderr). */
export function renderDiagnostics(report: Report, options: ReporterOptions): string {
  const lines: string[] = [];
  for (const d of report.diagnostics) {
    if (d.severity === 'info' && options.quiet) continue;
    const p = diagnosticPosition(d, report.sources);
    lines.push(`${d.path}:${p.line}:${p.column}: ${d.severity === 'error' ? 'error' : 'note'}: ${d.message}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
