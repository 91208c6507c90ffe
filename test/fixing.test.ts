/** The fix machinery: applying edits, sharing and deferring fixes, the meaning check, the diff. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyFixes } from '../src/engine/apply-fixes.ts';
import { unifiedDiff } from '../src/engine/diff.ts';
import { fixText, MAX_ROUNDS } from '../src/engine/fixer.ts';
import { sameOutsideEdits } from '../src/engine/meaning.ts';
import type { Edit, Finding, Fix } from '../src/model/finding.ts';

const fix = (edits: Omit<Edit, 'path'>[], title = 't'): Fix => ({
  title,
  strategy: 'override',
  applicability: 'safe',
  edits: edits.map((e) => ({ path: 'f', ...e })),
});

describe('applyFixes', () => {
  test('applies edits back to front over the original offsets', () => {
    const r = applyFixes('abcdef', [
      fix([{ start: 1, end: 2, text: 'X' }]),
      fix([{ start: 4, end: 4, text: 'YY' }]),
    ]);
    assert.equal(r.text, 'aXcdYYef');
    assert.equal(r.applied.length, 2);
  });

  test('identical edits from two fixes are applied once (a shared "create the venv" line)', () => {
    const shared = { start: 0, end: 0, text: 'V ' };
    const r = applyFixes('pip a; pip b', [
      fix([shared, { start: 3, end: 3, text: '1' }]),
      fix([shared, { start: 12, end: 12, text: '2' }]),
    ]);
    assert.equal(r.text, 'V pip1 a; pip b2');
    assert.equal(r.applied.length, 2);
  });

  test('an overlapping fix is deferred, all or nothing', () => {
    const r = applyFixes('abcdef', [
      fix([{ start: 1, end: 4, text: 'X' }]),
      fix([
        { start: 0, end: 0, text: '>' },
        { start: 2, end: 3, text: 'Y' },
      ]),
    ]);
    assert.equal(r.text, 'aXef');
    assert.equal(r.deferred.length, 1);
  });

  test('two different insertions at one point conflict (their order would be a guess)', () => {
    const r = applyFixes('ab', [
      fix([{ start: 1, end: 1, text: 'X' }]),
      fix([{ start: 1, end: 1, text: 'Y' }]),
    ]);
    assert.equal(r.text, 'aXb');
    assert.equal(r.deferred.length, 1);
  });
});

describe('fixText', () => {
  /** A finding at the start of the text whose fix inserts `text` there. */
  const findingWith = (text: string): Finding => ({
    rule: 'r',
    severity: 'error',
    span: { path: 'f', start: 0, end: 1 },
    message: 'm',
    jobs: ['j'],
    fixes: [fix([{ start: 0, end: 0, text }])],
    related: [],
  });

  test('fixes applied round after round until none is left', () => {
    const lint = (t: string) => (t.startsWith('AA') ? [] : [findingWith('A')]);
    const r = fixText('f', 'x', lint, 'override', 'safe');
    assert.deepEqual([r.text, r.fixedCount, r.reverted], ['AAx', 2, undefined]);
  });

  test('a fix needed again after every round leaves the file unchanged, and says so', () => {
    const r = fixText('f', 'x', () => [findingWith('A')], 'override', 'safe');
    assert.equal(r.text, 'x');
    assert.equal(r.fixedCount, 0);
    assert.match(r.reverted ?? '', new RegExp(`did not settle after ${MAX_ROUNDS} rounds`));
  });
});

describe('sameOutsideEdits', () => {
  const before = 'job:\n  variables:\n    A: "1"\n  script:\n    - pip install x\n    - echo done\n';
  test('an edit inside a script scalar keeps the meaning elsewhere', () => {
    const edit = { path: 'f', start: before.indexOf('pip'), end: before.indexOf('pip'), text: 'P=1 ' };
    const after = `${before.slice(0, edit.start)}P=1 ${before.slice(edit.start)}`;
    assert.deepEqual(sameOutsideEdits(before, after, [edit]), { same: true });
  });

  test('a change outside the edited scalar is caught', () => {
    const edit = { path: 'f', start: before.indexOf('pip'), end: before.indexOf('pip'), text: 'P=1 ' };
    const after = before.replace('pip install x', 'P=1 pip install x').replace('A: "1"', 'A: "2"');
    const v = sameOutsideEdits(before, after, [edit]);
    assert.equal(v.same, false);
    assert.match((v as { why: string }).why, /\$\.job\.variables\.A: "1" became "2"/);
  });

  test('an edit that breaks the structure is caught', () => {
    const at = before.indexOf('- echo');
    const edit = { path: 'f', start: at, end: at, text: 'x: ' };
    const after = `${before.slice(0, at)}x: ${before.slice(at)}`;
    assert.equal(sameOutsideEdits(before, after, [edit]).same, false);
  });
});

describe('unifiedDiff', () => {
  test('hunks with context, CRLF lines kept as they are', () => {
    const a = 'l1\r\nl2\r\nl3\r\nl4\r\nl5\r\nl6\r\nl7\r\nl8\r\n';
    const b = a.replace('l2\r\n', 'L2\r\n').replace('l8', 'L8');
    assert.equal(
      unifiedDiff('f.yml', a, b),
      '--- a/f.yml\n+++ b/f.yml\n@@ -1,8 +1,8 @@\n l1\r\n-l2\r\n+L2\r\n l3\r\n l4\r\n l5\r\n l6\r\n l7\r\n-l8\r\n+L8\r\n',
    );
    assert.equal(unifiedDiff('f.yml', a, a), '');
  });

  test('far-apart changes make separate hunks; a missing final newline is marked', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const a = lines.join('\n');
    const b = a.replace('line 2\n', 'LINE 2\n').replace('line 20', 'LINE 20');
    const d = unifiedDiff('x', a, b);
    assert.equal((d.match(/^@@ /gm) ?? []).length, 2);
    assert.match(d, /^@@ -1,5 \+1,5 @@$/m);
    assert.match(d, /^-line 20\n\\ No newline at end of file\n\+LINE 20\n\\ No newline at end of file\n$/m);
  });
});
