/**
 * The override fix never walks into the traps after the override (issue 11): for every rule case, the
 * file fixed with `--fix-strategy override` has no finding of a trap rule that the original did not
 * have on the same line — no self-upgrade Debian 13 refuses, no variable sudo drops, no get-pip.py
 * that the override breaks. (The Debian 13 real-pip proof runs the trap cases' goldens for real.)
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixText } from '../src/engine/fixer.ts';
import type { Finding } from '../src/model/finding.ts';
import { lintString } from './helpers/lint.ts';

const TRAP_RULES = new Set([
  'override-cannot-replace-debian-package',
  'override-dropped-by-sudo',
  'get-pip-on-managed-python',
]);
const rulesDir = new URL('../rules/', import.meta.url).pathname;

const cases = readdirSync(rulesDir).flatMap((id) => {
  const dir = join(rulesDir, id, 'cases');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yml') && !f.endsWith('.fixed.yml'))
        .map((f) => join(dir, f))
    : [];
});

/** Trap findings as `rule: line text`, which survive edits elsewhere in the file. */
function traps(text: string, lint: (t: string) => Finding[]): string[] {
  const lines = text.split('\n');
  return lint(text)
    .filter((f) => TRAP_RULES.has(f.rule))
    .map((f) => `${f.rule}: ${lines[text.slice(0, f.span.start).split('\n').length - 1]?.trim()}`)
    .sort();
}

test('no case gains a trap finding from the override fix', () => {
  const gained: string[] = [];
  for (const path of cases) {
    const text = readFileSync(path, 'utf8');
    const defaultImage = /^# default-image: (\S+)/m.exec(text)?.[1];
    const lint = (t: string) =>
      lintString(path, t, defaultImage ? { environment: { defaultImage } } : {}).findings;
    const fixed = fixText(path, text, lint, 'override', 'unsafe').text;
    if (fixed === text) continue;
    const before = new Set(traps(text, lint).map((t) => t.replace(/ # expect.*$/, '')));
    for (const t of traps(fixed, lint))
      if (!before.has(t.replace(/ # expect.*$/, ''))) gained.push(`${path.slice(rulesDir.length)}: ${t}`);
  }
  assert.deepEqual(gained, []);
});
