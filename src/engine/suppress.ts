/**
 * Inline suppressions: `# ci-lint: ignore[rule-a, rule-b] reason` on the finding's own physical line,
 * or alone on the line above it; `# ci-lint: ignore-file[rule]` anywhere in the file. Matching is by
 * physical line, so it works inside `script: |` blocks (where it is also a harmless shell comment).
 */
import type { Finding } from '../model/finding.ts';
import type { Sources } from './sources.ts';

export interface Suppression {
  path: string;
  line: number;
  rules: string[];
  fileWide: boolean;
  reason: string;
  used: boolean;
  /** The comment is alone on its line, so it may speak for the line below. */
  ownLine: boolean;
}

const DIRECTIVE = /#\s*ci-lint:\s*(ignore|ignore-file)\[([^\]]*)\]\s*(.*)$/;

export function findSuppressions(path: string, text: string): Suppression[] {
  const out: Suppression[] = [];
  if (!text.includes('ci-lint:')) return out; // most files have none: no need to split them into lines
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    const m = DIRECTIVE.exec(line);
    if (!m) return;
    const rules = m[2]!
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    out.push({
      path,
      line: i + 1,
      rules,
      fileWide: m[1] === 'ignore-file',
      reason: m[3]!.trim(),
      used: false,
      ownLine: /^\s*(-\s*)?#/.test(line),
    });
  });
  return out;
}

/** Removes suppressed findings; marks the suppressions that matched. */
export function applySuppressions(
  findings: Finding[],
  sources: Sources,
  byPath: Map<string, Suppression[]>,
): Finding[] {
  // without a suppression there is nothing to match, and no finding's line needs working out
  if (![...byPath.values()].some((list) => list.length > 0)) return findings;
  return findings.filter((f) => {
    const list = byPath.get(f.span.path) ?? [];
    const line = sources.position(f.span.path, f.span.start).line;
    const covers = (x: Suppression) => x.rules.includes(f.rule) || x.rules.includes('all');
    // the finding's own line first, then a comment alone on the line above, then the whole file
    const hit =
      list.find((x) => covers(x) && !x.fileWide && x.line === line) ??
      list.find((x) => covers(x) && !x.fileWide && x.ownLine && x.line === line - 1) ??
      list.find((x) => covers(x) && x.fileWide);
    if (hit) hit.used = true;
    return !hit;
  });
}
