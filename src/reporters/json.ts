/** The stable, versioned JSON output (DESIGN §7). Positions are 1-based; end positions are exclusive. */

import { docsUrl } from '../engine/rule.ts';
import type { Sources } from '../engine/sources.ts';
import type { Diagnostic, Finding } from '../model/finding.ts';
import { TOOL_NAME, VERSION } from '../version.ts';
import {
  JsonArrayWriter,
  nestedJson,
  positioned,
  type Report,
  type ReportStream,
  renderWhole,
} from './types.ts';

export function renderJson(report: Report): string {
  return renderWhole(jsonStream(), report);
}

/** Findings are written as their files are done; errors and notes (small) at the end. */
export function jsonStream(): ReportStream {
  const findings = new JsonArrayWriter(1);
  const diagnostics: Diagnostic[] = [];
  let head = `{\n  "version": 1,\n  "tool": ${nestedJson({ name: TOOL_NAME, version: VERSION }, 1)},\n  "findings": ${findings.open()}`;
  return {
    file(batch) {
      let out = head;
      head = '';
      out += findings.items(batch.findings.map((f) => findingJson(f, batch.sources)));
      for (const d of batch.diagnostics) diagnostics.push(positioned(d, batch.sources));
      return out;
    },
    end() {
      const position = (d: Diagnostic) => ({
        path: d.path,
        line: d.line,
        column: d.column,
        message: d.message,
      });
      const errors = diagnostics.filter((d) => d.severity === 'error').map(position);
      const notes = diagnostics.filter((d) => d.severity === 'info').map(position);
      return `${head}${findings.close()},\n  "errors": ${nestedJson(errors, 1)},\n  "notes": ${nestedJson(notes, 1)}\n}\n`;
    },
  };
}

function findingJson(f: Finding, sources: Sources) {
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
}
