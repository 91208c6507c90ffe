/**
 * After a fix: does the file still mean what it meant, outside the scalars the fix edited? Both
 * texts are parsed and walked side by side; every mapping key, sequence length, alias and scalar
 * value must be equal, except the scalars an edit touched. A fix that changed anything else
 * (a quote it escaped wrongly, a `#` that swallowed text, a broken indentation) is caught here.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, parseAllDocuments } from 'yaml';
import type { Edit } from '../model/finding.ts';

export type Verdict = { same: true } | { same: false; why: string };

export function sameOutsideEdits(before: string, after: string, edits: Edit[]): Verdict {
  const a = parseAllDocuments(before, { uniqueKeys: false });
  const b = parseAllDocuments(after, { uniqueKeys: false });
  const docsA = Array.isArray(a) ? a : [];
  const docsB = Array.isArray(b) ? b : [];
  if (docsB.some((d) => d.errors.length > 0)) return { same: false, why: 'the fixed file is not valid YAML' };
  if (docsA.length !== docsB.length) return { same: false, why: 'the number of YAML documents changed' };
  const touched = (node: Node) => {
    const r = node.range;
    return r !== undefined && r !== null && edits.some((e) => e.start >= r[0] && e.start <= r[1]);
  };
  let budget = 2_000_000; // bounded, like everything that walks user input

  const walk = (x: unknown, y: unknown, where: string): string | null => {
    if (--budget < 0) return null;
    const xMissing = x === null || x === undefined;
    const yMissing = y === null || y === undefined;
    if (xMissing || yMissing)
      return xMissing && yMissing ? null : `${where}: a value appeared or disappeared`;
    if (isAlias(x) || isAlias(y))
      return isAlias(x) && isAlias(y) && x.source === y.source ? null : `${where}: an alias changed`;
    if (isScalar(x) && isScalar(y)) {
      if (touched(x)) return null;
      return x.value === y.value
        ? null
        : `${where}: ${JSON.stringify(x.value)} became ${JSON.stringify(y.value)}`;
    }
    if (isSeq(x) && isSeq(y)) {
      if (x.items.length !== y.items.length) return `${where}: a list changed length`;
      for (let i = 0; i < x.items.length; i++) {
        const diff = walk(x.items[i], y.items[i], `${where}[${i}]`);
        if (diff) return diff;
      }
      return null;
    }
    if (isMap(x) && isMap(y)) {
      if (x.items.length !== y.items.length) return `${where}: a mapping changed size`;
      for (let i = 0; i < x.items.length; i++) {
        const p = x.items[i];
        const q = y.items[i];
        if (!isPair(p) || !isPair(q)) return `${where}: a mapping entry changed`;
        const key = walk(p.key, q.key, `${where}.<key ${i}>`);
        if (key) return key;
        const name = isScalar(p.key) ? String(p.key.value) : String(i);
        const value = walk(p.value, q.value, `${where}.${name}`);
        if (value) return value;
      }
      return null;
    }
    return `${where}: a node changed kind`;
  };

  for (let i = 0; i < docsA.length; i++) {
    const diff = walk(docsA[i]!.contents, docsB[i]!.contents, '$');
    if (diff) return { same: false, why: diff };
  }
  return { same: true };
}
