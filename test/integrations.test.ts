/** Where users meet ci-lint outside the command line: pre-commit hooks, the GitLab component, the docs. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ROOT, scratch } from './helpers/cli.ts';
import { lintPath } from './helpers/lint.ts';

const SEED = readFileSync(join(ROOT, 'fixtures/debian-flit/.gitlab-ci.yml'), 'utf8');

interface Hook {
  id: string;
  entry: string;
  files: string;
  language: string;
}

describe('pre-commit hooks', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

  test('two node hooks whose files pattern picks CI files and nothing else', () => {
    assert.deepEqual(
      hooks.map((h) => [h.id, h.language]),
      [
        ['ci-lint', 'node'],
        ['ci-lint-fix', 'node'],
      ],
    );
    const re = new RegExp(hooks[0]!.files);
    const ci = [
      '.gitlab-ci.yml',
      'sub/.gitlab-ci.yaml',
      '.gitlab/ci/jobs.yml',
      '.github/workflows/ci.yml',
      '.github/actions/x/action.yml',
      'action.yaml',
    ];
    const other = [
      'README.md',
      '.github/dependabot.yml',
      'ci/jobs.yml',
      '.github/workflows/sub/x.yml',
      'gitlab-ci.yml',
    ];
    for (const f of ci) assert.ok(re.test(f), `${f} is linted`);
    for (const f of other) assert.ok(!re.test(f), `${f} is not linted`);
  });

  /** Runs a hook the way pre-commit does: its entry (the package's bin) plus the matching files. */
  const runHook = (hook: Hook, cwd: string, files: string[]) => {
    const [bin, ...args] = hook.entry.split(/\s+/);
    assert.equal(bin, 'ci-lint', 'the entry is the package bin');
    const matched = files.filter((f) => new RegExp(hook.files).test(f));
    return spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args, ...matched], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
  };

  test('ci-lint fails on the seed; ci-lint-fix fixes it with the configured strategy', () => {
    const dir = scratch({
      '.gitlab-ci.yml': SEED,
      'README.md': '# x\n',
      '.ci-lint.yml': 'fix-strategy: override\n',
    });
    const lint = runHook(hooks[0]!, dir, ['.gitlab-ci.yml', 'README.md']);
    assert.equal(lint.status, 1, lint.stderr);
    assert.match(lint.stdout, /\.gitlab-ci\.yml:7:5: error:/);
    const fix = runHook(hooks[1]!, dir, ['.gitlab-ci.yml', 'README.md']);
    assert.equal(fix.status, 0, fix.stdout + fix.stderr);
    assert.match(
      readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8'),
      /- PIP_BREAK_SYSTEM_PACKAGES=1 FLIT_ROOT_INSTALL=1 flit install\n/,
    );
  });
});

describe('GitLab CI/CD component templates/ci-lint.yml', () => {
  test('lints clean with ci-lint itself', () => {
    const r = lintPath(join(ROOT, 'templates/ci-lint.yml'));
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  });

  test('expands (gitlab-ci-local) to a job that writes the Code Quality report and honours fail-on', () => {
    const r = spawnSync(
      'bash',
      [join(ROOT, '../shared/tools/gitlab-expand.sh'), join(ROOT, 'templates/ci-lint.yml'), ROOT],
      {
        encoding: 'utf8',
        env: { ...process.env, GLX_NO_SCHEMA: '1' },
        timeout: 120_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const job = (
      JSON.parse(r.stdout) as {
        jobs: { name: string; image: string; main_script: string[]; variables: Record<string, string> }[];
      }
    ).jobs[0]!;
    assert.equal(job.name, 'ci-lint');
    assert.equal(job.image, 'node:20-alpine');
    assert.equal(job.variables.CI_LINT, 'npx --yes ci-lint@latest');
    assert.match(
      job.main_script[0]!,
      /^\$CI_LINT --format gitlab --output gl-code-quality-report\.json --fail-on error /,
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, not a template
    assert.equal(job.main_script.at(-1), 'exit ${status:-0}');
  });
});

test('docs/rules.md is generated from the rule READMEs and fresh (npm run docs)', () => {
  const r = spawnSync(process.execPath, ['scripts/gen-docs.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

describe('README snippets are real', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```(yaml|json)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1]!,
    text: m[2]!,
  }));

  test('every yaml and json block parses', () => {
    assert.ok(blocks.length >= 6);
    for (const b of blocks) {
      if (b.lang === 'json') assert.doesNotThrow(() => JSON.parse(b.text.replace(/…/g, '')), b.text);
      else assert.doesNotThrow(() => parse(b.text), b.text);
    }
  });

  test('the Action workflow lints clean and uses the inputs action.yml declares', () => {
    const workflow = blocks.find((b) => b.text.includes('uses: ci-lint/ci-lint@'))!.text;
    const r = lintPath(
      join(scratch({ '.github/workflows/ci-lint.yml': workflow }), '.github/workflows/ci-lint.yml'),
    );
    assert.deepEqual(r.findings, []);
    const step = parse(workflow).jobs['ci-lint'].steps.find((s: { uses?: string }) =>
      s.uses?.startsWith('ci-lint/'),
    );
    const declared = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')).inputs;
    for (const k of Object.keys(step.with)) assert.ok(declared[k], `input ${k} is declared`);
  });

  test('the component snippet uses inputs the template declares; the pre-commit snippet names a hook', () => {
    const component = parse(blocks.find((b) => b.text.includes('component:'))!.text).include[0];
    const spec = parse(readFileSync(join(ROOT, 'templates/ci-lint.yml'), 'utf8').split('\n---\n')[0]!).spec
      .inputs;
    for (const k of Object.keys(component.inputs)) assert.ok(spec[k], `input ${k} is declared`);
    const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string }[];
    const used = parse(blocks.find((b) => b.text.includes('pre-commit') || b.text.includes('hooks:'))!.text)
      .repos[0].hooks;
    for (const h of used)
      assert.ok(
        hooks.some((x) => x.id === h.id),
        h.id,
      );
  });
});
