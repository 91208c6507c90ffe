/** --fix never damages a file: atomic writes, links, concurrent edits, and no write when nothing changes. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chownSync,
  lstatSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { WriteRefused, writeFixed } from '../src/engine/write.ts';
import { ROOT, runCli, scratch } from './helpers/cli.ts';

const SEED = readFileSync(join(ROOT, 'fixtures/debian-flit/.gitlab-ci.yml'), 'utf8');
const FIXED_LINE = '- PIP_BREAK_SYSTEM_PACKAGES=1 FLIT_ROOT_INSTALL=1 flit install';

describe('writing fixes', () => {
  test('a clean file is not written at all', () => {
    const dir = scratch({ '.gitlab-ci.yml': SEED.replace('debian:bookworm', 'python:3.12') });
    const before = statSync(join(dir, '.gitlab-ci.yml')).mtimeMs;
    const r = runCli(['--fix', '--fix-strategy', 'override'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.equal(statSync(join(dir, '.gitlab-ci.yml')).mtimeMs, before);
  });

  test('a symlink inside the project: the target is fixed and the link stays a link', () => {
    const dir = scratch({ 'ci/real.yml': SEED });
    symlinkSync('ci/real.yml', join(dir, '.gitlab-ci.yml'));
    const r = runCli(['.gitlab-ci.yml', '--fix', '--fix-strategy', 'override'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(lstatSync(join(dir, '.gitlab-ci.yml')).isSymbolicLink());
    assert.ok(readFileSync(join(dir, 'ci/real.yml'), 'utf8').includes(FIXED_LINE));
  });

  test('a symlink to a file outside the project is not written through', () => {
    const outside = scratch({ 'shared.yml': SEED });
    const dir = scratch({});
    symlinkSync(join(outside, 'shared.yml'), join(dir, '.gitlab-ci.yml'));
    const r = runCli(['.gitlab-ci.yml', '--fix', '--fix-strategy', 'override'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^\.gitlab-ci\.yml:1:1: error: not written: it is a link to .*shared\.yml, outside the project/m,
    );
    assert.equal(readFileSync(join(outside, 'shared.yml'), 'utf8'), SEED);
  });

  test("a fixed file keeps its owner and group, not the fixer's (as root, a fix must not hand it to root)", {
    skip: process.getuid?.() !== 0 && 'needs root to give a file to another user',
  }, () => {
    const dir = scratch({ '.gitlab-ci.yml': SEED });
    const path = join(dir, '.gitlab-ci.yml');
    chownSync(path, 65534, 65534);
    const r = runCli(['--fix', '--fix-strategy', 'override'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(readFileSync(path, 'utf8').includes(FIXED_LINE));
    assert.deepEqual([statSync(path).uid, statSync(path).gid], [65534, 65534]);
  });

  test('a file that changed on disk since it was read is not overwritten', () => {
    const dir = scratch({ '.gitlab-ci.yml': SEED });
    const path = join(dir, '.gitlab-ci.yml');
    writeFileSync(path, `${SEED}# edited meanwhile\n`);
    assert.throws(() => writeFixed(path, SEED, 'fixed', dir), WriteRefused);
    assert.equal(readFileSync(path, 'utf8'), `${SEED}# edited meanwhile\n`);
  });

  test('killing the writer at any moment leaves the old file or the new one, whole', async () => {
    const dir = scratch({ 'f.yml': 'a'.repeat(1 << 20) });
    const path = join(dir, 'f.yml');
    const A = 'a'.repeat(1 << 20);
    const B = 'b'.repeat(1 << 21);
    const writer = `
      import { writeFileAtomic } from ${JSON.stringify(join(ROOT, 'src/engine/write.ts'))};
      const [a, b] = ['a'.repeat(1 << 20), 'b'.repeat(1 << 21)];
      for (let i = 0; ; i++) writeFileAtomic(${JSON.stringify(path)}, i % 2 ? a : b);`;
    for (let round = 0; round < 8; round++) {
      const child = spawn(
        process.execPath,
        ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', writer],
        { stdio: 'ignore' },
      );
      await new Promise((r) => setTimeout(r, 300 + round * 37));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      const now = readFileSync(path, 'utf8');
      assert.ok(now === A || now === B, `round ${round}: the file is whole (length ${now.length})`);
    }
    const leftovers = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    assert.ok(leftovers.length <= 8, 'at most one temporary file per killed writer is left behind');
  });
});
