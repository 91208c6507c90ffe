/**
 * Differential test of our GitLab resolution against gitlab-ci-local (an independent implementation,
 * via ../shared/tools/gitlab-expand.sh): for every GitLab fixture and every pipeline file of the
 * corpus, each job's image and before_script/script/after_script lines must agree, or the difference
 * must be a documented gitlab-ci-local limitation listed below.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { projectRootFor } from '../src/engine/project.ts';
import { lintText } from '../src/engine/run.ts';
import { Sources } from '../src/engine/sources.ts';
import { baseOptions } from './helpers/lint.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const ORACLE = join(ROOT, '../shared/tools/gitlab-expand.sh');
const CORPUS = join(ROOT, '../shared/corpus/gitlab');

/**
 * When gitlab-ci-local cannot expand a file, the reason must be one of these documented limits.
 * Our resolution of those files is still covered by the fixture and corpus marker tests.
 */
const ORACLE_LIMITS: { error: RegExp; reason: string }[] = [
  {
    error: /Could not resolve host|could not be fetched|ENOTFOUND|unable to access/,
    reason:
      'remote, project and component includes: gitlab-ci-local fetches them and cannot offline (ci-lint reports them and judges the affected jobs "unknown")',
  },
  {
    error: /stage:\S+ not found for/,
    reason:
      'a fragment whose stages are declared by the pipeline that includes it: gitlab-ci-local validates stages per file',
  },
  {
    error: /Local include file cannot be found/,
    reason:
      'the corpus keeps only the files that matter for its labels, so some local includes are absent (ci-lint reports them as errors too)',
  },
];

/** Docker reads an image without a tag as `:latest`; gitlab-ci-local writes it out, GitLab does not. */
const withTag = (image: string | null) =>
  image && !/:[^/]*$/.test(image) && !image.includes('@') ? `${image}:latest` : image;

interface OracleJob {
  name: string;
  base_name: string;
  image: string | null;
  before_script: string[];
  main_script: string[];
  after_script: string[];
  trigger?: unknown;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(e) ? [p] : [];
  });
}

/** The files ci-lint lints on their own (those not pulled in by another file of the same set). */
function standaloneFiles(files: string[]): string[] {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const rel = files.map((f) => relative(ROOT, f));
    const included = new Set<string>();
    for (const path of rel) {
      const r = lintText(
        path,
        readFileSync(path, 'utf8'),
        new Sources(),
        baseOptions({ rules: [], dialect: 'gitlab' }),
      );
      for (const f of r.includedFiles) included.add(f);
    }
    return rel.filter((p) => !included.has(p));
  } finally {
    process.chdir(cwd);
  }
}

function ours(path: string) {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const r = lintText(
      path,
      readFileSync(path, 'utf8'),
      new Sources(),
      baseOptions({ rules: [], dialect: 'gitlab' }),
    );
    return r.pipeline?.jobs ?? [];
  } finally {
    process.chdir(cwd);
  }
}

function oracle(path: string): { jobs?: OracleJob[]; error?: string } {
  const r = spawnSync('bash', [ORACLE, join(ROOT, path), join(ROOT, projectRootFor(path))], {
    encoding: 'utf8',
    env: { ...process.env, GLX_NO_SCHEMA: '1' },
    timeout: 120_000,
  });
  if (r.status !== 0)
    return { error: (r.stderr || String(r.error)).trim().split('\n').slice(-3).join(' | ') };
  return { jobs: (JSON.parse(r.stdout) as { jobs: OracleJob[] }).jobs };
}

const haveBash = spawnSync('bash', ['-c', 'command -v node'], { encoding: 'utf8' }).status === 0;
const files = [
  ...yamlFiles(join(ROOT, 'fixtures/debian-flit')),
  ...yamlFiles(join(ROOT, 'fixtures/gitlab')),
  ...(existsSync(CORPUS) ? yamlFiles(CORPUS) : []),
];
const targets = standaloneFiles(files);

describe('GitLab resolution agrees with gitlab-ci-local', {
  skip: haveBash ? false : 'bash is required',
}, () => {
  for (const path of targets) {
    test(path, (t) => {
      const expanded = oracle(path);
      if (expanded.error) {
        const limit = ORACLE_LIMITS.find((l) => l.error.test(expanded.error!));
        assert.ok(
          limit,
          `gitlab-ci-local failed on ${path} and no limitation is documented: ${expanded.error}`,
        );
        t.diagnostic(`not compared: ${limit.reason}`);
        return;
      }
      const mine = ours(path);
      const theirs = expanded.jobs!.filter((j) => !j.trigger);
      const mineByName = new Map(mine.map((j) => [j.name, j]));
      const baseNames = new Set(mine.map((j) => j.name.replace(/: \[.*\]$/, '')));
      assert.deepEqual(
        [...new Set(theirs.map((j) => j.base_name))].sort(),
        [...baseNames].sort(),
        'the same jobs (matrix combinations by their base name)',
      );
      for (const job of theirs) {
        const m = mineByName.get(job.name) ?? mineByName.get(job.base_name);
        assert.ok(m, `job ${job.name} resolved`);
        const section = (name: string) =>
          m.shells.flatMap((s) => s.lines.filter((l) => l.section === name).map((l) => l.text));
        assert.deepEqual(
          { before: section('before_script'), script: section('script'), after: section('after_script') },
          { before: job.before_script, script: job.main_script, after: job.after_script },
          `scripts of ${job.name}`,
        );
        // gitlab-ci-local fills in predefined CI_* variables that only exist at run time; we keep them as written
        if (m.image?.unresolved.length) continue;
        assert.equal(withTag(m.image?.name ?? null), withTag(job.image), `image of ${job.name}`);
      }
    });
  }
});
