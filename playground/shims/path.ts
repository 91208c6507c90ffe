/** node:path (POSIX) for the playground: the few functions the engine uses, over '/'-separated paths. */
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
  if (isAbsolute(p)) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((x) => x !== '').join('/'));
}

/** The playground's working directory is the root. */
export function resolve(...parts: string[]): string {
  let out = '/';
  for (const p of parts) out = isAbsolute(p) ? p : `${out}/${p}`;
  return normalize(out);
}

export function dirname(p: string): string {
  const n = normalize(p);
  const i = n.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : n.slice(0, i);
}

export function basename(p: string): string {
  const n = normalize(p);
  return n.slice(n.lastIndexOf('/') + 1);
}

export function relative(from: string, to: string): string {
  const a = resolve(from).split('/').filter(Boolean);
  const b = resolve(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
