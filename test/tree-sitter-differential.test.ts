/**
 * Differential test (issue 6, item 8): our shell tokenizer and command splitter (src/shell/tokenize.ts,
 * src/shell/commands.ts) against tree-sitter-bash, over every script line of ../shared/corpus and of
 * the fixtures and rule cases. For each line, both sides list its simple commands; a command agrees
 * when its `NAME=value` prefixes and its words (command name first, redirections left out) have the
 * same [start, end) offsets on both sides. Commands are matched on the offset of their first word.
 *
 * tree-sitter runs from the devDependencies `web-tree-sitter` and `tree-sitter-bash` (whose npm
 * package ships tree-sitter-bash.wasm, ABI 15); nothing is downloaded at test time.
 *
 * What neither side looks into: commands inside `$(…)`, backticks, `<(…)`/`>(…)` and here-document
 * bodies (ours keeps those as parts of one word or as data; process substitutions are a known bug of
 * ours, see TODO). What we look into and tree-sitter does
 * not: the script of `sh -c '…'` / `bash -c "…"`; those commands are compared as the outer command.
 *
 * Every difference is either compensated for by a documented divergence (DIVERGENCES: tree-sitter
 * bugs with their upstream issue, CI template syntax), justified (JUSTIFIED: not shell at all), or a
 * known bug of ours (TODO), which stays a `todo` sub-test until it is fixed. Anything else fails.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell text, where ${…} is literal
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { before, describe, test } from 'node:test';
import { Language, type Node, Parser } from 'web-tree-sitter';
import { lintText } from '../src/engine/run.ts';
import { Sources } from '../src/engine/sources.ts';
import type { Dialect } from '../src/model/job.ts';
import { basename, parseCommands } from '../src/shell/commands.ts';
import { isPosixShell } from '../src/shell/posix.ts';
import { isRedirect, type Token, tokenize, type Word } from '../src/shell/tokenize.ts';
import { baseOptions } from './helpers/lint.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const CORPUS = new URL('../../shared/corpus/', import.meta.url).pathname;

// ---------------------------------------------------------------------------------------------
// The documented differences

type DivergenceId =
  | 'ci-template'
  | 'translated-string'
  | 'redirect-destination'
  | 'touching-words'
  | 'continuation-in-word'
  | 'test-command';

/**
 * Differences the comparison compensates for on tree-sitter's side. Each has a minimal example that
 * must disagree without the compensation and agree with it (checked below).
 */
const DIVERGENCES: Record<DivergenceId, { reason: string; example: string }> = {
  'ci-template': {
    reason:
      '`${{ … }}` (GitHub) and `$[[ … ]]` (GitLab) are replaced by the CI before the shell runs, so we keep ' +
      'them as opaque word parts (spaces and quotes included); tree-sitter reads them as shell (`${{` is a ' +
      'bad substitution, `$[[` splits at its spaces). They are masked, same length, as a `${___}` expansion ' +
      'before tree-sitter parses the line.',
    example: 'pip install ${{ matrix.extra }} "$[[ inputs.pkg ]]" x',
  },
  'redirect-destination': {
    reason:
      'tree-sitter-bash 0.25 reads every word after a redirection as another destination of it ' +
      '(`file_redirect: repeat1(_literal)`; tree-sitter/tree-sitter-bash#233, fix pending in #331); bash ' +
      'takes one target, the rest are arguments. Destinations after the first are counted as arguments.',
    example: 'pip install x >log y 2>&1 z',
  },
  'touching-words': {
    reason:
      'tree-sitter-bash 0.25 splits a word after `$` in `$A:$B/…`-like concatenations (the second `$` ends ' +
      'the word, the name starts a new one; tree-sitter/tree-sitter-bash#315, #180); bash reads one word. ' +
      'tree-sitter spans that touch (no blank between) are joined: two words never touch in bash.',
    example: 'export PATH=$PATH:$HOME/.local/bin && PYTHONPATH=$PWD:$HOME/lib pip install x',
  },
  'translated-string': {
    reason:
      'in `$"…"` (a locale-translated string) the `$` is part of the word; tree-sitter-bash 0.25 leaves it ' +
      'out of the string node, as a bare `$` token (tree-sitter/tree-sitter-bash#258). A span that starts ' +
      'with `"` right after a `$` no span covers is widened to include it.',
    example: 'echo $"Installing" x && pip install a$"b"',
  },
  'continuation-in-word': {
    reason:
      'a line continuation inside a word (`ins\\⏎tall`) is removed before bash splits words, so it is one ' +
      'word; tree-sitter-bash ends the word there (related: tree-sitter/tree-sitter-bash#141, #100). ' +
      'tree-sitter words separated only by `\\⏎` are joined.',
    example: 'pip ins\\\ntall --upgrade x\\\ny',
  },
  'test-command': {
    reason:
      'tree-sitter parses `[ … ]` and `[[ … ]]` as a test_command holding an expression tree, not as a ' +
      'command with words; we split them into words like any command (`[` is a builtin; for `[[`, a ' +
      'keyword, see TODO). The expression is flattened to its operands and operators (a regex or a ' +
      'pattern is one operand), which must then match our words one for one.',
    example: '[ ! -f requirements.txt -a -n "$X" ] || [[ $X == a* ]] && pip install -r requirements.txt',
  },
};

