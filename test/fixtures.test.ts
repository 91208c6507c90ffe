/**
 * The GitLab resolution fixtures (fixtures/gitlab/<case>/): each folder is linted as a checkout
 * would be, and the findings across all its files must match the `# expect:` markers both ways.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { check } from '../src/engine/check.ts';
import { baseOptions } from './helpers/lint.ts';
import { compareMarkers, parseMarkers } from './helpers/markers.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const FIXTURES = join(ROOT, 'fixtures/gitlab');
const GITHUB = join(ROOT, 'fixtures/github');

function expectMarkers(dir: string, dialect?: 'gitlab') {
  const { files, result } = lintFolder(dir, dialect);
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  // markers may also sit in the shell scripts and makefiles the jobs run
  const scripts = allFiles(join(ROOT, relative(ROOT, dir)))
    .filter((f) => /\.(sh|bash)$|(^|\/)(GNUmakefile|[Mm]akefile)$/.test(f))
    .map((f) => relative(ROOT, f));
  const expected = [...files, ...scripts].flatMap((path) =>
    parseMarkers(readFileSync(join(ROOT, path), 'utf8')).map((e) => ({ ...e, path })),
  );
  const actual = result.findings.map((f) => ({
    path: f.span.path,
    line: result.sources.position(f.span.path, f.span.start).line,
    rule: f.rule,
    severity: f.severity,
  }));
  assert.deepEqual(compareMarkers(expected, actual), { missing: [], unexpected: [] });
  return result;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(e) ? [p] : [];
  });
}

export function lintFolder(dir: string, dialect?: 'gitlab') {
  const files = yamlFiles(dir).map((f) => relative(ROOT, f));
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    return {
      files,
      result: check({ cwd: ROOT, paths: files, ignore: [], ...baseOptions(dialect ? { dialect } : {}) }),
    };
  } finally {
    process.chdir(cwd);
  }
}

describe('GitLab resolution fixtures', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    test(`${name}: findings match the markers in all its files`, () => {
      expectMarkers(join(FIXTURES, name), 'gitlab');
    });
  }

  test('matrix: the finding names the failing combinations and the ones that pass', () => {
    const { result } = lintFolder(join(FIXTURES, 'matrix'));
    const f = result.findings.find((x) => x.rule === 'pip-install-system-python')!;
    assert.deepEqual(f.jobs, ['test: [debian:bookworm]', 'test: [ubuntu:24.04]']);
    assert.match(
      f.message,
      /^jobs "test" \[DISTRO=debian:bookworm\], "test" \[DISTRO=ubuntu:24\.04\] run pip install/,
    );
    // each combination's own Python is named, not only the first one's
    assert.match(
      f.message,
      /each job's own image \(debian:bookworm \(Debian 12[^;]*; ubuntu:24\.04 \(Ubuntu 24\.04/,
    );
    assert.deepEqual(f.unaffectedJobs, ['test: [debian:bullseye]', 'test: [python:3.12]']);
  });

  test('includes: a template line used by several jobs is reported once, in the file it lives in', () => {
    const { result } = lintFolder(join(FIXTURES, 'includes'));
    const paths = result.findings.map((f) => f.span.path);
    assert.ok(paths.includes('fixtures/gitlab/includes/templates/common.yml'));
    assert.equal(
      new Set(result.findings.map((f) => `${f.span.path}:${f.span.start}`)).size,
      result.findings.length,
    );
  });

  test('remote includes are reported as notes, not errors', () => {
    const { result } = lintFolder(join(FIXTURES, 'remote'));
    const notes = result.diagnostics.filter((d) => d.severity === 'info').map((d) => d.message);
    assert.ok(
      notes.some((m) => /^remote include https:\/\/example\.com\/ci\/templates\.yml is not read/.test(m)),
    );
    assert.ok(
      notes.some((m) => /^project include group\/ci-templates \(\/python\.yml\) is not read/.test(m)),
    );
  });
});

describe('GitHub Actions fixtures', () => {
  for (const name of readdirSync(GITHUB).sort()) {
    test(`${name}: findings match the markers in all its files`, () => {
      expectMarkers(join(GITHUB, name));
    });
  }

  test('a composite action called from two jobs: one finding in the action, naming both callers', () => {
    const result = expectMarkers(join(GITHUB, 'composite'));
    const f = result.findings.find((x) => x.rule === 'pip-install-system-python')!;
    assert.equal(f.span.path, 'fixtures/github/composite/.github/actions/install/action.yml');
    assert.deepEqual(f.jobs, ['debian']);
    assert.deepEqual(f.unaffectedJobs, ['official']);
  });

  test('matrix: failing combinations are named', () => {
    const result = expectMarkers(join(GITHUB, 'matrix'));
    const jobs = result.findings.flatMap((f) => f.jobs).sort();
    assert.deepEqual(jobs, [
      'containers (debian:bookworm, python3-pip)',
      // a long value is cut in the middle, a shorter one kept whole: each leg keeps a name of its own
      'long-names (docker.io/library/debian:bookworm-20240612-slim)',
      'long-names (docker.io/library/debian:trixi…-built-by-the-nightly-job)',
      'runners (macos-14)',
    ]);
  });
});
