/**
 * Completeness of every rule (ruff's test.rs, ts-eslint's docs test): metadata, docs headings,
 * cases, fix availability; README examples are executed (Bad must trigger, Good must not).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RULES } from '../rules/index.ts';
import { APPLICABILITY_RANK } from '../src/model/finding.ts';
import { lintString } from './helpers/lint.ts';

const root = new URL('..', import.meta.url).pathname;
const HEADINGS = ['## Why', '## Bad', '## Good', '## Fix', '## Suppress', '## Evidence'];

test('rules/index.ts lists every rule folder (regenerate with scripts/gen-rules-index.mjs)', () => {
  const r = spawnSync(process.execPath, ['scripts/gen-rules-index.mjs', '--check'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
});

test('rule ids are unique, kebab-case and match their folder', () => {
  const folders = readdirSync(join(root, 'rules'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.deepEqual(RULES.map((r) => r.id).sort(), folders);
  for (const r of RULES) assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
});

/** The ```yaml blocks under a `## heading` of a README. */
function yamlBlocks(readme: string, heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start === -1) return [];
  const next = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, next === -1 ? undefined : next);
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

for (const rule of RULES) {
  describe(`rule ${rule.id}`, () => {
    const dir = join(root, 'rules', rule.id);
    const readme = existsSync(join(dir, 'README.md')) ? readFileSync(join(dir, 'README.md'), 'utf8') : '';

    test('README has the summary and the required headings, in order', () => {
      assert.ok(readme.startsWith(`# ${rule.id}\n\n`), 'starts with "# <id>" and a summary line');
      let at = 0;
      for (const h of HEADINGS) {
        const i = readme.indexOf(`\n${h}\n`, at);
        assert.ok(i > at, `heading "${h}" present and in order`);
        at = i;
      }
      if (rule.fixable !== 'none')
        assert.match(readme, /\*\*Fix safety\.\*\*/, 'a fixable rule explains its fix safety');
    });

    test('README Bad examples trigger the rule, Good examples do not', () => {
      const bad = yamlBlocks(readme, '## Bad');
      const good = yamlBlocks(readme, '## Good');
      assert.ok(bad.length > 0 && good.length > 0, 'at least one Bad and one Good example');
      for (const text of bad) {
        const ids = lintString('example.yml', text).findings.map((f) => f.rule);
        assert.ok(ids.includes(rule.id), `Bad example should trigger ${rule.id}:\n${text}`);
      }
      for (const text of good) {
        const result = lintString('example.yml', text);
        // a fragment is not a CI file: it would pass without being linted at all
        const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
        assert.ok(
          result.dialect && errors.length === 0,
          `Good example should be a whole CI file:\n${text}\n${errors}`,
        );
        const ids = result.findings.map((f) => f.rule);
        assert.ok(!ids.includes(rule.id), `Good example should not trigger ${rule.id}:\n${text}`);
      }
    });

    const cases = existsSync(join(dir, 'cases')) ? readdirSync(join(dir, 'cases')) : [];
    test('has marked cases, an ok- case, and fixed outputs when fixable', () => {
      const inputs = cases.filter((c) => c.endsWith('.yml') && !c.endsWith('.fixed.yml'));
      assert.ok(
        inputs.some((c) => c.startsWith('ok-')),
        'at least one ok- case',
      );
      assert.ok(
        inputs.some(
          (c) =>
            readFileSync(join(dir, 'cases', c), 'utf8').includes(`expect: ${rule.id}`) ||
            readFileSync(join(dir, 'cases', c), 'utf8').includes(`: ${rule.id}`),
        ),
        'at least one case with an expect marker for this rule',
      );
      if (rule.fixable !== 'none')
        assert.ok(
          cases.some((c) => c.endsWith('.fixed.yml')),
          'a fixable rule has a .fixed.yml case',
        );
    });

    test('fixes match the declared fixability and all have titles', () => {
      for (const c of cases.filter((x) => x.endsWith('.yml') && !x.endsWith('.fixed.yml'))) {
        const path = join(dir, 'cases', c);
        for (const f of lintString(path, readFileSync(path, 'utf8')).findings.filter(
          (x) => x.rule === rule.id,
        )) {
          if (rule.fixable === 'none') assert.equal(f.fixes.length, 0, `${c}: a 'none' rule emits no fix`);
          for (const fix of f.fixes) {
            assert.ok(fix.title.length > 0, 'every fix has a title');
            assert.ok(fix.edits.length > 0, 'every fix has edits');
            if (rule.fixable !== 'none') {
              assert.ok(
                APPLICABILITY_RANK[fix.applicability] <= APPLICABILITY_RANK[rule.fixable],
                `${c}: no fix is safer than declared`,
              );
            }
          }
        }
      }
    });
  });
}
