/** The stable, versioned JSON output (DESIGN §7). Positions are 1-based; end positions are exclusive. */
import { docsUrl } from '../engine/rule.ts';
import { TOOL_NAME, VERSION } from '../version.ts';
import { diagnosticPosition, type Report } from './types.ts';

export function renderJson(report: Report): string {
  const { sources } = report;
  const findings = report.findings.map((f) => {
    const start = sources.position(f.span.path, f.span.start);
    const end = sources.position(f.span.path, f.span.end);
    return {
      rule: f.rule,
      severity: f.severity,
      path: f.span.path,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      message: f.message,
      ...(f.hint ? { hint: f.hint } : {}),
      jobs: f.jobs,
      ...(f.unaffectedJobs ? { unaffectedJobs: f.unaffectedJobs } : {}),
      ...(f.environment ? { environment: f.environment } : {}),
      fixes: f.fixes.map((x) => ({
        title: x.title,
        strategy: x.strategy,
        applicability: x.applicability,
        edits: x.edits,
      })),
      related: f.related.map((r) => {
        const p = sources.position(r.span.path, r.span.start);
        return { path: r.span.path, line: p.line, column: p.column, label: r.label };
      }),
      docs: docsUrl(f.rule),
    };
  });
  const position = (d: Report['diagnostics'][number]) => ({
    path: d.path,
    ...diagnosticPosition(d, sources),
    message: d.message,
  });
  return `${JSON.stringify(
    {
      version: 1,
      tool: { name: TOOL_NAME, version: VERSION },
      findings,
      errors: report.diagnostics.filter((d) => d.severity === 'error').map(position),
      notes: report.diagnostics.filter((d) => d.severity === 'info').map(position),
    },
    null,
    2,
  )}\n`;
}
