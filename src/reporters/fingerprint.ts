/**
 * Identities of findings that survive unrelated edits, shared by the SARIF (`partialFingerprints`)
 * and GitLab Code Quality (`fingerprint`) reporters, so both tools track the same finding the same way.
 *
 * A fingerprint hashes the rule id, the file's path, the text of the line the finding starts on
 * (trimmed, runs of blanks collapsed) and an occurrence counter among findings that share those three
 * in the same file (in file order). The line *number* is deliberately left out: adding a blank line
 * or a comment above a finding moves it but keeps its fingerprint; changing the command changes it.
 */
import { createHash } from 'node:crypto';
import { sep } from 'node:path';
import type { Sources } from '../engine/sources.ts';
import type { Diagnostic, Finding } from '../model/finding.ts';

/** Key of ci-lint's entry in SARIF `partialFingerprints`; bump the version if the recipe changes. */
export const FINGERPRINT_KEY = 'ciLint/v1';
const RECIPE = 'ci-lint fingerprint v1';

/** A path as the platform-independent reporters print it: forward slashes, otherwise as given. */
export function portablePath(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** SHA-256 (hex) of the parts, each length-prefixed so that no two part lists collide. */
export function digest(parts: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(RECIPE);
  for (const part of parts) hash.update(`\0${part.length}:${part}`);
  return hash.digest('hex');
}

function lineKey(path: string, offset: number, sources: Sources): string {
  const index = sources.index(path);
  return index.lineText(index.position(offset).line).trim().replace(/\s+/g, ' ');
}

/**
 * One fingerprint per finding, in the order of `findings`. `seen` carries the occurrence counts over
 * from earlier batches of the same run (a report written file by file).
 */
export function findingFingerprints(
  findings: readonly Finding[],
  sources: Sources,
  seen = new Map<string, number>(),
): string[] {
  const keys = findings.map((f) => [
    f.rule,
    portablePath(f.span.path),
    lineKey(f.span.path, f.span.start, sources),
  ]);
  // occurrences are counted in file order, whatever order the findings arrive in
  const order = findings
    .map((_, i) => i)
    .sort((a, b) => {
      const x = findings[a]!.span;
      const y = findings[b]!.span;
      return x.path < y.path ? -1 : x.path > y.path ? 1 : x.start - y.start || x.end - y.end || a - b;
    });
  const out: string[] = new Array(findings.length);
  for (const i of order) {
    const key = keys[i]!;
    const id = JSON.stringify(key);
    const occurrence = seen.get(id) ?? 0;
    seen.set(id, occurrence + 1);
    out[i] = digest([...key, String(occurrence)]);
  }
  return out;
}

/** Fingerprint of an input problem (unreadable file, broken YAML): its path and message, no position. */
export function diagnosticFingerprint(d: Diagnostic): string {
  return digest(['diagnostic', portablePath(d.path), d.message]);
}
