/**
 * SARIF 2.1.0 (for GitHub code scanning and other SARIF viewers): one run whose driver describes
 * every rule (summary, README as help, docs URI, default level), one result per finding with its
 * region (1-based; `endColumn` exclusive, in UTF-16 code units, SARIF's default `columnKind`),
 * related locations, fixes as SARIF `fixes` (character offsets into the original file) and a stable
 * partial fingerprint; input problems become tool execution notifications.
 */
import { RULES } from '../../rules/index.ts';
import { docsUrl, REPOSITORY_URL, type RuleMeta, readRuleDocs } from '../engine/rule.ts';
import type { Sources } from '../engine/sources.ts';
import type { Diagnostic, Finding, Fix, FixStrategy, Severity } from '../model/finding.ts';
import { TOOL_NAME, VERSION } from '../version.ts';
import { FINGERPRINT_KEY, findingFingerprints, portablePath } from './fingerprint.ts';
import { diagnosticPosition, JsonArrayWriter, type Report, type ReportStream, renderWhole } from './types.ts';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note' };

export function renderSarif(report: Report): string {
  return renderWhole(sarifStream(report.strategy), report);
}

/** Stands for the results in the log's skeleton; they are spliced in as text. */
const RESULTS_HOLE = '\u0000results';

/**
 * SARIF puts the rules and the notifications before the results, so the results wait: each as its
 * JSON text, which is far smaller than the findings and file texts it comes from.
 */
export function sarifStream(strategy: FixStrategy): ReportStream {
  const results = new JsonArrayWriter(3);
  let resultsText = results.open();
  // rules a finding names that ci-lint does not have go after its own, in order of appearance
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const unknownRules: Pick<Finding, 'rule' | 'severity'>[] = [];
  const indexOf = (f: Finding) => {
    let i = ruleIndex.get(f.rule);
    if (i === undefined) {
      i = ruleIndex.size;
      ruleIndex.set(f.rule, i);
      unknownRules.push(f);
    }
    return i;
  };
  const occurrences = new Map<string, number>();
  const notifications: ReturnType<typeof notification>[] = [];
  let failed = false;
  return {
    file({ findings, diagnostics, sources }) {
      const fingerprints = findingFingerprints(findings, sources, occurrences);
      resultsText += results.items(findings.map((f, i) => result(f, indexOf(f), fingerprints[i]!, sources)));
      for (const d of diagnostics) {
        notifications.push(notification(d, sources));
        if (d.severity === 'error') failed = true;
      }
      return '';
    },
    end(filesChecked) {
      const rules = ruleDescriptors(unknownRules);
      const log = {
        $schema: SARIF_SCHEMA_URI,
        version: '2.1.0',
        runs: [
          {
            tool: {
              driver: {
                name: TOOL_NAME,
                version: VERSION,
                semanticVersion: VERSION,
                informationUri: REPOSITORY_URL,
                rules,
              },
            },
            invocations: [{ executionSuccessful: !failed, toolExecutionNotifications: notifications }],
            // what ci-lint counts as a line break (YAML's rule), so viewers count lines as it does
            newlineSequences: ['\r\n', '\n', '\r'],
            columnKind: 'utf16CodeUnits',
            results: RESULTS_HOLE,
            properties: { filesChecked, fixStrategy: strategy },
          },
        ],
      };
      const body = resultsText + results.close();
      return `${JSON.stringify(log, null, 2).replace(JSON.stringify(RESULTS_HOLE), () => body)}\n`;
    },
  };
}

