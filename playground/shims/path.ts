/**
 * node:path (POSIX) for the playground: the functions the engine uses, with Node's results (checked
 * against path.posix by test/playground-shims.test.ts); the working directory is the root.
 */
export const sep = '/';

export function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

export function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !isAbsolute(p)) out.push(part);
  }
  const joined = out.join('/');
  if (isAbsolute(p)) return `/${joined}${joined !== '' && p.endsWith('/') ? '/' : ''}`;
  return `${joined === '' ? '.' : joined}${p.endsWith('/') ? '/' : ''}`;
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((x) => x !== '').join('/'));
}

export function resolve(...parts: string[]): string {
  let out = '/';
  for (const p of parts) if (p !== '') out = isAbsolute(p) ? p : `${out}/${p}`;
  const n = normalize(out);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

export function dirname(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return isAbsolute(p) ? '/' : '.';
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : trimmed.slice(0, i);
}

export function basename(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export function relative(from: string, to: string): string {
  const a = resolve(from).split('/').filter(Boolean);
  const b = resolve(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
