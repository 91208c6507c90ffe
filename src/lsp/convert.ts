/**
 * The engine's results in LSP terms. Pure: positions come from the run's Sources (UTF-16 offsets,
 * 1-based lines and columns) and become LSP's 0-based line/character, which count UTF-16 too.
 */
import type {
  CodeAction,
  Diagnostic as LspDiagnostic,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { type InspectedJob, type Inspection, installVerdict } from '../engine/inspect.ts';
import { docsUrl } from '../engine/rule.ts';
import type { Sources } from '../engine/sources.ts';
import type { Diagnostic, Finding, Fix } from '../model/finding.ts';
import type { Span } from '../model/span.ts';
import { diagnosticPosition } from '../reporters/types.ts';

/** Where each path's diagnostics go (the document's own URI for its path, file URIs for the rest). */
export type UriOf = (path: string) => string;

const SEVERITY = { error: 1, warning: 2, info: 3 } as const;

export function rangeOf(sources: Sources, span: Pick<Span, 'path' | 'start' | 'end'>): Range {
  const start = sources.position(span.path, span.start);
  const end = sources.position(span.path, span.end);
  return {
    start: { line: start.line - 1, character: start.column - 1 },
    end: { line: end.line - 1, character: end.column - 1 },
  };
}

export function findingDiagnostic(f: Finding, sources: Sources, uriOf: UriOf): LspDiagnostic {
  const d: LspDiagnostic = {
    range: rangeOf(sources, f.span),
    severity: SEVERITY[f.severity],
    source: 'ci-lint',
    code: f.rule,
    codeDescription: { href: docsUrl(f.rule) },
    message: f.hint ? `${f.message}\n${f.hint}` : f.message,
  };
  if (f.related.length > 0)
    d.relatedInformation = f.related.map((r) => ({
      location: { uri: uriOf(r.span.path), range: rangeOf(sources, r.span) },
      message: r.label,
    }));
  return d;
}

export function inputDiagnostic(d: Diagnostic, sources: Sources): LspDiagnostic {
  const at = diagnosticPosition(d, sources);
  const position = { line: at.line - 1, character: at.column - 1 };
  return {
    range: { start: position, end: position },
    severity: SEVERITY[d.severity],
    source: 'ci-lint',
    message: d.message,
  };
}

/** Diagnostics of one run, grouped by the URI they belong to (a finding may live in an included file). */
export function diagnosticsByUri(
  run: { findings: Finding[]; diagnostics: Diagnostic[]; sources: Sources },
  uriOf: UriOf,
): Map<string, LspDiagnostic[]> {
  const out = new Map<string, LspDiagnostic[]>();
  const add = (path: string, d: LspDiagnostic) => {
    const uri = uriOf(path);
    const list = out.get(uri) ?? [];
    list.push(d);
    out.set(uri, list);
  };
  for (const f of run.findings) add(f.span.path, findingDiagnostic(f, run.sources, uriOf));
  for (const d of run.diagnostics) add(d.path, inputDiagnostic(d, run.sources));
  return out;
}

export function workspaceEdit(fix: Fix, sources: Sources, uriOf: UriOf): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) {
    const uri = uriOf(e.path);
    changes[uri] ??= [];
    changes[uri].push({ range: rangeOf(sources, e), newText: e.text });
  }
  return { changes };
}

/** One code action per fix; the applicability is in the title, so the user sees what they accept. */
export function fixActions(
  f: Finding,
  sources: Sources,
  uriOf: UriOf,
  preferred: Fix['strategy'],
): CodeAction[] {
  const diagnostic = findingDiagnostic(f, sources, uriOf);
  return f.fixes.map((fix) => ({
    title: `${fix.title} [${fix.strategy}, ${fix.applicability}]`,
    kind: 'quickfix',
    diagnostics: [diagnostic],
    isPreferred: fix.applicability === 'safe' && fix.strategy === preferred,
    edit: workspaceEdit(fix, sources, uriOf),
    data: { rule: f.rule, strategy: fix.strategy, applicability: fix.applicability },
  }));
}

export function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) =>
    x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** Hover text for the install commands on one line: the job's Python, the evidence, the verdict. */
export function hoverMarkdown(ins: Inspection, path: string, line: number): string | undefined {
  const parts: string[] = [];
  for (const job of ins.jobs)
    for (const shell of job.shells)
      for (const l of shell.lines)
        for (const i of l.installs) {
          if (l.path !== path || i.line !== line) continue;
          parts.push(jobVerdict(job, i));
        }
  return parts.length > 0 ? parts.join('\n\n---\n\n') : undefined;
}

function jobVerdict(
  job: InspectedJob,
  i: InspectedJob['shells'][number]['lines'][number]['installs'][number],
) {
  const e = job.environment;
  const image = job.image ? ` on \`${job.image.name}\` (${job.image.origin})` : ' (no image)';
  const lines = [
    `**ci-lint** · job \`${job.name}\`${image}`,
    '',
    `\`${i.command}\`: ${installVerdict(i)} (${i.why})`,
    '',
    `Python: ${e.description}; externally managed: **${e.managed}**${e.managed === 'unknown' ? '' : ` (${e.basis})`}`,
  ];
  for (const ev of e.evidence) lines.push(`- because ${ev}`);
  return lines.join('\n');
}
