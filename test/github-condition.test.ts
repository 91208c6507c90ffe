/** A GitHub step's `if:` for one matrix combination: true, false, or unknown (never guessed false). */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are GitHub expressions, where ${{ … }} is literal
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ConditionContext, conditionHolds } from '../src/dialects/github/condition.ts';
import type { LNode } from '../src/yaml/located.ts';

const scalar = (value: string | number | boolean): LNode => ({
  kind: 'scalar',
  path: 'x.yml',
  range: [0, 0],
  value,
  node: null as never,
  mapped: undefined,
});

const ctx: ConditionContext = {
  matrix: new Map<string, LNode | null>([
    ['os', scalar('macos-14')],
    ['python', scalar('3.12')],
    ['build_system', scalar('acr')],
    ['empty', null],
    // YAML `false` and `3.10` (the number 3.1)
    ['experimental', scalar(false)],
    ['py', scalar(3.1)],
  ]),
  env: new Map([
    ['CI_FLAG', 'true'],
    ['LATER', '${{ steps.x.outputs.y }}'],
  ]),
  inputs: new Map([['coverage', 'false']]),
  runnerOs: 'macOS',
};

const cases: [string | undefined, boolean | undefined][] = [
  [undefined, true],
  ["matrix.build_system == 'meson'", false],
  ["matrix.build_system == 'ACR'", true], // strings compare ignoring case
  ["${{ matrix.os != 'macos-14' }}", false],
  ["runner.os == 'Linux'", false],
  ["runner.os == 'macos'", true],
  ["runner.os != 'Windows' && matrix.python == '3.12'", true],
  ['matrix.python >= 3.11', true], // a string and a number compare as numbers
  ['matrix.python < 3.10', false],
  ["startsWith(matrix.os, 'macos')", true],
  ["contains(matrix.os, 'ubuntu')", false],
  ["endsWith(matrix.os, '-14')", true],
  ['!matrix.empty', true],
  ['false', false],
  ['${{ false }}', false],
  ['always()', true],
  ['success()', true],
  ['failure()', false],
  ["env.CI_FLAG == 'true'", true],
  ["inputs.coverage == 'true'", false],
  // the matrix keeps its YAML types
  ['!matrix.experimental', true],
  ['matrix.experimental == false', true],
  ["startsWith(matrix.py, '3.10')", false],
  ['matrix.py == 3.1', true],
  // what is only known when the workflow runs is unknown, and never taken for false
  ["github.event_name == 'push'", undefined],
  ["steps.cache.outputs.cache-hit != 'true'", undefined],
  ["env.LATER == 'x'", undefined],
  ["env.NOT_SET_HERE == 'x'", undefined],
  ["matrix.unknown_key == 'x'", undefined],
  ["hashFiles('requirements.txt') != ''", undefined],
  // unknown || true is true; unknown && false is false; the other way round stays unknown
  ["github.ref == 'refs/heads/main' || runner.os == 'macOS'", true],
  ["github.ref == 'refs/heads/main' && runner.os == 'Linux'", false],
  ["github.ref == 'refs/heads/main' && runner.os == 'macOS'", undefined],
  ["(runner.os == 'Linux' || matrix.os == 'macos-14') && !cancelled()", true],
  // not an expression ci-lint reads: unknown
  ["matrix.os == 'a' ${{ x }}", undefined],
  ['matrix.os ==', undefined],
  ["'unterminated", undefined],
];

for (const [condition, expected] of cases) {
  test(`if: ${condition ?? '(none)'} → ${expected}`, () => {
    assert.equal(conditionHolds(condition, ctx), expected);
  });
}

test('deep nesting and long conditions end in unknown, not a crash', () => {
  assert.equal(conditionHolds(`${'('.repeat(200_000)}true${')'.repeat(200_000)}`, ctx), undefined);
  assert.equal(conditionHolds(`${'!'.repeat(300_000)}true`, ctx), undefined);
  const long = Array.from({ length: 20_000 }, (_, i) => `matrix.unknown_key == 'x${i}'`).join(' || ');
  assert.equal(conditionHolds(long, ctx), undefined);
  assert.equal(conditionHolds(`${long} || runner.os == 'macOS'`, ctx), true);
});
