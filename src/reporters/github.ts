/**
 * GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…,col=…,endLine=…,
 * endColumn=…,title=…::message` line per finding and per input problem, escaped as the runner
 * unescapes them.
 *
 * GitHub keeps at most 10 error, 10 warning and 10 notice annotations per step (50 per job) and drops
 * the rest without a word. So at most 10 of each kind are emitted; if any kind had more, one more
 * `::notice::` (counted within the notices' 10) says how many were left out by severity, and those
 * findings follow as plain log lines in a collapsed group, so nothing disappears.
 */
import { docsUrl } from '../engine/rule.ts';
import type { Sources } from '../engine/sources.ts';
import type { Diagnostic, Finding, Severity } from '../model/finding.ts';
import { portablePath } from './fingerprint.ts';
import { diagnosticPosition, type Report, type ReportStream, renderWhole } from './types.ts';

/** Annotations GitHub shows per step for each of error, warning and notice. */
export const ANNOTATIONS_PER_KIND = 10;

type Kind = 'error' | 'warning' | 'notice';
const KIND: Record<Severity, Kind> = { error: 'error', warning: 'warning', info: 'notice' };

interface Annotation {
  kind: Kind;
  properties: [string, string | number][];
  message: string;
  /** The same problem as one plain log line, for when it cannot be an annotation. */
  plain: string;
}

/** Command data: `%`, CR and LF are escaped (what `@actions/core` and the runner agree on). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Command property values: as data, plus `:` and `,`, which delimit the properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(a: Annotation): string {
  const props = a.properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${a.kind}${props ? ` ${props}` : ''}::${escapeData(a.message)}`;
}

export function renderGithub(report: Report): string {
  return renderWhole(githubStream(), report);
}

/**
 * Input problems come first and the caps count over the whole run, so everything waits for the end,
 * kept as annotations: a few short strings each.
 */
export function githubStream(): ReportStream {
  const problems: Annotation[] = [];
  const findings: Annotation[] = [];
  return {
    file({ findings: batch, diagnostics, sources }) {
      // input problems first: they explain a failed run before any finding does
      for (const d of diagnostics) problems.push(problemAnnotation(d, sources));
      for (const f of batch) findings.push(findingAnnotation(f, sources));
      return '';
    },
    end() {
      return renderAnnotations([...problems, ...findings]);
    },
  };
}

function problemAnnotation(d: Diagnostic, sources: Sources): Annotation {
  const p = diagnosticPosition(d, sources);
  const path = portablePath(d.path);
  return {
    kind: d.severity === 'error' ? 'error' : 'notice',
    properties: [
      ['file', path],
      ['line', p.line],
      ['col', p.column],
      ['title', 'ci-lint'],
    ],
    message: d.message,
    plain: `${path}:${p.line}:${p.column}: ${d.severity === 'error' ? 'error' : 'note'}: ${d.message}`,
  };
}

function findingAnnotation(f: Finding, sources: Sources): Annotation {
  const start = sources.position(f.span.path, f.span.start);
  const end = sources.position(f.span.path, f.span.end);
  const path = portablePath(f.span.path);
  // GitHub accepts columns only within one line (the check-run annotation API rejects them otherwise).
  // endColumn is the column just past the command, as in the JSON and SARIF output; GitHub's docs do
  // not say whether it is inclusive, and one extra column of highlight is harmless either way.
  const position: [string, number][] =
    start.line === end.line
      ? [
          ['line', start.line],
          ['col', start.column],
          ['endLine', end.line],
          ['endColumn', end.column],
        ]
      : [
          ['line', start.line],
          ['endLine', end.line],
        ];
  const lines = [f.message];
  if (f.hint) lines.push(`hint: ${f.hint}`);
  lines.push(`docs: ${docsUrl(f.rule)}`);
  return {
    kind: KIND[f.severity],
    properties: [['file', path], ...position, ['title', `ci-lint: ${f.rule}`]],
    message: lines.join('\n'),
    plain: `${path}:${start.line}:${start.column}: ${f.severity}: ${f.message} [${f.rule}]`,
  };
}

function renderAnnotations(annotations: readonly Annotation[]): string {
  const total = (k: Kind) => annotations.filter((a) => a.kind === k).length;
  const overflowing = (['error', 'warning', 'notice'] as const).some((k) => total(k) > ANNOTATIONS_PER_KIND);
  // the summary is itself a notice, so it takes one of the notices' places
  const cap: Record<Kind, number> = {
    error: ANNOTATIONS_PER_KIND,
    warning: ANNOTATIONS_PER_KIND,
    notice: overflowing ? ANNOTATIONS_PER_KIND - 1 : ANNOTATIONS_PER_KIND,
  };
  const shown: Record<Kind, number> = { error: 0, warning: 0, notice: 0 };
  const out: string[] = [];
  const left: Annotation[] = [];
  for (const a of annotations) {
    if (shown[a.kind] < cap[a.kind]) {
      shown[a.kind]++;
      out.push(command(a));
    } else left.push(a);
  }
  if (left.length > 0) {
    const count = (k: Kind) => left.filter((a) => a.kind === k).length;
    const parts = [
      plural(count('error'), 'error'),
      plural(count('warning'), 'warning'),
      plural(count('notice'), 'note'),
    ].filter((s) => !s.startsWith('0 '));
    out.push(
      command({
        kind: 'notice',
        properties: [['title', 'ci-lint: more problems than GitHub annotates']],
        message: `${left.length} more not annotated (${parts.join(', ')}): GitHub shows at most ${ANNOTATIONS_PER_KIND} errors, ${ANNOTATIONS_PER_KIND} warnings and ${ANNOTATIONS_PER_KIND} notices per step. They are listed in the log below; the SARIF report has them all.`,
        plain: '',
      }),
    );
    out.push(`::group::ci-lint: ${left.length} more not annotated`);
    // one line each, led by "- ": the runner trims leading blanks, then looks for "::"
    for (const a of left) out.push(`- ${a.plain.replace(/[\r\n]+/g, ' ')}`);
    out.push('::endgroup::');
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
