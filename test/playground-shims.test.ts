/** The playground's node:path stand-in agrees with Node's POSIX path (the working directory being /). */
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { test } from 'node:test';
import * as shim from '../playground/shims/path.ts';

const PATHS = [
  '',
  '.',
  '..',
  '/',
  'a',
  'a/b',
  'a//b/',
  './a/../b',
  '../../a',
  'a/../..',
  '/a/b/../../..',
  '/x/./y/',
  '.gitlab-ci.yml',
  '.github/workflows/ci.yml',
  'ci/../ci/jobs.yml',
];

test('normalize, dirname, basename, isAbsolute agree with path.posix', () => {
  for (const p of PATHS) {
    assert.equal(shim.normalize(p), posix.normalize(p), `normalize(${p})`);
    assert.equal(shim.isAbsolute(p), posix.isAbsolute(p), `isAbsolute(${p})`);
    assert.equal(shim.dirname(p), posix.dirname(p), `dirname(${p})`);
    assert.equal(shim.basename(p), posix.basename(p), `basename(${p})`);
  }
});

test('join, resolve (from /) and relative agree with path.posix', () => {
  for (const a of PATHS)
    for (const b of PATHS) {
      assert.equal(shim.join(a, b), posix.join(a, b), `join(${a}, ${b})`);
      assert.equal(shim.resolve(a, b), posix.resolve('/', a, b), `resolve(${a}, ${b})`);
      assert.equal(
        shim.relative(`/${a}`, `/${b}`),
        posix.relative(`/${a}`, `/${b}`),
        `relative(/${a}, /${b})`,
      );
    }
});
