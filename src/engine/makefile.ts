/**
 * `make install` in a job: the recipe lines make would run for the targets, read from the project's
 * makefile, so a recipe that is plainly `pip install …` is judged like the same line in the job. Only
 * what can be read without running make: simple variable assignments (`PIP ?= pip`), explicit
 * targets and their prerequisites. Pattern rules, functions and conditionals are not evaluated.
 */
import type { ScriptLine } from '../model/job.ts';

/** Prerequisites of prerequisites …: deep enough for real makefiles, bounded against cycles. */
const MAX_DEPTH = 8;
/** `$(A)` whose value holds `$(B)` …: recursive variables, bounded. */
const MAX_EXPANSION = 8;

export interface Recipe {
  line: ScriptLine;
  /** A `-` prefix: make goes on when the line fails. */
  ignoreErrors: boolean;
}

interface Rule {
  prerequisites: string[];
  /** Recipe lines as written (leading tab removed), with the file offset of their first character. */
  recipe: { text: string; at: number }[];
}

interface Makefile {
  variables: Map<string, string>;
  rules: Map<string, Rule>;
  /** The first target that does not start with `.`: what `make` alone builds. */
  defaultTarget?: string;
}

const ASSIGNMENT = /^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(\?=|:{1,3}=|\+=|!=|=)\s*(.*)$/;
const RULE = /^([^:=#\t][^:=#]*?)\s*::?(?!=)\s*([^;#]*)/;

/**
 * The recipe lines `make TARGETS` runs, in order (prerequisites first, each target once), as script
 * lines that point into the makefile. `overrides` are `make NAME=value` arguments.
 */
export function makeRecipes(
  file: ScriptLine,
  targets: string[],
  overrides: ReadonlyMap<string, string>,
): Recipe[] {
  const mk = parseMakefile(file.text);
  for (const [k, v] of overrides) mk.variables.set(k, v);
  const out: Recipe[] = [];
  const done = new Set<string>();
  const build = (target: string, depth: number) => {
    const rule = mk.rules.get(target);
    if (!rule || done.has(target) || depth > MAX_DEPTH) return;
    done.add(target);
    for (const p of rule.prerequisites) build(p, depth + 1);
    for (const line of rule.recipe) out.push(recipeLine(file, line, mk.variables, target));
  };
  const wanted = targets.length > 0 ? targets : mk.defaultTarget ? [mk.defaultTarget] : [];
  for (const t of wanted) build(t, 0);
  return out;
}

function parseMakefile(text: string): Makefile {
  const mk: Makefile = { variables: new Map([['MAKE', 'make']]), rules: new Map() };
  let current: Rule | null = null;
  let offset = 0;
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const start = offset;
    let line = lines[k]!.replace(/\r$/, '');
    offset += lines[k]!.length + 1;
    if (line.startsWith('\t')) {
      // a recipe line; a trailing backslash carries it on (the shell sees the continuation)
      while (line.endsWith('\\') && k + 1 < lines.length) {
        line = `${line}\n${lines[++k]!.replace(/\r$/, '')}`;
        offset += lines[k]!.length + 1;
      }
      current?.recipe.push({ text: line.slice(1), at: start + 1 });
      continue;
    }
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const assignment = ASSIGNMENT.exec(line);
    if (assignment) {
      const [, name, op, value] = assignment as unknown as [string, string, string, string];
      if (op === '?=' && mk.variables.has(name)) continue;
      if (op === '+=') mk.variables.set(name, `${mk.variables.get(name) ?? ''} ${value}`.trim());
      else if (op !== '!=') mk.variables.set(name, value.trim());
      current = null;
      continue;
    }
    const rule = RULE.exec(line);
    if (!rule) {
      current = null; // a directive (include, ifeq …): not evaluated
      continue;
    }
    const names = rule[1]!.trim().split(/\s+/);
    current = { prerequisites: rule[2]!.trim().split(/\s+/).filter(Boolean), recipe: [] };
    for (const name of names) {
      if (name.includes('%')) continue;
      mk.rules.set(name, current);
      if (mk.defaultTarget === undefined && !name.startsWith('.')) mk.defaultTarget = name;
    }
  }
  return mk;
}

/** A recipe line as the shell gets it: `@`/`-`/`+` dropped, make variables expanded, `$$` → `$`. */
function recipeLine(
  file: ScriptLine,
  line: { text: string; at: number },
  variables: ReadonlyMap<string, string>,
  target: string,
): Recipe {
  let i = 0;
  while (i < line.text.length && /[@+\-\s]/.test(line.text[i]!)) i++;
  const ignoreErrors = line.text.slice(0, i).includes('-');
  const chars: string[] = [];
  const offsets: number[] = [];
  const put = (s: string, at: number) => {
    for (const c of s) {
      chars.push(c);
      offsets.push(at);
    }
  };
  for (; i < line.text.length; i++) {
    const at = line.at + i;
    const c = line.text[i]!;
    if (c !== '$') {
      put(c, at);
      continue;
    }
    const next = line.text[i + 1];
    if (next === '$') {
      put('$', at);
      i++;
    } else if (next === '(' || next === '{') {
      const close = line.text.indexOf(next === '(' ? ')' : '}', i + 2);
      if (close === -1) {
        put(c, at);
        continue;
      }
      // every character of the value points at the `$` that produced it
      put(expand(line.text.slice(i + 2, close), variables, 0), at);
      i = close;
    } else if (next !== undefined && /[A-Za-z0-9_@<^*?]/.test(next)) {
      put(variables.get(next) ?? '', at); // `$X`: a one-letter variable
      i++;
    } else put(c, at);
  }
  const text = chars.join('');
  offsets.push((offsets[offsets.length - 1] ?? line.at) + 1);
  const script: ScriptLine = {
    path: file.path,
    text,
    offsets,
    style: 'literal',
    // expanded text does not map character for character: findings only, no fixes
    exact: false,
    span: { path: file.path, start: line.at, end: line.at + line.text.length },
    section: `make ${target}`,
  };
  return { line: script, ignoreErrors };
}

/** A variable's value with `$(…)` references in it expanded; functions and unknown names give ''. */
function expand(name: string, variables: ReadonlyMap<string, string>, depth: number): string {
  const value = variables.get(name.trim());
  if (value === undefined || depth > MAX_EXPANSION) return '';
  return value.replace(/\$[({]([^)}]*)[)}]/g, (_, inner: string) => expand(inner, variables, depth + 1));
}
