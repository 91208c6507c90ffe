/**
 * A job's or step's `if:` for one matrix combination: true, false, or unknown. GitHub expressions
 * (docs.github.com, "Evaluate expressions in workflows and actions"): literals, `matrix.*`,
 * `runner.os`, `env.*`, `inputs.*`, `!`, comparisons (strings compared ignoring case, mixed types as
 * numbers), `&&`/`||` (which give one of their operands), `contains`/`startsWith`/`endsWith`, and the
 * status functions. Anything else (`github.*`, `steps.*`, `needs.*`, `hashFiles` …) is unknown, and
 * an unknown condition is never taken for false: such a step may run.
 */
import { type ExpressionContext, type ExpressionValue, matrixEntry, matrixValue } from './expressions.ts';

type Known = ExpressionValue;
/** A value, or `undefined` when it cannot be known before the run. */
type Value = Known | undefined;

export interface ConditionContext extends ExpressionContext {
  /** `runner.os`: `Linux`, `macOS` or `Windows`, when the runner is known. */
  runnerOs?: string;
}

/** Whether an `if:` holds in this combination (no `if:` always does); undefined when it cannot be evaluated. */
export function conditionHolds(condition: string | undefined, ctx: ConditionContext): boolean | undefined {
  if (condition === undefined) return true;
  let text = condition.trim();
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(text);
  if (whole) text = whole[1]!;
  else if (text.includes('${{')) return undefined;
  try {
    const parser = new Parser(tokens(text), ctx);
    const value = parser.expression();
    if (!parser.done()) return undefined;
    return value === undefined ? undefined : truthy(value);
  } catch {
    return undefined; // not an expression ci-lint reads
  }
}

const truthy = (v: Known) => !(v === false || v === 0 || v === '' || v === null || Number.isNaN(v));

type Token = { kind: 'op'; op: string } | { kind: 'str'; value: string } | { kind: 'word'; value: string };

function tokens(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(==|!=|<=|>=|&&|\|\||[()!<>,.[\]])|'((?:[^']|'')*)'|([A-Za-z0-9_*-]+(?:\.[0-9]+)?))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new Error('unexpected character');
    at = re.lastIndex;
    if (m[1] !== undefined) out.push({ kind: 'op', op: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'str', value: m[2].replace(/''/g, "'") });
    else out.push({ kind: 'word', value: m[3]! });
  }
  return out;
}

class Parser {
  private at = 0;

  constructor(
    private readonly list: Token[],
    private readonly ctx: ConditionContext,
  ) {}

  done(): boolean {
    return this.at === this.list.length;
  }

  expression(): Value {
    let left = this.and();
    while (this.eat('||')) {
      const right = this.and();
      left = left !== undefined && truthy(left) ? left : left === undefined ? orUnknown(right) : right;
    }
    return left;
  }

  private and(): Value {
    let left = this.unary();
    while (this.eat('&&')) {
      const right = this.unary();
      left = left !== undefined && !truthy(left) ? left : left === undefined ? andUnknown(right) : right;
    }
    return left;
  }

  private unary(): Value {
    if (this.eat('!')) {
      const v = this.unary();
      return v === undefined ? undefined : !truthy(v);
    }
    return this.comparison();
  }

  private comparison(): Value {
    const left = this.primary();
    const next = this.list[this.at];
    if (next?.kind !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(next.op)) return left;
    this.at++;
    const right = this.primary();
    if (left === undefined || right === undefined) return undefined;
    return compare(next.op, left, right);
  }

  private primary(): Value {
    const t = this.list[this.at++];
    if (!t) throw new Error('expression ends early');
    if (t.kind === 'str') return t.value;
    if (t.kind === 'op') {
      if (t.op !== '(') throw new Error(`unexpected ${t.op}`);
      const v = this.expression();
      this.expect(')');
      return v;
    }
    const word = t.value;
    if (this.eat('(')) return this.call(word.toLowerCase());
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^-?\d/.test(word)) return Number(word);
    return this.property(word);
  }

  /** `matrix.os`, `runner.os`, `env.NAME`, `inputs.name`, `matrix['os']`: known ones only. */
  private property(scope: string): Value {
    const names: (string | undefined)[] = [];
    for (;;) {
      if (this.eat('.')) {
        const t = this.list[this.at++];
        names.push(t?.kind === 'word' ? t.value : undefined);
      } else if (this.eat('[')) {
        const key = this.expression();
        this.expect(']');
        names.push(typeof key === 'string' ? key : undefined);
      } else break;
    }
    const [name, ...deeper] = names;
    if (name === undefined || deeper.length > 0) return undefined;
    const value = this.known(scope, name);
    // a value that is itself an expression ci-lint left unevaluated is not known
    return typeof value === 'string' && value.includes('${{') ? undefined : value;
  }

  private known(scope: string, name: string): Value {
    if (scope === 'matrix') {
      const entry = this.ctx.matrix && matrixEntry(this.ctx.matrix, name);
      return entry ? matrixValue(entry.node) : undefined;
    }
    if (scope === 'runner' && name === 'os') return this.ctx.runnerOs;
    if (scope === 'env') return this.ctx.env?.get(name);
    if (scope === 'inputs') return this.ctx.inputs?.get(name);
    return undefined;
  }

  private call(name: string): Value {
    const args: Value[] = [];
    if (!this.eat(')')) {
      do args.push(this.expression());
      while (this.eat(','));
      this.expect(')');
    }
    // the path ci-lint follows is the one where every earlier step succeeded
    if (name === 'success' || name === 'always') return true;
    if (name === 'failure' || name === 'cancelled') return false;
    const [a, b] = args;
    if (a === undefined || b === undefined) return undefined;
    const [hay, needle] = [String(a).toLowerCase(), String(b).toLowerCase()];
    if (name === 'contains') return hay.includes(needle);
    if (name === 'startswith') return hay.startsWith(needle);
    if (name === 'endswith') return hay.endsWith(needle);
    return undefined;
  }

  private eat(op: string): boolean {
    const t = this.list[this.at];
    if (t?.kind === 'op' && t.op === op) {
      this.at++;
      return true;
    }
    return false;
  }

  private expect(op: string): void {
    if (!this.eat(op)) throw new Error(`expected ${op}`);
  }
}

/** `unknown || x`: true when x is truthy whatever the left side is, else unknown. */
const orUnknown = (right: Value): Value => (right !== undefined && truthy(right) ? true : undefined);
/** `unknown && x`: false when x is falsy whatever the left side is, else unknown. */
const andUnknown = (right: Value): Value => (right !== undefined && !truthy(right) ? false : undefined);

/** GitHub's comparison: strings ignoring case; other mixes as numbers (docs: "loose equality"). */
function compare(op: string, a: Known, b: Known): boolean {
  let x: string | number;
  let y: string | number;
  if (typeof a === 'string' && typeof b === 'string') {
    x = a.toLowerCase();
    y = b.toLowerCase();
  } else {
    x = toNumber(a);
    y = toNumber(b);
  }
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

function toNumber(v: Known): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  const t = v.trim();
  if (t === '') return 0;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$|^0x[0-9a-f]+$/i.test(t) ? Number(t) : Number.NaN;
}