/** Every rule ci-lint has, plus any rule id a finding names that is not among them. */
function ruleDescriptors(findings: readonly Pick<Finding, 'rule' | 'severity'>[]) {
  const metas: Pick<RuleMeta, 'id' | 'severity' | 'summary' | 'fixable'>[] = [...RULES];
  for (const f of findings)
    if (!metas.some((m) => m.id === f.rule))
      metas.push({ id: f.rule, severity: f.severity, summary: f.rule, fixable: 'none' });
  return metas.map((m) => {
    const readme = readRuleDocs(m.id);
    const lead = readme ? leadParagraph(readme) : undefined;
    return {
      id: m.id,
      name: m.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
      shortDescription: { text: m.summary },
      fullDescription: lead ? { text: plainText(lead), markdown: lead } : { text: m.summary },
      help: readme ? { text: readme, markdown: readme } : { text: `${m.summary}\n\nDocs: ${docsUrl(m.id)}` },
      helpUri: docsUrl(m.id),
      defaultConfiguration: { level: LEVEL[m.severity] },
      properties: { tags: ['ci', 'pip', 'pep668'], fixable: m.fixable },
    };
  });
}

/** The first paragraph after the title. */
function leadParagraph(markdown: string): string | undefined {
  return markdown
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .find((p) => p !== '' && !p.startsWith('#') && !p.startsWith('```'));
}

function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/\s*\n\s*/g, ' ');
}

/** A relative URI reference for a path as given (absolute paths become `file:` URIs). */
export function artifactUri(path: string): string {
  const p = portablePath(path);
  const drive = /^[A-Za-z]:\//.test(p);
  const encoded = p
    .split('/')
    .map((seg, i) => (i === 0 && drive ? seg : encodeURIComponent(seg)))
    .join('/');
  if (drive) return `file:///${encoded}`;
  if (p.startsWith('/')) return `file://${encoded}`;
  return encoded;
}

function region(sources: Sources, path: string, start: number, end: number, snippet: boolean) {
  const s = sources.position(path, start);
  const e = sources.position(path, end);
  return {
    startLine: s.line,
    startColumn: s.column,
    endLine: e.line,
    endColumn: e.column,
    ...(snippet ? { snippet: { text: sources.text(path).slice(start, end) } } : {}),
  };
}

function result(f: Finding, ruleIndex: number, fingerprint: string, sources: Sources) {
  const related = new Set<string>();
  const relatedLocations = f.related
    .filter((r) => {
      const key = `${r.span.path}\0${r.span.start}\0${r.span.end}\0${r.label}`;
      if (related.has(key)) return false;
      related.add(key);
      return true;
    })
    .map((r, i) => ({
      id: i + 1,
      physicalLocation: {
        artifactLocation: { uri: artifactUri(r.span.path) },
        region: region(sources, r.span.path, r.span.start, r.span.end, false),
      },
      message: { text: r.label },
    }));
  return {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(f.span.path) },
          region: region(sources, f.span.path, f.span.start, f.span.end, true),
        },
      },
    ],
    ...(relatedLocations.length > 0 ? { relatedLocations } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    ...(f.fixes.length > 0 ? { fixes: f.fixes.map(sarifFix) } : {}),
    properties: {
      jobs: f.jobs,
      ...(f.unaffectedJobs ? { unaffectedJobs: f.unaffectedJobs } : {}),
      ...(f.hint ? { hint: f.hint } : {}),
      ...(f.environment ? { environment: f.environment } : {}),
    },
  };
}

/** A fix as SARIF replacements: `[start, end)` of the original text becomes `text`. */
function sarifFix(fix: Fix) {
  const byPath = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  return {
    description: { text: fix.title },
    artifactChanges: [...byPath].map(([path, edits]) => ({
      artifactLocation: { uri: artifactUri(path) },
      replacements: edits.map((e) => ({
        deletedRegion: { charOffset: e.start, charLength: e.end - e.start },
        ...(e.text !== '' ? { insertedContent: { text: e.text } } : {}),
      })),
    })),
    properties: {
      strategy: fix.strategy,
      applicability: fix.applicability,
      ...(fix.group ? { group: fix.group } : {}),
    },
  };
}

function notification(d: Diagnostic, sources: Sources) {
  const p = diagnosticPosition(d, sources);
  return {
    level: d.severity === 'error' ? 'error' : 'note',
    message: { text: d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(d.path) },
          region: { startLine: p.line, startColumn: p.column },
        },
      },
    ],
  };
}
