/**
 * Regenerates rules/<id>/cases/X.<strategy>.fixed.yml for every case, as the golden test computes
 * them (unsafe fixes included; pipx's suggestions too). Review the result with `git diff` before
 * committing: a golden is a reviewed expectation, not a recording.
 * Run: npx tsx scripts/gen-goldens.ts [rule-id …]
 */
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../rules/index.ts';
import { fixText } from '../src/engine/fixer.ts';
import { lintText } from '../src/engine/run.ts';
import { Sources } from '../src/engine/sources.ts';
import type { FixStrategy } from '../src/model/finding.ts';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const strategies: FixStrategy[] = ['venv', 'pipx', 'override'];

for (const id of readdirSync(join(root, 'rules'))) {
  const dir = join(root, 'rules', id, 'cases');
  if (!existsSync(dir) || (only.length > 0 && !only.includes(id))) continue;
  for (const name of readdirSync(dir).filter(
    (f) => f.endsWith('.yml') && !f.endsWith('.fixed.yml') && !f.startsWith('ok-'),
  )) {
    const path = join(dir, name);
    const text = readFileSync(path, 'utf8');
    const defaultImage = /^# default-image: (\S+)/m.exec(text)?.[1];
    const lint = (t: string) =>
      lintText(path, t, new Sources(), {
        rules: RULES,
        environment: defaultImage ? { defaultImage } : {},
        strategies: ['venv', 'pipx', 'override'],
      }).findings;
    for (const strategy of strategies) {
      const golden = path.replace(/\.yml$/, `.${strategy}.fixed.yml`);
      const out = fixText(path, text, lint, strategy, strategy === 'pipx' ? 'suggestion' : 'unsafe');
      if (out.text !== text && !out.reverted) {
        writeFileSync(golden, out.text);
        console.log(`wrote ${golden.slice(root.length)}`);
      } else if (existsSync(golden)) {
        unlinkSync(golden);
        console.log(`removed ${golden.slice(root.length)}`);
      }
    }
  }
}
