/**
 * `${{ … }}` in the places that decide the environment (runs-on, container, env, run): property
 * lookups in `matrix`, `env`, `inputs` (with defaults), string literals and `a || b`. Anything
 * else is left unresolved — never guessed.
 */
import type { LNode } from '../../yaml/located.ts';

export interface ExpressionContext {
  matrix?: ReadonlyMap<string, LNode | null>;
  env?: ReadonlyMap<string, string>;
  inputs?: ReadonlyMap<string, string>;
}

export interface Evaluated {
  value: string;
  unresolved: boolean;
}

const EXPRESSION = /\$\{\{\s*([\s\S]*?)\s*\}\}/g;

/** The node an expression `matrix.x` names, when the whole text is that one expression. */
export function expressionNode(text: string, ctx: ExpressionContext): LNode | null | undefined {
  const m = /^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(text.trim());
  return m && ctx.matrix ? matrixEntry(ctx.matrix, m[1]!)?.node : undefined;
}

/** A matrix key as GitHub looks it up: property names of contexts are not case-sensitive. */
export function matrixEntry(
  matrix: ReadonlyMap<string, LNode | null>,
  name: string,
): { node: LNode | null | undefined } | undefined {
  if (matrix.has(name)) return { node: matrix.get(name) };
  const lower = name.toLowerCase();
  for (const [key, node] of matrix) if (key.toLowerCase() === lower) return { node };
  return undefined;
}

/**
 * `a || b …`: the first alternative whose value is not falsy, else the last one's. A matrix key a leg
 * does not have is null, which GitHub writes as '' (`container: ${{ matrix.container }}` on a leg with
 * no container runs on the runner); matrix values keep their YAML types (`3.10` is the number 3.1).
 */
function evalOne(expr: string, ctx: ExpressionContext): string | undefined {
  const alternatives = expr.split('||').map((s) => s.trim());
  for (const [k, alt] of alternatives.entries()) {
    const value = operandValue(alt, ctx);
    if (value === undefined) return undefined;
    const falsy = value === false || value === 0 || value === '' || value === null;
    if (!falsy || k === alternatives.length - 1) return value === null ? '' : String(value);
  }
  return undefined;
}

/** What an expression's operand can be: a string, a number, a boolean or null. */
export type ExpressionValue = string | number | boolean | null;

/** A matrix value as GitHub reads it, with its YAML type (`false`, `3.10` the number 3.1); undefined for a list or map. */
export function matrixValue(node: LNode | null | undefined): ExpressionValue | undefined {
  if (node === null) return null;
  if (node?.kind !== 'scalar') return undefined;
  const v = node.value;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null
    ? v
    : undefined;
}

/** One operand: a string literal, or `matrix.x`, `env.X`, `inputs.x`; undefined when not known. */
function operandValue(alt: string, ctx: ExpressionContext): ExpressionValue | undefined {
  const lit = /^'((?:[^']|'')*)'$/.exec(alt);
  if (lit) return lit[1]!.replace(/''/g, "'");
  const path = /^(matrix|env|inputs)\.([A-Za-z0-9_-]+)$/.exec(alt);
  if (!path) return undefined;
  const [, scope, name] = path;
  if (scope === 'env') return ctx.env?.get(name!);
  if (scope === 'inputs') return ctx.inputs?.get(name!);
  if (!ctx.matrix) return undefined;
  const entry = matrixEntry(ctx.matrix, name!);
  return entry ? matrixValue(entry.node) : null;
}

/** Each `${{ … }}` of `text` whose value is known: where it is written, and its value. */
export function knownExpressions(
  text: string,
  ctx: ExpressionContext,
): { start: number; end: number; value: string }[] {
  const out: { start: number; end: number; value: string }[] = [];
  for (const m of text.matchAll(EXPRESSION)) {
    const value = evalOne(m[1]!, ctx);
    if (value !== undefined) out.push({ start: m.index, end: m.index + m[0].length, value });
  }
  return out;
}

export function evaluate(text: string, ctx: ExpressionContext): Evaluated {
  let unresolved = false;
  const value = text.replace(EXPRESSION, (whole, expr: string) => {
    const v = evalOne(expr, ctx);
    if (v === undefined) {
      unresolved = true;
      return whole;
    }
    return v;
  });
  return { value, unresolved };
}
