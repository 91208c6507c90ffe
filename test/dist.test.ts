/** The committed bundle is what the sources build to, and it runs. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;

test('dist/cli.js is fresh (npm run build, then commit it)', () => {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('dist/cli.js runs the seed case from any folder', () => {
  const r = spawnSync(
    process.execPath,
    [`${root}dist/cli.js`, `${root}fixtures/debian-flit/.gitlab-ci.yml`, '--format', 'json'],
    {
      cwd: '/',
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.findings[0].line, 7);
  assert.equal(out.findings[0].column, 5);
});
