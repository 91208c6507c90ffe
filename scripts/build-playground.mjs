// Bundles the playground (playground/main.ts + the engine) for the browser: OUTDIR/index.html and
// OUTDIR/playground.js, no server needed (file:// works). The engine's node:fs, node:path, node:os,
// node:v8 and node:worker_threads imports are swapped for playground/shims/ — the browser has no
// files, so an include is "not found", one document never needs worker threads, and no heap limit
// is read.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

const browserShims = {
  name: 'browser-shims',
  setup(b) {
    b.onResolve({ filter: /^node:(fs|path|os|v8|worker_threads)$/ }, (args) => ({
      path: `${root}playground/shims/${args.path.slice('node:'.length)}.ts`,
    }));
  },
};

export async function buildPlayground(outdir) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [`${root}playground/main.ts`],
    outfile: `${outdir}/playground.js`,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome110',
    minify: true,
    legalComments: 'none',
    plugins: [browserShims],
    loader: { '.yml': 'text' },
    // rule docs are read next to the CLI bundle (explain); the playground never asks for them
    logOverride: { 'empty-import-meta': 'silent' },
    logLevel: 'warning',
  });
  copyFileSync(`${root}playground/index.html`, `${outdir}/index.html`);
  return outdir;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const out = await buildPlayground(process.argv[2] ?? `${root}playground/dist`);
  console.log(`playground built in ${out}`);
}
