/**
 * `# expect: <rule>[@severity][, …]` markers (markdownlint-style) on the line a finding must point
 * at; `# expect(+N): …` / `# expect(-N): …` when the marker cannot sit on that line itself.
 */
export interface Expectation {
  line: number;
  rule: string;
  severity?: string;
}

export function parseMarkers(text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    const m = /#\s*expect(?:\(([+-]\d+)\))?:\s*([a-z0-9@, -]+?)\s*$/.exec(line);
    if (!m) return;
    for (const item of m[2]!
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [rule, severity] = item.split('@');
      out.push({ line: i + 1 + Number(m[1] ?? 0), rule: rule!, ...(severity ? { severity } : {}) });
    }
  });
  return out;
}

/** Both ways: every marker reported (with its severity, if given), nothing unmarked reported. */
export function compareMarkers(
  expected: (Expectation & { path?: string })[],
  actual: (Expectation & { path?: string })[],
) {
  const key = (e: Expectation & { path?: string }) => `${e.path ?? ''}:${e.line}:${e.rule}`;
  const missing = expected.filter(
    (e) => !actual.some((a) => key(a) === key(e) && (!e.severity || a.severity === e.severity)),
  );
  const unexpected = actual.filter((a) => !expected.some((e) => key(e) === key(a)));
  return { missing, unexpected };
}