/** Differences that remain, justified: the line is not a shell script at all. */
const JUSTIFIED = {
  'invalid-shell': {
    reason:
      'tree-sitter reports a syntax error and `bash -n` rejects the line too (in the corpus: PowerShell ' +
      'from Windows-runner jobs that GitLab runs with pwsh, which the engine cannot tell from the YAML). ' +
      'There is no right split of invalid shell; the two error recoveries differ.',
  },
};

/**
 * Bugs of ours that this differential found, now fixed: each example must agree with tree-sitter.
 * (A new bug goes here as a `todo` entry with a same-length `rewrite` that both sides read alike,
 * so corpus lines can be put down to it until it is fixed.)
 */
const TODO: { id: string; example: string; reason: string; rewrite: (line: string) => string }[] = [];

const FIXED: { id: string; example: string }[] = [
  {
    id: 'double-bracket-operators',
    example: 'if [[ -n "$A" && ! -f "$B" ]] || [[ $V =~ ^(3|4)$ ]] || [[ a < b ]]; then pip install x; fi',
  },
  { id: 'arithmetic-command', example: '((n++)); for ((i = 0; i < 3; i++)); do pip install x; done' },
  { id: 'array-element-assignment', example: 'deps["$name"]="" pip install x' },
  {
    id: 'process-substitution',
    example: 'pip install -r <(grep -v torch requirements.txt) y && diff <(pip freeze) requirements.txt',
  },
];

// ---------------------------------------------------------------------------------------------
// Inputs: every script line the engine hands to the shell layer

function listYaml(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listYaml(p));
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out.sort();
}

/** Unique script lines of POSIX shells, each with the first file it came from. */
function scriptLines(): { lines: Map<string, string>; files: number } {
  const cases = readdirSync(join(ROOT, 'rules'))
    .map((r) => join(ROOT, 'rules', r, 'cases'))
    .filter((d) => existsSync(d));
  const inputs: { file: string; dialect?: Dialect }[] = [
    ...listYaml(join(CORPUS, 'gitlab')).map((file) => ({ file, dialect: 'gitlab' as const })),
    // GitHub workflows and actions: no dialect, so detection tells them apart
    ...listYaml(join(CORPUS, 'github')).map((file) => ({ file })),
    ...listYaml(join(ROOT, 'fixtures')).map((file) => ({ file })),
    ...cases.flatMap(listYaml).map((file) => ({ file })),
  ];
  const lines = new Map<string, string>();
  for (const { file, dialect } of inputs) {
    const result = lintText(
      file,
      readFileSync(file, 'utf8'),
      new Sources(),
      baseOptions(dialect ? { dialect } : {}),
    );
    for (const job of result.pipeline?.jobs ?? [])
      for (const shell of job.shells) {
        if (!isPosixShell(shell.program)) continue;
        for (const line of shell.lines)
          if (!lines.has(line.text)) lines.set(line.text, relative(join(ROOT, '..'), file));
      }
  }
  return { lines, files: inputs.length };
}

