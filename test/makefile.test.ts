/**
 * What `make TARGETS` runs, read from a makefile without running make (src/engine/makefile.ts):
 * recipes in order with prerequisites first, make variables expanded, prefixes dropped, and every
 * character of the result pointing back into the makefile.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeRecipes } from '../src/engine/makefile.ts';
import type { ScriptLine } from '../src/model/job.ts';

function file(text: string): ScriptLine {
  return {
    path: 'Makefile',
    text,
    offsets: Array.from({ length: text.length + 1 }, (_, i) => i),
    style: 'literal',
    exact: true,
    span: { path: 'Makefile', start: 0, end: text.length },
    section: 'script file',
  };
}
const texts = (mk: string, targets: string[], overrides: [string, string][] = []) =>
  makeRecipes(file(mk), targets, new Map(overrides)).map((r) => r.line.text);

describe('makeRecipes', () => {
  const MK = [
    'PY ?= python3',
    'PIP = $(PY) -m pip',
    'FLAGS := -q',
    'FLAGS += --no-input',
    '',
    '.PHONY: all deps install',
    'all: install',
    'deps:',
    '\t@$(PIP) install $(FLAGS) build',
    'install: deps lint',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: make's own ${PY}, not a template
    '\t-$(PIP) install -e . && echo $$HOME ${PY}',
    'lint deps2: ; echo inline',
    'docs/%.html: docs/%.md',
    '\tpandoc $< -o $@',
  ].join('\n');
  test('the default target, prerequisites first, each once', () => {
    assert.deepEqual(texts(MK, []), [
      'python3 -m pip install -q --no-input build',
      'python3 -m pip install -e . && echo $HOME python3',
    ]);
  });
  test('a named target; `make NAME=value` overrides the makefile', () => {
    assert.deepEqual(texts(MK, ['deps'], [['PY', '/usr/bin/python3']]), [
      '/usr/bin/python3 -m pip install -q --no-input build',
    ]);
  });
  test('a `-` prefix ignores errors; `@` only silences', () => {
    assert.deepEqual(
      makeRecipes(file(MK), ['install'], new Map()).map((r) => r.ignoreErrors),
      [false, true],
    );
  });
  test('unknown targets, pattern rules and functions give nothing to run', () => {
    assert.deepEqual(texts(MK, ['nope', 'docs/x.html']), []);
    assert.deepEqual(texts('x:\n\t$(shell pip install y) $(UNSET)pip install z\n', ['x']), [
      ' pip install z',
    ]);
  });
  test('offsets: literal characters map to themselves, expanded ones to their `$`', () => {
    const mk = 'P = pip\nx:\n\t$(P) install y\n';
    const [r] = makeRecipes(file(mk), ['x'], new Map());
    const dollar = mk.indexOf('$(P)');
    assert.equal(r!.line.text, 'pip install y');
    assert.deepEqual(r!.line.offsets.slice(0, 3), [dollar, dollar, dollar]);
    assert.equal(mk[r!.line.offsets[4]!], 'i');
    assert.equal(r!.line.exact, false);
  });
  test('a recipe continued with a backslash is one shell line', () => {
    assert.deepEqual(texts('x:\n\tpip install \\\n\t  y\n', ['x']), ['pip install \\\n\t  y']);
  });
  test('a prerequisite cycle ends', () => {
    assert.deepEqual(texts('a: b\n\techo a\nb: a\n\techo b\n', ['a']), ['echo b', 'echo a']);
  });
});
