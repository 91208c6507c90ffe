/** Test helpers: lint a text or a file with the real engine, as the CLI does. */
import { readFileSync } from 'node:fs';
import { RULES } from '../../rules/index.ts';
import { check } from '../../src/engine/check.ts';
import type { RunOptions } from '../../src/engine/run.ts';
import { lintText } from '../../src/engine/run.ts';
import { Sources } from '../../src/engine/sources.ts';
import type { Finding } from '../../src/model/finding.ts';

export const baseOptions = (overrides: Partial<RunOptions> = {}): RunOptions => ({
  rules: RULES,
  environment: {},
  strategies: ['venv', 'pipx', 'override'],
  ...overrides,
});

export function lintString(path: string, text: string, overrides: Partial<RunOptions> = {}) {
  const sources = new Sources();
  const result = lintText(path, text, sources, baseOptions(overrides));
  const at = (f: Finding) => sources.position(f.span.path, f.span.start);
  return { ...result, sources, at };
}

export function lintPath(path: string, overrides: Partial<RunOptions> = {}) {
  return lintString(path, readFileSync(path, 'utf8'), overrides);
}

export { check };