// ---------------------------------------------------------------------------------------------
// A simple command as both sides see it

interface Span {
  start: number;
  end: number;
}

interface RawCommand {
  /** Offset of the first word: commands are matched on it. */
  start: number;
  /** `NAME=value` prefixes. */
  assignments: Span[];
  /** The command name and its arguments, redirections and their targets left out. */
  words: Span[];
  /** `[`/`[[` test commands. */
  test?: boolean;
}

const span = (n: Node): Span => ({ start: n.startIndex, end: n.endIndex });
const byStart = (a: { start: number }, b: { start: number }) => a.start - b.start;

// ---------------------------------------------------------------------------------------------
// tree-sitter's side

/** Subtrees whose commands neither side reports. */
const OPAQUE = new Set([
  'command_substitution',
  'process_substitution',
  'heredoc_body',
  'arithmetic_expansion',
]);
const REDIRECTS = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);
/** Inner nodes of a test expression; everything else in it is an operand or an operator, one word. */
const EXPRESSIONS = new Set([
  'binary_expression',
  'unary_expression',
  'parenthesized_expression',
  'ternary_expression',
  'postfix_expression',
]);

interface TsResult {
  commands: RawCommand[];
  error: boolean;
  /** Divergences compensated for on this line. */
  fired: Set<DivergenceId>;
}

/**
 * `${{ … }}` and `$[[ … ]]`, masked as a same-length `${___}` expansion. The closing `}}`/`]]` is the
 * first one, as our tokenizer reads it (skipExpansion).
 */
function maskTemplates(line: string): string {
  return line.replace(/\$\{\{[\s\S]*?(?:\}\}|$)|\$\[\[[\s\S]*?(?:\]\]|$)/g, (m) =>
    m.length >= 3 ? `\${${'_'.repeat(m.length - 3)}}` : m,
  );
}

function treeSitterCommands(parser: Parser, line: string, compensate: boolean): TsResult {
  const fired = new Set<DivergenceId>();
  let text = line;
  if (compensate) {
    text = maskTemplates(line);
    if (text !== line) fired.add('ci-template');
  }
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  const commands: RawCommand[] = [];
  const stray: Span[] = [];

  const visit = (n: Node): void => {
    if (OPAQUE.has(n.type)) return;
    switch (n.type) {
      case 'compound_statement':
        // `(( … ))` is arithmetic, not commands
        if (n.firstChild?.type === '((') return;
        break;
      case 'c_style_for_statement':
        // `for (( …; …; … ))`: only the body runs commands
        for (const c of n.childrenForFieldName('body')) if (c) visit(c);
        return;
      case 'command': {
        const assignments: Span[] = [];
        const words: Span[] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (REDIRECTS.has(c.type)) visit(c);
          else if (c.type === 'variable_assignment' && words.length === 0) assignments.push(span(c));
          else if (c.type !== 'comment') words.push(span(c));
          if (!REDIRECTS.has(c.type)) inside(c);
        }
        commands.push({ start: (assignments[0] ?? words[0] ?? span(n)).start, assignments, words });
        return;
      }
      case 'file_redirect': {
        const destinations = n.childrenForFieldName('destination').filter((d): d is Node => !!d);
        if (destinations.length > 1) stray.push(...destinations.slice(1).map(span));
        break;
      }
      case 'declaration_command':
      case 'unset_command': {
        // `export A=1 B`, `local x`, `unset X`: keywords in the grammar, commands for us
        const words = n.children.filter((c): c is Node => !!c && c.type !== 'comment').map(span);
        commands.push({ start: n.startIndex, assignments: [], words });
        for (const c of n.namedChildren) if (c) inside(c);
        return;
      }
      case 'variable_assignment':
      case 'variable_assignments': {
        // a statement of assignments only
        const list = n.type === 'variable_assignment' ? [n] : n.namedChildren.filter((c): c is Node => !!c);
        commands.push({ start: n.startIndex, assignments: list.map(span), words: [] });
        for (const c of list) inside(c);
        return;
      }
      case 'test_command': {
        const words: Span[] = [];
        const flatten = (e: Node) => {
          for (const c of e.children) {
            if (!c || c.type === 'comment') continue;
            if (EXPRESSIONS.has(c.type)) flatten(c);
            else words.push(span(c));
          }
        };
        flatten(n);
        commands.push({ start: n.startIndex, assignments: [], words, test: true });
        for (const c of n.namedChildren) if (c) inside(c);
        return;
      }
    }
    inside(n);
  };
  /** The statements nested in a node that is itself a word, an assignment or a redirection. */
  const inside = (n: Node): void => {
    if (OPAQUE.has(n.type)) return;
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(tree.rootNode);
  const error = tree.rootNode.hasError;
  tree.delete();
  commands.sort(byStart);

  if (compensate) {
    // redirect-destination: extra destinations are arguments of the command before them
    for (const s of stray) {
      const owner = commands.filter((c) => c.start < s.start).pop();
      if (!owner || owner.test) continue;
      owner.words.push(s);
      owner.words.sort(byStart);
      fired.add('redirect-destination');
    }
    for (const c of commands) {
      if (c.test) fired.add('test-command');
      joinWords(line, c, fired);
    }
  } else {
    // as tree-sitter models it: one test_command node
    for (const c of commands)
      if (c.test) c.words = [{ start: c.words[0]!.start, end: c.words[c.words.length - 1]!.end }];
  }
  return { commands, error, fired };
}

