/** The GitHub Action, run as the runner runs it: the committed bundle with INPUT_* variables. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ROOT, scratch } from './helpers/cli.ts';

const SEED = readFileSync(join(ROOT, 'fixtures/debian-flit/.gitlab-ci.yml'), 'utf8');

function runAction(cwd: string, inputs: Record<string, string>) {
  const summary = join(cwd, 'summary.md');
  const output = join(cwd, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/action.js')], { cwd, env, encoding: 'utf8' });
  return { ...r, summary: readFileSync(summary, 'utf8'), output: readFileSync(output, 'utf8') };
}

/** `name<<delimiter\nvalue\ndelimiter` entries of a GITHUB_OUTPUT file. */
function outputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1]!] = m[3]!;
  return out;
}

describe('GitHub Action (dist/action.js)', () => {
  test('action.yml declares the inputs and outputs, and runs the committed bundle on node24', () => {
    const meta = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
    assert.deepEqual(meta.runs, { using: 'node24', main: 'dist/action.js' });
    for (const i of [
      'paths',
      'format',
      'fail-on',
      'fix-strategy',
      'config',
      'sarif-file',
      'annotations',
      'summary',
    ])
      assert.ok(meta.inputs[i], i);
    assert.deepEqual(Object.keys(meta.outputs).sort(), ['findings-count', 'sarif-file']);
  });

  test('annotates, summarises, writes SARIF and outputs, and fails on the seed', () => {
    const dir = scratch({ '.gitlab-ci.yml': SEED });
    const r = runAction(dir, { paths: '', 'sarif-file': 'out.sarif', annotations: 'true', summary: 'true' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^::error file=\.gitlab-ci\.yml,line=7,col=5,endLine=7,endColumn=37,title=ci-lint%3A indirect-pip-system-python::/m,
    );
    assert.match(r.stdout, /^::error::ci-lint: 1 finding\(s\), some at or above fail-on: error$/m);
    assert.match(r.summary, /^## ci-lint/m);
    assert.match(r.summary, /\| error \| `\.gitlab-ci\.yml:7` \|/);
    assert.deepEqual(outputs(r.output), { 'sarif-file': 'out.sarif', 'findings-count': '1' });
    const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].results[0].ruleId, 'indirect-pip-system-python');
  });

  test('annotations and summary off, fail-on never: clean exit, outputs still set', () => {
    const dir = scratch({ '.gitlab-ci.yml': SEED });
    const r = runAction(dir, {
      'fail-on': 'never',
      annotations: 'false',
      summary: 'false',
      'sarif-file': '',
      format: 'json',
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /^::error file=/m);
    assert.equal(r.summary, '');
    assert.deepEqual(outputs(r.output), { 'findings-count': '1' });
    assert.equal(JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))).findings.length, 1);
  });

  test('a bad input value fails the step with a clear message', () => {
    const dir = scratch({ '.gitlab-ci.yml': SEED });
    const r = runAction(dir, { format: 'xml' });
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^::error::ci-lint: format must be one of text, json, sarif, github, gitlab \(got "xml"\)$/m,
    );
    const flag = runAction(dir, { annotations: 'maybe' });
    assert.match(flag.stdout, /^::error::ci-lint: input annotations must be true or false \(got "maybe"\)$/m);
  });

  test('yes/no are booleans too; a sarif-file over a linted file is refused and the file left whole', () => {
    const dir = scratch({ '.gitlab-ci.yml': SEED });
    const quiet = runAction(dir, { annotations: 'no', summary: 'off', 'fail-on': 'never' });
    assert.equal(quiet.status, 0, quiet.stdout);
    assert.doesNotMatch(quiet.stdout, /::error file=/);
    const over = runAction(dir, { 'sarif-file': '.gitlab-ci.yml' });
    assert.equal(over.status, 1);
    assert.match(
      over.stdout,
      /^::error::ci-lint: sarif-file \.gitlab-ci\.yml is one of the files being linted/m,
    );
    assert.doesNotMatch(over.stdout, /crashed/);
    assert.equal(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8'), SEED);
  });
});
