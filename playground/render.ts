/**
 * The playground's views, built as DOM nodes with textContent (the user's YAML is never parsed as
 * HTML): the file with its findings underlined in place, the Python verdict per job, the fix diff.
 */
import { type Inspection, installVerdict } from '../src/engine/inspect.ts';
import type { Sources } from '../src/engine/sources.ts';
import type { Diagnostic, Finding } from '../src/model/finding.ts';
import { LineIndex } from '../src/model/span.ts';
import { diagnosticPosition } from '../src/reporters/types.ts';

function el(tag: string, className?: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

interface Note {
  severity: string;
  text: string;
  fixes: string[];
}

/** The file line by line, each finding's span underlined, its message under its first line. */
export function renderFindings(
  target: HTMLElement,
  path: string,
  text: string,
  findings: Finding[],
  diagnostics: Diagnostic[],
  sources: Sources,
): void {
  target.replaceChildren();
  const index = new LineIndex(text);
  const own = findings.filter((f) => f.span.path === path);
  const notes = new Map<number, Note[]>();
  const noteAt = (line: number, note: Note) => notes.set(line, [...(notes.get(line) ?? []), note]);
  for (const f of own)
    noteAt(index.position(f.span.start).line, {
      severity: f.severity,
      text: `${f.severity}: ${f.message} [${f.rule}]${f.hint ? ` — ${f.hint}` : ''}`,
      fixes: f.fixes.map((x) => `fix (${x.strategy}, ${x.applicability}): ${x.title}`),
    });
  for (const d of diagnostics) {
    const at = d.path === path ? diagnosticPosition(d, sources).line : 1;
    const where = d.path === path ? '' : ` (${d.path})`;
    noteAt(at, { severity: d.severity, text: `${d.severity}${where}: ${d.message}`, fixes: [] });
  }
  // a final line break ends the last line; it does not start an empty one
  const ended = text.endsWith('\n') || text.endsWith('\r');
  let lines = ended ? index.lineCount - 1 : index.lineCount;
  for (const at of notes.keys()) lines = Math.max(lines, at); // a note past the end (a parse error at EOF)
  for (let line = 1; line <= lines; line++) {
    const start = index.lineStart(line);
    const content = index.lineText(line);
    const row = el('div');
    row.append(el('span', 'ln', String(line)));
    // the parts of this line inside some finding's span, merged, in order
    const marks = own
      .map((f) => ({
        from: Math.max(f.span.start, start) - start,
        to: Math.min(f.span.end, start + content.length) - start,
        severity: f.severity,
      }))
      .filter((m) => m.from < m.to)
      .sort((a, b) => a.from - b.from);
    let at = 0;
    for (const m of marks) {
      if (m.from < at) continue;
      row.append(content.slice(at, m.from), el('mark', m.severity, content.slice(m.from, m.to)));
      at = m.to;
    }
    row.append(content.slice(at));
    target.append(row);
    for (const n of notes.get(line) ?? []) {
      const box = el('span', `note ${n.severity}`, n.text);
      for (const fix of n.fixes) box.append(el('div', 'fixes', fix));
      target.append(box);
    }
  }
  if (own.length === 0 && diagnostics.length === 0) target.prepend(el('div', 'muted', 'No findings.'));
}

export function renderJobs(target: HTMLElement, ins: Inspection): void {
  target.replaceChildren();
  if (ins.jobs.length === 0) {
    target.append(el('div', 'muted', 'No jobs.'));
    return;
  }
  const table = el('table');
  const head = el('tr');
  for (const h of ['job', 'image', 'externally managed', 'why', 'pip calls']) head.append(el('th', '', h));
  table.append(head);
  for (const job of ins.jobs) {
    const e = job.environment;
    const row = el('tr');
    row.dataset.job = job.name;
    row.append(el('td', '', job.name), el('td', '', job.image ? job.image.name : '(none)'));
    const verdict = el('td');
    verdict.append(el('span', e.managed, e.managed));
    verdict.append(el('div', 'muted', `${e.managed === 'unknown' ? '' : `${e.basis} · `}${e.description}`));
    row.append(verdict);
    const why = el('td');
    const list = el('ul');
    for (const ev of e.evidence) list.append(el('li', '', ev));
    why.append(list);
    row.append(why);
    const calls = el('td');
    for (const shell of job.shells)
      for (const l of shell.lines)
        for (const i of l.installs)
          calls.append(el('div', '', `line ${i.line}: ${i.command} → ${installVerdict(i)}`));
    row.append(calls);
    table.append(row);
  }
  target.append(table);
}

export function renderDiff(target: HTMLElement, diffs: string[]): void {
  target.replaceChildren();
  if (diffs.length === 0) {
    target.append(el('div', 'muted', 'Nothing to fix with this strategy and applicability.'));
    return;
  }
  for (const line of diffs.join('').split('\n')) {
    if (line === '') continue;
    const kind = line.startsWith('@@')
      ? 'hunk'
      : line.startsWith('+') && !line.startsWith('+++')
        ? 'add'
        : line.startsWith('-') && !line.startsWith('---')
          ? 'del'
          : 'same';
    target.append(el('span', kind, line));
  }
}