/** translated-string, touching-words and continuation-in-word: join spans bash reads as one word. */
function joinWords(line: string, c: RawCommand, fired: Set<DivergenceId>): void {
  for (const w of [...c.assignments, ...c.words])
    if (line[w.start] === '"' && line[w.start - 1] === '$' && line[w.start - 2] !== '\\') {
      w.start--;
      fired.add('translated-string');
    }
  const all = [
    ...c.assignments.map((s) => ({ ...s, assignment: true })),
    ...c.words.map((s) => ({ ...s, assignment: false })),
  ];
  const out: typeof all = [];
  for (const w of all) {
    const prev = out[out.length - 1];
    const gap = prev ? line.slice(prev.end, w.start) : null;
    if (prev && gap === '') {
      prev.end = w.end;
      fired.add('touching-words');
    } else if (prev && gap !== null && /^(\\\r?\n)+$/.test(gap)) {
      prev.end = w.end;
      fired.add('continuation-in-word');
    } else out.push({ ...w });
  }
  c.assignments = out.filter((w) => w.assignment).map(({ start, end }) => ({ start, end }));
  c.words = out.filter((w) => !w.assignment).map(({ start, end }) => ({ start, end }));
}

// ---------------------------------------------------------------------------------------------
// Our side

const isControl = (t: Token | undefined) => t?.kind === 'op' && !isRedirect(t);
/** Words that open a compound command or negate a pipeline, before a statement's first command. */
const LEADING = new Set(['if', 'then', 'elif', 'else', 'do', 'while', 'until', '{', '!']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

/** Words of a token range, without redirections and their targets. */
function wordsOf(tokens: Token[]): Word[] {
  const out: Word[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'word') out.push(t);
    else if (isRedirect(t) && tokens[k + 1]?.kind === 'word') k++;
  }
  return out;
}

const spans = (words: Word[]): Span[] => words.map(({ start, end }) => ({ start, end }));

interface OursResult {
  commands: RawCommand[];
  /** A command's argv and wrappers that do not fit its raw words (a bug in parseCommands). */
  problems: string[];
}

