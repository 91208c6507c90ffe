// Writes docs/rules.md from the rule READMEs, with each rule's metadata injected from rule.ts (never
// retyped). `node scripts/gen-docs.mjs --check` fails when the committed file is stale (a test runs it).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ids = readdirSync(join(root, 'rules'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'rules', d.name, 'README.md')))
  .map((d) => d.name)
  .sort();

/** Metadata straight from rule.ts source: id, severity, fixable, since, summary. */
function meta(id) {
  const src = readFileSync(join(root, 'rules', id, 'rule.ts'), 'utf8');
  const field = (name) => new RegExp(`\\b${name}:\\s*(['"])(.*?)\\1`).exec(src)?.[2] ?? '?';
  return {
    severity: field('severity'),
    fixable: field('fixable'),
    since: field('since'),
    summary: field('summary'),
  };
}

const parts = [
  '# ci-lint rules',
  '',
  'Generated from `rules/*/README.md` by `scripts/gen-docs.mjs`; edit those, not this file.',
  '',
];
parts.push('| rule | default severity | fix | since | summary |', '|---|---|---|---|---|');
for (const id of ids) {
  const m = meta(id);
  parts.push(
    `| [\`${id}\`](#${id}) | ${m.severity} | ${m.fixable} | ${m.since} | ${m.summary.replace(/\|/g, '\\|')} |`,
  );
}
for (const id of ids) {
  const m = meta(id);
  const readme = readFileSync(join(root, 'rules', id, 'README.md'), 'utf8').trim();
  // one level down, so every rule is a section of this page; links into cases/ point at the rule folder
  const body = readme.replace(/^(#+) /gm, '#$1 ').replace(/\]\(cases\/\)/g, `](../rules/${id}/cases/)`);
  const [title, ...rest] = body.split('\n');
  parts.push('', title, '', `*Severity:* ${m.severity} · *Fix:* ${m.fixable} · *Since:* ${m.since}`, ...rest);
}
const text = `${parts.join('\n')}\n`;

// the README's rule table, between its markers
const table = [
  '| rule | default | fix | what |',
  '|---|---|---|---|',
  ...ids.map((id) => {
    const m = meta(id);
    return `| [\`${id}\`](rules/${id}/README.md) | ${m.severity} | ${m.fixable} | ${m.summary.replace(/\|/g, '\\|')} |`;
  }),
].join('\n');
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const newReadme = readme.replace(
  /(<!-- rules:start[^>]*-->\n)[\s\S]*?(<!-- rules:end -->)/,
  (_, open, close) => `${open}${table}\n${close}`,
);

const outputs = [
  [join(root, 'docs', 'rules.md'), text],
  [readmePath, newReadme],
];
if (process.argv.includes('--check')) {
  for (const [path, content] of outputs) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== content) {
      console.error(`${path.slice(root.length)} is stale: run \`npm run docs\``);
      process.exit(1);
    }
  }
} else {
  mkdirSync(join(root, 'docs'), { recursive: true });
  for (const [path, content] of outputs) writeFileSync(path, content);
}
