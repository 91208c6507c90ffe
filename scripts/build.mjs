// Bundles the CLI into dist/cli.js (one file, no runtime node_modules lookups: fast cold start).
// `node scripts/build.mjs --check` rebuilds in memory and fails if the committed bundle is stale.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { buildPlayground } from './build-playground.mjs';

const root = new URL('..', import.meta.url).pathname;
const entries = [
  { in: 'src/cli.ts', out: 'dist/cli.js' },
  { in: 'src/action.ts', out: 'dist/action.js' },
  // the language server is its own bundle, imported by cli.js only for `ci-lint lsp`
  { in: 'src/lsp/server.ts', out: 'dist/lsp.js' },
];

/** cli.ts imports './lsp/server.ts' lazily: in the bundle that is the sibling file dist/lsp.js. */
const lspAsSibling = {
  name: 'lsp-as-sibling',
  setup(b) {
    b.onResolve({ filter: /^\.\/lsp\/server\.ts$/ }, () => ({ path: './lsp.js', external: true }));
  },
};

const check = process.argv.includes('--check');
let stale = false;
for (const entry of entries) {
  const result = await build({
    entryPoints: [`${root}${entry.in}`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    // commander is CommonJS; an ESM bundle needs a require() for it
    banner: {
      js: "import { createRequire as __ciLintRequire } from 'node:module'; const require = __ciLintRequire(import.meta.url);",
    },
    logLevel: 'warning',
    plugins: [lspAsSibling],
  });
  const code = result.outputFiles[0].text;
  const target = `${root}${entry.out}`;
  if (check) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {}
    if (current !== code) {
      console.error(`${entry.out} is stale: run \`npm run build\` and commit it`);
      stale = true;
    }
  } else {
    mkdirSync(`${root}dist`, { recursive: true });
    writeFileSync(target, code);
    chmodSync(target, 0o755);
  }
}
if (stale) process.exit(1);
if (!check) await buildPlayground(`${root}playground/dist`);
