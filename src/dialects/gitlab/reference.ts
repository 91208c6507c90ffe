/**
 * `!reference [.job, key, …]` and script lists: GitLab flattens nested arrays (up to 10 levels) and
 * splices referenced arrays in place. Work is bounded so an alias bomb cannot hang us.
 */
import type { Diagnostic } from '../../model/finding.ts';
import { get, type LMap, type LNode, type LScalar, scalarText } from '../../yaml/located.ts';

export const MAX_REFERENCE_DEPTH = 10;
export const MAX_SCRIPT_LINES = 50_000;

export interface ReferenceContext {
  /** Top-level keys of the pipeline (jobs, templates, anything). */
  root: LMap;
  diagnostics: Diagnostic[];
  /**
   * Where set, the references that named nothing (what an unread include may define), each with the
   * index in its script where its lines would have gone.
   */
  missing?: { name: string; at: number }[];
  /** Script lines already reported as not strings (a template's line is read once per job). */
  notStrings?: Set<LNode>;
}

/** Follows a `!reference` sequence to the node it names, or undefined. */
export function followReference(ref: LNode, ctx: ReferenceContext, depth = 0): LNode | null | undefined {
  if (ref.kind !== 'seq' || ref.tag !== '!reference') return ref;
  if (depth >= MAX_REFERENCE_DEPTH) {
    ctx.diagnostics.push({
      path: ref.path,
      offset: ref.range[0],
      severity: 'error',
      message: `!reference nests deeper than GitLab's limit of ${MAX_REFERENCE_DEPTH}`,
    });
    return undefined;
  }
  const keys = ref.items.map((i) => scalarText(i));
  let node: LNode | null | undefined = ctx.root;
  for (const key of keys) {
    if (key === undefined) return undefined;
    node = node?.kind === 'seq' && node.tag === '!reference' ? followReference(node, ctx, depth + 1) : node;
    node = get(node, key);
  }
  if (node === undefined) {
    if (keys[0] !== undefined) ctx.missing?.push({ name: keys[0], at: -1 });
    ctx.diagnostics.push({
      path: ref.path,
      offset: ref.range[0],
      severity: 'info',
      message: `!reference [${keys.join(', ')}] names nothing defined in this pipeline`,
    });
  }
  if (node?.kind === 'seq' && node.tag === '!reference') return followReference(node, ctx, depth + 1);
  return node;
}

/** Flattens a script value (string, list, nested lists, `!reference`) into its scalar items. */
export function flattenScript(value: LNode | null | undefined, ctx: ReferenceContext): LScalar[] {
  const out: LScalar[] = [];
  const active = new Set<LNode>();
  let visits = 0; // bounds the work even for bombs made of empty lists
  const walk = (node: LNode | null | undefined, depth: number) => {
    if (!node || out.length >= MAX_SCRIPT_LINES || ++visits > MAX_SCRIPT_LINES * 4) return;
    if (node.kind === 'seq' && node.tag === '!reference') {
      const known = ctx.missing?.length ?? 0;
      walk(followReference(node, ctx), depth);
      for (const m of ctx.missing?.slice(known) ?? []) if (m.at < 0) m.at = out.length;
      return;
    }
    if (node.kind === 'scalar') {
      if (node.value !== null && node.value !== undefined) out.push(node);
      return;
    }
    // `- echo key: value` unquoted is a mapping, which GitLab does not take as a script line
    if (node.kind === 'map') {
      ctx.notStrings ??= new Set();
      if (ctx.notStrings.has(node)) return;
      ctx.notStrings.add(node);
      ctx.diagnostics.push({
        path: node.path,
        offset: node.range[0],
        severity: 'error',
        message:
          'this script line is a YAML mapping (a ": " in an unquoted line), not a string: GitLab rejects the file; quote the line',
      });
      return;
    }
    if (node.kind !== 'seq' || depth > MAX_REFERENCE_DEPTH || active.has(node)) return;
    active.add(node); // an anchor that contains itself
    for (const item of node.items) walk(item, depth + 1);
    active.delete(node);
  };
  walk(value, 0);
  if ((out.length >= MAX_SCRIPT_LINES || visits > MAX_SCRIPT_LINES * 4) && value) {
    ctx.diagnostics.push({
      path: value.path,
      offset: value.range[0],
      severity: 'error',
      message: `script expands to more than ${MAX_SCRIPT_LINES} lines (alias bomb?); the rest is not analysed`,
    });
  }
  return out;
}