function ourCommands(line: string): OursResult {
  const tokens = tokenize(line);
  const problems: string[] = [];
  const commands: RawCommand[] = [];
  const outer = new Set<Word>();
  for (const c of parseCommands(line)) {
    // a command from the script of `sh -c '…'` maps into one word of the line (its offsets go through
    // toRoot, which is the identity only at the top level): compare the outer command instead
    if (c.toRoot(0) !== 0) {
      // (a shell's here-document script belongs to the word before its `<<`)
      const doc = tokens.findIndex(
        (t) => t.kind === 'op' && t.heredoc && t.heredoc.start <= c.start && c.start < t.heredoc.end,
      );
      const w =
        doc > 0
          ? tokens
              .slice(0, doc)
              .reverse()
              .find((t): t is Word => t.kind === 'word')
          : tokens.find((t): t is Word => t.kind === 'word' && t.start <= c.start && c.start < t.end);
      if (w && !outer.has(w)) {
        outer.add(w);
        commands.push(outerCommand(tokens, w));
      }
      continue;
    }
    const raw = wordsOf(tokens.filter((t) => t.start >= c.start && t.start < c.end));
    let n = 0;
    while (n < raw.length && c.assignments.some((a) => a.word.start === raw[n]!.start)) n++;
    const words = raw.slice(n);
    // the program chain (wrappers looked through, then argv[0]) starts with the raw command name
    const chain = [...c.wrappers, ...c.argv.slice(0, 1).map((w) => w.value)];
    const name = words[0];
    if (name && chain[0] !== undefined && chain[0] !== name.value && chain[0] !== basename(name.value))
      problems.push(`program chain ${chain.join(' → ')} does not start with ${JSON.stringify(name.value)}`);
    // argv is the tail of the words, but for `find … -exec CMD {} ;`, where it stops before the `;`
    const at = c.wrappers.includes('find')
      ? words.findIndex((w) => w.start === c.argv[0]?.start)
      : words.length - c.argv.length;
    if (c.argv.some((w, k) => words[at + k]?.start !== w.start))
      problems.push(`argv ${c.argv.map((w) => w.value).join(' ')} is not the tail of the command's words`);
    commands.push({
      start: (raw[0] ?? c).start,
      assignments: spans(raw.slice(0, n)),
      words: spans(words),
      ...(name && !name.quoted && (name.value === '[' || name.value === '[[') ? { test: true } : {}),
    });
  }
  return { commands, problems };
}

/** The top-level simple command holding word `w` (a `bash -c` whose script we parsed). */
function outerCommand(tokens: Token[], w: Word): RawCommand {
  let from = tokens.indexOf(w);
  let to = from;
  while (from > 0 && !isControl(tokens[from - 1])) from--;
  while (to + 1 < tokens.length && !isControl(tokens[to + 1])) to++;
  const raw = wordsOf(tokens.slice(from, to + 1));
  while (raw[0] !== w && !raw[0]!.quoted && LEADING.has(raw[0]!.value)) raw.shift();
  let n = 0;
  while (n < raw.length && ASSIGNMENT.test(raw[n]!.value)) n++;
  return { start: raw[0]!.start, assignments: spans(raw.slice(0, n)), words: spans(raw.slice(n)) };
}

// ---------------------------------------------------------------------------------------------
// Comparison

const sameSpans = (x: Span[], y: Span[]) =>
  x.length === y.length && x.every((s, k) => s.start === y[k]!.start && s.end === y[k]!.end);

const same = (a: RawCommand, b: RawCommand): boolean =>
  sameSpans(a.assignments, b.assignments) && sameSpans(a.words, b.words);

interface Diff {
  ours?: RawCommand;
  theirs?: RawCommand;
}

interface LineResult {
  line: string;
  file: string;
  compared: number;
  agreed: number;
  diffs: Diff[];
  error: boolean;
  fired: Set<DivergenceId>;
  problems: string[];
}

function compareLine(parser: Parser, line: string, file: string, compensate: boolean): LineResult {
  const theirs = treeSitterCommands(parser, line, compensate);
  const ours = ourCommands(line);
  const starts = [...new Set([...theirs.commands, ...ours.commands].map((c) => c.start))].sort(
    (a, b) => a - b,
  );
  const diffs: Diff[] = [];
  let agreed = 0;
  for (const s of starts) {
    const o = ours.commands.find((c) => c.start === s);
    const t = theirs.commands.find((c) => c.start === s);
    if (o && t && same(o, t)) agreed++;
    else diffs.push({ ...(o ? { ours: o } : {}), ...(t ? { theirs: t } : {}) });
  }
  return {
    line,
    file,
    compared: starts.length,
    agreed,
    diffs,
    error: theirs.error,
    fired: theirs.fired,
    problems: ours.problems,
  };
}

