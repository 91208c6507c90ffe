/**
 * Directories as a script moves between them (src/shell/paths.ts), and the subshells a command runs
 * in (Command.subshells), which decide how long a `cd`, an `export` or a venv activation lasts.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell text, where ${…} is literal
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseCommands } from '../src/shell/commands.ts';
import { definedFunctions, functionsRunningArguments } from '../src/shell/functions.ts';
import { relativePath, resolvePath } from '../src/shell/paths.ts';

describe('resolvePath', () => {
  const TABLE: [string | null, string | null, string | null][] = [
    ['', 'ci', 'ci'],
    ['', './ci/x.sh', 'ci/x.sh'],
    ['tools', '../ci/x.sh', 'ci/x.sh'],
    ['a/b', '../../c', 'c'],
    ['a', '.', 'a'],
    ['a', 'b/./c/', 'a/b/c'],
    ['tools', '$CI_PROJECT_DIR/ci', 'ci'],
    ['tools', '${GITHUB_WORKSPACE}', ''],
    ['tools', '${{ github.workspace }}/docs', 'docs'],
    ['tools', '$PWD/x.sh', 'tools/x.sh'],
    [null, '$CI_PROJECT_DIR/ci', 'ci'],
    // unknown: outside the project, absolute, home, previous directory, other variables, globs
    ['', '..', null],
    ['', '/tmp', null],
    ['', '~/x', null],
    ['', '-', null],
    ['', '$HOME/x', null],
    ['', 'build-*', null],
    ['', null, null],
    [null, 'ci', null],
  ];
  for (const [cwd, path, expected] of TABLE) {
    test(`${JSON.stringify(path)} from ${JSON.stringify(cwd)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(resolvePath(cwd, path), expected);
    });
  }
});

describe('relativePath', () => {
  const TABLE: [string, string, string][] = [
    ['', 'ci/.venv', 'ci/.venv'],
    ['docs', '.venv', '../.venv'],
    ['a/b', 'a/c', '../c'],
    ['a', 'a', '.'],
  ];
  for (const [from, to, expected] of TABLE) {
    test(`${from || '(root)'} → ${to}`, () => assert.equal(relativePath(from, to), expected));
  }
  test('resolving the relative path from `from` gives `to` back (500 runs)', () => {
    const dir = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 4 }).map((p) => p.join('/'));
    fc.assert(
      fc.property(dir, dir, (from, to) => assert.equal(resolvePath(from, relativePath(from, to)), to)),
      { numRuns: 500 },
    );
  });
});

describe('Command.subshells', () => {
  const subshellsOf = (text: string) =>
    parseCommands(text).map((c) => [c.argv[0]?.value, c.subshells.length]);
  test('( … ) opens one, and it ends at its `)`', () => {
    assert.deepEqual(subshellsOf('a; (b; (c)); d'), [
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 0],
    ]);
  });
  test('$( … ), backticks and child shells are subshells; eval and { … } are not', () => {
    assert.deepEqual(subshellsOf('x=$(a); echo `b`; sh -c c; eval d; { e; }'), [
      ['a', 1],
      [undefined, 0],
      ['b', 1],
      ['echo', 0],
      ['c', 1],
      ['d', 0],
      ['e', 0],
    ]);
  });
  test('ids tell sibling subshells apart', () => {
    const [a, b] = parseCommands('(a) && (b)');
    assert.notDeepEqual(a!.subshells, b!.subshells);
  });
});

describe('Command.conditional', () => {
  const conditionalOf = (text: string) =>
    parseCommands(text).map((c) => [c.argv.map((w) => w.value).join(' '), c.conditional]);
  test('branches, loops, groups, function bodies and && / || make a command conditional', () => {
    assert.deepEqual(
      conditionalOf(
        'a; if b; then exit 1; else c; fi; d || exit 2; for x in y; do e; done; f() { exit 3; }; function g { h; }; case x in y) i;; esac; j',
      ),
      [
        ['a', false],
        ['b', true],
        ['exit 1', true],
        ['c', true],
        ['d', true],
        ['exit 2', true],
        ['e', true],
        ['exit 3', true],
        ['h', true],
        ['i', true],
        ['j', false],
      ],
    );
  });
  test('what runs inside a guarded command is guarded too', () => {
    assert.deepEqual(conditionalOf("a && sh -c 'exit 1'; x=$(exit 2) || true"), [
      ['a', true],
      ['exit 1', true],
      ['exit 2', true],
      ['', true],
      ['true', true],
    ]);
  });
});

describe('functionsRunningArguments', () => {
  test('finds the functions whose body runs "$@" (or $*) as a command', () => {
    const text = [
      'retry() { for i in 1 2 3; do "$@" && return 0; sleep 1; done; return 1; }',
      'function quiet { "$@" >/dev/null; }',
      'function twice() {',
      '  $* || $*',
      '}',
      'log() { echo "$@"; }',
      'noop() { :; }',
    ].join('\n');
    assert.deepEqual([...functionsRunningArguments(text)].sort(), ['quiet', 'retry', 'twice']);
  });
  test('definedFunctions names every function, whatever its body runs', () => {
    assert.deepEqual([...definedFunctions('log() { echo "$@"; }\nfunction quiet { "$@"; }\nx=1')].sort(), [
      'log',
      'quiet',
    ]);
  });
  test('a script without functions gives none', () => {
    assert.deepEqual([...functionsRunningArguments('pip install "$@"\necho done')], []);
  });
});
