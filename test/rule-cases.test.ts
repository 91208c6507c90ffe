/**
 * Every rules/<id>/cases/*.yml is checked both ways against its `# expect: <rule>[@severity]`
 * markers (markdownlint-style): each marker must be reported on its line, and nothing unmarked may
 * be reported. `# expect(+N): <rule>` points N lines down, for scalars where a trailing comment
 * would change the script. `X.<strategy>.fixed.yml` must equal the result of fixing X with that
 * strategy (unsafe fixes allowed), must lint clean, and fixing it again must change nothing; with no
 * such file, the strategy must leave X as it is.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixText } from '../src/engine/fixer.ts';
import type { FixStrategy } from '../src/model/finding.ts';
import { lintString } from './helpers/lint.ts';
import { compareMarkers, parseMarkers } from './helpers/markers.ts';

const rulesDir = new URL('../rules/', import.meta.url).pathname;
const STRATEGIES: FixStrategy[] = ['venv', 'pipx', 'override'];
/** Goldens show every fix a strategy offers: unsafe ones, and pipx's suggestions too. */
export const minimumFor = (strategy: FixStrategy) => (strategy === 'pipx' ? 'suggestion' : 'unsafe');

/** `# default-image: X` and `# dialect: X` directives at the top of a case. */
function directives(text: string) {
  const get = (k: string) => new RegExp(`^# ${k}: (\\S+)`, 'm').exec(text)?.[1];
  const defaultImage = get('default-image');
  return defaultImage ? { environment: { defaultImage } } : {};
}

const ruleIds = readdirSync(rulesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

for (const id of ruleIds) {
  const dir = join(rulesDir, id, 'cases');
  if (!existsSync(dir)) continue;
  const cases = readdirSync(dir).filter((f) => f.endsWith('.yml') && !f.endsWith('.fixed.yml'));
  describe(`rule ${id}`, () => {
    for (const name of cases) {
      const path = join(dir, name);
      const text = readFileSync(path, 'utf8');
      const options = directives(text);
      test(`${name}: findings match the expect markers`, () => {
        const expected = parseMarkers(text);
        if (name.startsWith('ok-')) assert.equal(expected.length, 0, 'ok- cases carry no markers');
        const result = lintString(path, text, options);
        assert.deepEqual(
          result.diagnostics.filter((d) => d.severity === 'error'),
          [],
          'the case parses',
        );
        const actual = result.findings.map((f) => ({
          line: result.at(f).line,
          rule: f.rule,
          severity: f.severity,
        }));
        const { missing, unexpected } = compareMarkers(expected, actual);
        assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] });
      });
      for (const strategy of STRATEGIES) {
        const fixedPath = path.replace(/\.yml$/, `.${strategy}.fixed.yml`);
        if (!existsSync(fixedPath)) {
          // a strategy that changes the case needs a reviewed golden (scripts/gen-goldens.ts writes it)
          test(`${name}: --fix-strategy ${strategy} changes nothing (there is no ${strategy}.fixed.yml)`, () => {
            const lint = (t: string) => lintString(path, t, options).findings;
            assert.equal(fixText(path, text, lint, strategy, minimumFor(strategy)).text, text);
          });
          continue;
        }
        test(`${name}: --fix-strategy ${strategy} gives ${strategy}.fixed.yml, lints clean and is idempotent`, () => {
          const lint = (t: string) => lintString(path, t, options).findings;
          const once = fixText(path, text, lint, strategy, minimumFor(strategy));
          assert.equal(once.reverted, undefined);
          assert.equal(once.text, readFileSync(fixedPath, 'utf8'));
          const targeted = new Set(parseMarkers(text).map((e) => e.rule));
          // like markdownlint and ruff: nothing this strategy could fix may be left
          const left = lint(once.text).filter(
            (f) => targeted.has(f.rule) && f.fixes.some((x) => x.strategy === strategy),
          );
          assert.deepEqual(
            left.map((f) => f.message),
            [],
            'no fixable finding is left for the fixed rules',
          );
          assert.equal(
            fixText(path, once.text, lint, strategy, minimumFor(strategy)).text,
            once.text,
            'fixing twice changes nothing',
          );
        });
      }
    }
  });
}
