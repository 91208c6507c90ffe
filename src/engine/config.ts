/**
 * `.ci-lint.yml`: found from the working directory upward (or given with --config), validated
 * strictly — an unknown key or a wrong type is an error with its line and column, never ignored.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import type { ImageDeclaration } from '../environment/resolve.ts';
import type { FixStrategy, Severity } from '../model/finding.ts';
import { decodeSource } from '../yaml/decode.ts';
import { get, type LNode, scalarText } from '../yaml/located.ts';
import { parseYamlText } from '../yaml/parse.ts';
import { readLimited } from './read.ts';

export const CONFIG_NAMES = ['.ci-lint.yml', '.ci-lint.yaml'];
export const FIX_STRATEGIES: FixStrategy[] = ['venv', 'pipx', 'override'];
export type FailOn = Severity | 'never';

export interface Config {
  path?: string;
  defaultImage?: string;
  fixStrategy?: FixStrategy;
  failOn?: FailOn;
  /** rule id → severity, or 'off'. */
  rules: Map<string, Severity | 'off'>;
  images: { pattern: string; matches: (image: string) => boolean; declaration: ImageDeclaration }[];
  /** Path globs (relative to the config's folder) that are never linted. */
  ignore: string[];
}

export class ConfigError extends Error {
  constructor(
    readonly path: string,
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export const emptyConfig = (): Config => ({ rules: new Map(), images: [], ignore: [] });

export function findConfig(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function loadConfig(path: string, knownRules: ReadonlySet<string>): Config {
  // a config found upward may be anything a checkout ships: a FIFO, a link to /dev/zero
  const read = readLimited(path);
  if ('error' in read)
    throw new ConfigError(path, 0, read.error.replace('cannot read file', 'cannot read config'));
  const decoded = decodeSource(read.bytes);
  if (!decoded.ok) throw new ConfigError(path, 0, decoded.error.message);
  const parsed = parseYamlText(path, decoded.value.text);
  const firstError = parsed.errors[0];
  if (firstError) throw new ConfigError(path, firstError.offset, firstError.message);
  return parseConfig(path, parsed.documents[0]?.root ?? null, knownRules);
}

const SEVERITIES = ['error', 'warning', 'info', 'off'];

export function parseConfig(path: string, root: LNode | null, knownRules: ReadonlySet<string>): Config {
  const config: Config = { ...emptyConfig(), path };
  if (root === null) return config;
  const fail = (node: { range: [number, number] } | null | undefined, message: string): never => {
    throw new ConfigError(path, node?.range[0] ?? 0, message);
  };
  if (root.kind !== 'map') fail(root, 'the config must be a mapping');
  if (root.kind !== 'map') return config;
  const str = (key: string, node: LNode | null): string => {
    const s = scalarText(node);
    if (s === undefined || node?.kind !== 'scalar') return fail(node, `${key} must be a string`);
    return s;
  };
  for (const [key, pair] of root.entries) {
    const v = pair.value;
    const keyNode = { range: pair.keyRange };
    switch (key) {
      case 'default-image':
        config.defaultImage = str(key, v);
        break;
      case 'fix-strategy': {
        const s = str(key, v);
        if (!FIX_STRATEGIES.includes(s as FixStrategy))
          fail(v, `fix-strategy must be one of ${FIX_STRATEGIES.join(', ')}`);
        config.fixStrategy = s as FixStrategy;
        break;
      }
      case 'fail-on': {
        const s = str(key, v);
        if (!['error', 'warning', 'info', 'never'].includes(s))
          fail(v, 'fail-on must be one of error, warning, info, never');
        config.failOn = s as FailOn;
        break;
      }
      case 'rules':
        if (v?.kind !== 'map')
          fail(v ?? keyNode, 'rules must be a mapping of rule id to error|warning|info|off');
        if (v?.kind === 'map') {
          for (const [id, rp] of v.entries) {
            if (!knownRules.has(id))
              fail({ range: rp.keyRange }, `unknown rule "${id}" (see \`ci-lint rules\`)`);
            const level =
              rp.value?.kind === 'scalar' && rp.value.value === false ? 'off' : scalarText(rp.value);
            if (!level || !SEVERITIES.includes(level))
              fail(rp.value ?? { range: rp.keyRange }, `rule "${id}" must be error, warning, info or off`);
            config.rules.set(id, level as Severity | 'off');
          }
        }
        break;
      case 'images':
        if (v?.kind !== 'map')
          fail(v ?? keyNode, 'images must be a mapping of image pattern to {managed, python}');
        if (v?.kind === 'map') {
          for (const [pattern, ip] of v.entries) {
            const decl = ip.value;
            if (decl?.kind !== 'map')
              fail(
                decl ?? { range: ip.keyRange },
                `images."${pattern}" must be a mapping like {managed: true}`,
              );
            const declaration = parseImageDeclaration(pattern, decl as LNode, fail);
            const isMatch = picomatch(pattern, { dot: true });
            config.images.push({ pattern, matches: (image) => isMatch(image), declaration });
          }
        }
        break;
      case 'ignore':
        if (v?.kind !== 'seq') fail(v ?? keyNode, 'ignore must be a list of path globs');
        if (v?.kind === 'seq') for (const item of v.items) config.ignore.push(str('ignore item', item));
        break;
      default:
        fail(
          keyNode,
          `unknown config key "${key}" (known: default-image, fix-strategy, fail-on, rules, images, ignore)`,
        );
    }
  }
  return config;
}

function parseImageDeclaration(
  pattern: string,
  node: LNode,
  fail: (n: { range: [number, number] } | null | undefined, m: string) => never,
): ImageDeclaration {
  if (node.kind !== 'map') return fail(node, `images."${pattern}" must be a mapping`);
  for (const [k, p] of node.entries) {
    if (!['managed', 'python', 'pip'].includes(k))
      fail({ range: p.keyRange }, `unknown key "${k}" in images."${pattern}" (known: managed, python, pip)`);
  }
  const managed = get(node, 'managed');
  if (managed?.kind !== 'scalar' || typeof managed.value !== 'boolean') {
    return fail(managed ?? node, `images."${pattern}".managed must be true or false`);
  }
  const out: ImageDeclaration = { managed: managed.value };
  const python = scalarText(get(node, 'python'));
  const pip = scalarText(get(node, 'pip'));
  if (python !== undefined) out.python = python;
  if (pip !== undefined) out.pip = pip;
  return out;
}