const show = (line: string, c: RawCommand | undefined) =>
  c === undefined
    ? '(no command)'
    : [
        ...c.assignments.map((s) => `${line.slice(s.start, s.end)} [${s.start},${s.end})`),
        ...c.words.map((s) => `${JSON.stringify(line.slice(s.start, s.end))} [${s.start},${s.end})`),
      ].join(' ');

const describeLine = (r: LineResult) =>
  [
    `${r.file}: ${JSON.stringify(r.line)}`,
    ...r.problems.map((p) => `  ours is inconsistent: ${p}`),
    ...r.diffs.map((d) => `  ours:        ${show(r.line, d.ours)}\n  tree-sitter: ${show(r.line, d.theirs)}`),
  ].join('\n');

/** `bash -n` on the line: false when bash reports a syntax error, null when bash is not there. */
function bashAccepts(line: string): boolean | null {
  const r = spawnSync('bash', ['-n'], { input: line, encoding: 'utf8' });
  if (r.error) return null;
  return r.status === 0;
}

// ---------------------------------------------------------------------------------------------

const require = createRequire(import.meta.url);
let parser: Parser;

before(async () => {
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
  parser = new Parser();
  parser.setLanguage(language);
});

describe('tree-sitter-bash differential', () => {
  test('the grammar is the one we pinned, and ABI-compatible', () => {
    const pinned = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies as Record<
      string,
      string
    >;
    for (const name of ['web-tree-sitter', 'tree-sitter-bash']) {
      // web-tree-sitter's exports do not include its package.json
      const manifest = join(ROOT, 'node_modules', name, 'package.json');
      const installed = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
      assert.equal(
        installed,
        pinned[name],
        `${name}: installed ${installed}, package.json pins ${pinned[name]}`,
      );
    }
    const tree = parser.parse('pip install x');
    assert.equal(
      tree?.rootNode.toString(),
      '(program (command name: (command_name (word)) argument: (word) argument: (word)))',
    );
    tree?.delete();
  });

  describe('each documented divergence is real and its compensation covers exactly it', () => {
    for (const [id, { example }] of Object.entries(DIVERGENCES)) {
      test(`${id}: ${JSON.stringify(example)}`, () => {
        const raw = compareLine(parser, example, 'example', false);
        const comp = compareLine(parser, example, 'example', true);
        assert.notEqual(raw.diffs.length, 0, `without compensation the sides agree:\n${describeLine(raw)}`);
        assert.deepEqual(comp.diffs, [], describeLine(comp));
        assert.ok(comp.fired.has(id as DivergenceId), `${id} did not fire`);
        assert.deepEqual(comp.problems, []);
      });
    }
  });

  test('corpus and fixtures: command names and word boundaries agree, or differ as documented', (t) => {
    const started = performance.now();
    const { lines, files } = scriptLines();
    assert.ok(lines.size > 0, 'no script lines found');
    if (!existsSync(CORPUS)) t.diagnostic(`no corpus at ${CORPUS}: fixtures and rule cases only`);
    const raw = [...lines].map(([line, file]) => compareLine(parser, line, file, false));
    const comp = [...lines].map(([line, file]) => compareLine(parser, line, file, true));
    const sum = (rs: LineResult[], f: (r: LineResult) => number) => rs.reduce((a, r) => a + f(r), 0);
    const agreeing = (rs: LineResult[]) => rs.filter((r) => r.diffs.length === 0).length;
    const pct = (a: number, b: number) => `${a}/${b} (${((100 * a) / b).toFixed(1)}%)`;

    // attribute what the compensations fixed
    const byDivergence = new Map<string, number>();
    comp.forEach((r, k) => {
      if (raw[k]!.diffs.length === 0 || r.diffs.length > 0) return;
      for (const id of r.fired) byDivergence.set(id, (byDivergence.get(id) ?? 0) + 1);
    });

    const unexplained: string[] = [];
    const justifiedLines: LineResult[] = [];
    let noBash = false;
    const byTodo = new Map<string, LineResult[]>();
    for (const r of comp) {
      assert.deepEqual(r.problems, [], describeLine(r));
      if (r.diffs.length === 0) continue;
      // a bug of ours: the line agrees once the constructs we get wrong are rewritten
      let rewritten = r.line;
      const bugs = TODO.filter((bug) => {
        const next = bug.rewrite(rewritten);
        const changed = next !== rewritten;
        rewritten = next;
        return changed;
      });
      if (bugs.length > 0 && compareLine(parser, rewritten, r.file, true).diffs.length === 0) {
        for (const bug of bugs) byTodo.set(bug.id, [...(byTodo.get(bug.id) ?? []), r]);
        continue;
      }
      // invalid shell: tree-sitter says so, and bash agrees (without bash, tree-sitter's word is taken)
      const bash = r.error ? bashAccepts(r.line) : true;
      if (bash === null) noBash = true;
      if (r.error && bash !== true) {
        justifiedLines.push(r);
        continue;
      }
      unexplained.push(describeLine(r));
    }

    t.diagnostic(`${files} files, ${lines.size} unique script lines (POSIX shells)`);
    t.diagnostic(
      `exact agreement (no compensation): lines ${pct(agreeing(raw), raw.length)}, commands ${pct(
        sum(raw, (r) => r.agreed),
        sum(raw, (r) => r.compared),
      )}`,
    );
    t.diagnostic(
      `after documented divergences: lines ${pct(agreeing(comp), comp.length)}, commands ${pct(
        sum(comp, (r) => r.agreed),
        sum(comp, (r) => r.compared),
      )}`,
    );
    for (const [id, n] of byDivergence) t.diagnostic(`  compensated ${id}: ${n} line(s)`);
    if (justifiedLines.length > 0)
      t.diagnostic(
        `  justified invalid-shell: ${justifiedLines.length} line(s) (${JUSTIFIED['invalid-shell'].reason})`,
      );
    for (const [id, rs] of byTodo) t.diagnostic(`  TODO (our bug) ${id}: ${rs.length} line(s)`);
    for (const r of justifiedLines)
      t.diagnostic(`  invalid shell: ${r.file}: ${JSON.stringify(r.line.slice(0, 60))}`);
    if (noBash) t.diagnostic('  bash not found: invalid shell judged by tree-sitter alone');
    t.diagnostic(`${Math.round(performance.now() - started)} ms`);
    if (process.env.TREE_SITTER_DIFF_VERBOSE)
      raw.forEach((r, k) => {
        if (r.diffs.length > 0)
          console.log(`${describeLine(r)}\n  compensated: ${[...comp[k]!.fired].join(', ')}\n`);
      });
    assert.deepEqual(unexplained, [], `unexplained differences:\n${unexplained.join('\n\n')}`);
  });

  describe('bugs this differential found, fixed: the examples agree', () => {
    for (const bug of FIXED) {
      test(`${bug.id}: ${JSON.stringify(bug.example)}`, () => {
        const r = compareLine(parser, bug.example, 'example', true);
        assert.deepEqual(r.diffs, [], describeLine(r));
      });
    }
    for (const bug of TODO) {
      test(`${bug.id}: the example differs only by this bug`, () => {
        assert.notEqual(bug.rewrite(bug.example), bug.example);
        const r = compareLine(parser, bug.rewrite(bug.example), 'example', true);
        assert.deepEqual(r.diffs, [], describeLine(r));
      });
      test(`${bug.id}: ${JSON.stringify(bug.example)}`, { todo: bug.reason }, () => {
        const r = compareLine(parser, bug.example, 'example', true);
        assert.deepEqual(r.diffs, [], describeLine(r));
      });
    }
  });
});
