/**
 * The shell tokenizer: table tests (every word with its [start, end) and its value after quote
 * removal, every operator, every here-document) and property tests with fast-check (never throws,
 * offsets always consistent, quoting round-trips).
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell text, where ${…} is literal
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseCommands, SHELLS } from '../src/shell/commands.ts';
import {
  isRedirect,
  readAnyWord,
  readWord,
  skipExpansion,
  type Token,
  textIndex,
  tokenize,
  type Word,
} from '../src/shell/tokenize.ts';

/** A token as the tables write it: `['w', value, start, end]` or `['op', op, start, end]`. */
type Row = ['w' | 'op', string, number, number];

const summary = (text: string): Row[] =>
  tokenize(text).map((t) =>
    t.kind === 'word' ? ['w', t.value, t.start, t.end] : ['op', t.op, t.start, t.end],
  );

const words = (text: string): Word[] => tokenize(text).filter((t): t is Word => t.kind === 'word');

const TABLE: [string, Row[]][] = [
  // plain words, blanks and tabs
  [
    'pip install x',
    [
      ['w', 'pip', 0, 3],
      ['w', 'install', 4, 11],
      ['w', 'x', 12, 13],
    ],
  ],
  [
    '  a \t b  ',
    [
      ['w', 'a', 2, 3],
      ['w', 'b', 6, 7],
    ],
  ],
  ['', []],
  ['   \t ', []],
  // single quotes: everything literal, spaces included
  [
    "echo 'a b' c",
    [
      ['w', 'echo', 0, 4],
      ['w', 'a b', 5, 10],
      ['w', 'c', 11, 12],
    ],
  ],
  ["'$x \\n \"'", [['w', '$x \\n "', 0, 9]]],
  ["''", [['w', '', 0, 2]]],
  // double quotes: only \" \\ \$ \` (and \newline) are escapes; other backslashes stay
  ['"a\\"b\\\\c\\$d\\e"', [['w', 'a"b\\c$d\\e', 0, 14]]],
  ['"a b"c', [['w', 'a bc', 0, 6]]],
  // backslash outside quotes escapes the next character
  [
    'a\\ b c',
    [
      ['w', 'a b', 0, 4],
      ['w', 'c', 5, 6],
    ],
  ],
  ['\\$HOME', [['w', '$HOME', 0, 6]]],
  // concatenated quoting styles make one word
  [`pre'x y'"z"post`, [['w', 'prex yzpost', 0, 15]]],
  // $'…' (ANSI-C quoting)
  ["$'a\\tb\\x41\\'c'", [['w', "a\tbA'c", 0, 14]]],
  ["$'\\101\\e'", [['w', 'A\x1b', 0, 9]]],
  ["$'\\u00e9'", [['w', 'é', 0, 9]]],
  // $( … ) kept verbatim, nested, with quotes and parentheses inside quotes
  [
    'echo $(echo "$(echo ")")") z',
    [
      ['w', 'echo', 0, 4],
      ['w', '$(echo "$(echo ")")")', 5, 26],
      ['w', 'z', 27, 28],
    ],
  ],
  [
    "echo $(echo ')' ) z",
    [
      ['w', 'echo', 0, 4],
      ['w', "$(echo ')' )", 5, 17],
      ['w', 'z', 18, 19],
    ],
  ],
  ['"$(echo "a b")"', [['w', '$(echo "a b")', 0, 15]]],
  ['v=$(pip freeze | grep x)', [['w', 'v=$(pip freeze | grep x)', 0, 24]]],
  // backticks, with escaped backticks inside
  [
    'echo `a \\`b\\` c` d',
    [
      ['w', 'echo', 0, 4],
      ['w', '`a \\`b\\` c`', 5, 16],
      ['w', 'd', 17, 18],
    ],
  ],
  // ${ … } and $(( … ))
  ['${x:-a b}', [['w', '${x:-a b}', 0, 9]]],
  [
    'x=$(( (1 + 2) * 3 )) y',
    [
      ['w', 'x=$(( (1 + 2) * 3 ))', 0, 20],
      ['w', 'y', 21, 22],
    ],
  ],
  [
    'echo $# ${#x} $@ $1',
    [
      ['w', 'echo', 0, 4],
      ['w', '$#', 5, 7],
      ['w', '${#x}', 8, 13],
      ['w', '$@', 14, 16],
      ['w', '$1', 17, 19],
    ],
  ],
  // CI template expressions are opaque, spaces included, inside or outside quotes
  [
    'pip install ${{ matrix.python-version }}x',
    [
      ['w', 'pip', 0, 3],
      ['w', 'install', 4, 11],
      ['w', '${{ matrix.python-version }}x', 12, 41],
    ],
  ],
  [
    'pip install $[[ inputs.packages ]] y',
    [
      ['w', 'pip', 0, 3],
      ['w', 'install', 4, 11],
      ['w', '$[[ inputs.packages ]]', 12, 34],
      ['w', 'y', 35, 36],
    ],
  ],
  ['"${{ matrix.a }} b"', [['w', '${{ matrix.a }} b', 0, 19]]],
  [
    '${{ a || b }};c',
    [
      ['w', '${{ a || b }}', 0, 13],
      ['op', ';', 13, 14],
      ['w', 'c', 14, 15],
    ],
  ],
  // redirections; digits right before one are its file descriptor
  [
    'cmd 2>&1 >out >>log <<<here',
    [
      ['w', 'cmd', 0, 3],
      ['op', '>&', 4, 7],
      ['w', '1', 7, 8],
      ['op', '>', 9, 10],
      ['w', 'out', 10, 13],
      ['op', '>>', 14, 16],
      ['w', 'log', 16, 19],
      ['op', '<<<', 20, 23],
      ['w', 'here', 23, 27],
    ],
  ],
  [
    'a2>f &>g',
    [
      ['w', 'a2', 0, 2],
      ['op', '>', 2, 3],
      ['w', 'f', 3, 4],
      ['op', '&>', 5, 7],
      ['w', 'g', 7, 8],
    ],
  ],
  [
    '"2">f',
    [
      ['w', '2', 0, 3],
      ['op', '>', 3, 4],
      ['w', 'f', 4, 5],
    ],
  ],
  // control operators
  [
    'a&&b||c|d;e&f|&g',
    [
      ['w', 'a', 0, 1],
      ['op', '&&', 1, 3],
      ['w', 'b', 3, 4],
      ['op', '||', 4, 6],
      ['w', 'c', 6, 7],
      ['op', '|', 7, 8],
      ['w', 'd', 8, 9],
      ['op', ';', 9, 10],
      ['w', 'e', 10, 11],
      ['op', '&', 11, 12],
      ['w', 'f', 12, 13],
      ['op', '|&', 13, 15],
      ['w', 'g', 15, 16],
    ],
  ],
  [
    '(a);;b',
    [
      ['op', '(', 0, 1],
      ['w', 'a', 1, 2],
      ['op', ')', 2, 3],
      ['op', ';;', 3, 5],
      ['w', 'b', 5, 6],
    ],
  ],
  // comments: `#` starts one only at the start of a word
  ['a#b #c', [['w', 'a#b', 0, 3]]],
  [
    'a;#b c',
    [
      ['w', 'a', 0, 1],
      ['op', ';', 1, 2],
    ],
  ],
  [
    'echo x # pip install y\nls',
    [
      ['w', 'echo', 0, 4],
      ['w', 'x', 5, 6],
      ['op', '\n', 22, 23],
      ['w', 'ls', 23, 25],
    ],
  ],
  [
    `echo '#' "#" \\#`,
    [
      ['w', 'echo', 0, 4],
      ['w', '#', 5, 8],
      ['w', '#', 9, 12],
      ['w', '#', 13, 15],
    ],
  ],
  // a comment is not continued by a trailing backslash
  [
    '# a \\\nls',
    [
      ['op', '\n', 5, 6],
      ['w', 'ls', 6, 8],
    ],
  ],
  // line continuation joins, between words and inside one
  [
    'pip \\\n  install x',
    [
      ['w', 'pip', 0, 3],
      ['w', 'install', 8, 15],
      ['w', 'x', 16, 17],
    ],
  ],
  ['ins\\\ntall', [['w', 'install', 0, 9]]],
  ['"a\\\nb"', [['w', 'ab', 0, 6]]],
  ["'a\\\nb'", [['w', 'a\\\nb', 0, 6]]],
  // CRLF line ends
  [
    'a b\r\nc',
    [
      ['w', 'a', 0, 1],
      ['w', 'b', 2, 3],
      ['op', '\n', 4, 5],
      ['w', 'c', 5, 6],
    ],
  ],
  [
    'a \\\r\nb',
    [
      ['w', 'a', 0, 1],
      ['w', 'b', 5, 6],
    ],
  ],
  ['a\\\r\nb', [['w', 'ab', 0, 5]]],
  ['"a\\\r\nb"', [['w', 'ab', 0, 7]]],
  // bash array assignments are one word (their elements are not a command)
  [
    'a=(pip install x) y',
    [
      ['w', 'a=(pip install x)', 0, 17],
      ['w', 'y', 18, 19],
    ],
  ],
  ['arr+=("a b" c)', [['w', 'arr+=("a b" c)', 0, 14]]],
  // unterminated constructs run to the end of the input
  [
    "echo 'abc",
    [
      ['w', 'echo', 0, 4],
      ['w', 'abc', 5, 9],
    ],
  ],
  [
    'echo "abc',
    [
      ['w', 'echo', 0, 4],
      ['w', 'abc', 5, 9],
    ],
  ],
  [
    'echo $(abc "x',
    [
      ['w', 'echo', 0, 4],
      ['w', '$(abc "x', 5, 13],
    ],
  ],
  [
    'echo ${x',
    [
      ['w', 'echo', 0, 4],
      ['w', '${x', 5, 8],
    ],
  ],
  [
    'echo `x',
    [
      ['w', 'echo', 0, 4],
      ['w', '`x', 5, 7],
    ],
  ],
  [
    "echo $'x",
    [
      ['w', 'echo', 0, 4],
      ['w', 'x', 5, 8],
    ],
  ],
  [
    'echo ${{ x',
    [
      ['w', 'echo', 0, 4],
      ['w', '${{ x', 5, 10],
    ],
  ],
  // a trailing backslash has nothing to escape: it stays, and the word ends at the end of the text
  ['a\\', [['w', 'a\\', 0, 2]]],
  ['"a\\', [['w', 'a\\', 0, 3]]],
];

describe('tokenize: words, values and offsets', () => {
  for (const [text, expected] of TABLE) {
    test(JSON.stringify(text), () => {
      assert.deepEqual(summary(text), expected);
    });
  }
});

describe('tokenize: word flags', () => {
  const flags = (text: string) => words(text).map((w) => ({ v: w.value, q: w.quoted, d: w.dynamic }));
  test('quoted is set by any quoting or escape, dynamic by an expansion outside single quotes', () => {
    assert.deepEqual(flags(`a 'b' "c" \\d $e "$f" '$g' $'h' \${{ i }} $[[ j ]] $(k) \`l\` $`), [
      { v: 'a', q: false, d: false },
      { v: 'b', q: true, d: false },
      { v: 'c', q: true, d: false },
      { v: 'd', q: true, d: false },
      { v: '$e', q: false, d: true },
      { v: '$f', q: true, d: true },
      { v: '$g', q: true, d: false },
      { v: 'h', q: true, d: false },
      { v: '${{ i }}', q: false, d: true },
      { v: '$[[ j ]]', q: false, d: true },
      { v: '$(k)', q: false, d: true },
      { v: '`l`', q: false, d: true },
      { v: '$', q: false, d: false },
    ]);
  });
  test('a line continuation does not make a word quoted', () => {
    assert.deepEqual(flags('ins\\\ntall'), [{ v: 'install', q: false, d: false }]);
  });
});

describe('tokenize: valueMap', () => {
  test('maps each value character to its source character', () => {
    const [w] = words(`a'b c'\\d"e"`);
    assert.equal(w!.value, 'ab cde');
    assert.deepEqual(w!.valueMap, [0, 2, 3, 4, 7, 9, 11]);
  });
  test('skips a line continuation', () => {
    const [w] = words('ab\\\ncd');
    assert.deepEqual(w!.valueMap, [0, 1, 4, 5, 6]);
  });
  test('a word written as its value has no map; textIndex counts from its start', () => {
    const [plain, quoted, v] = words('echo "$HOME"/x $(pwd)/y');
    assert.equal(plain!.valueMap, undefined);
    assert.deepEqual(quoted!.valueMap, [6, 7, 8, 9, 10, 12, 13, 14]);
    assert.equal(v!.value, '$(pwd)/y');
    assert.equal(v!.valueMap, undefined);
    assert.equal(textIndex(v!, 0), v!.start);
    assert.equal(textIndex(v!, v!.value.length), v!.end);
  });
  test('an ANSI-C escape maps to its backslash', () => {
    const [w] = words("$'a\\nb'");
    assert.equal(w!.value, 'a\nb');
    assert.deepEqual(w!.valueMap, [2, 3, 5, 7]);
  });
});

describe('tokenize: here-documents', () => {
  const heredocs = (text: string) =>
    tokenize(text).flatMap((t) => (t.kind === 'op' && t.heredoc ? [{ op: t.op, ...t.heredoc }] : []));

  test('<<EOF: the body is data, not words', () => {
    const text = 'cat <<EOF\npip install x\nEOF\nls';
    assert.deepEqual(summary(text), [
      ['w', 'cat', 0, 3],
      ['op', '<<', 4, 6],
      ['w', 'EOF', 6, 9],
      ['op', '\n', 9, 10],
      ['w', 'ls', 28, 30],
    ]);
    assert.deepEqual(heredocs(text), [
      { op: '<<', delimiter: 'EOF', expands: true, body: 'pip install x\n', start: 10, end: 24 },
    ]);
  });
  test('<<-EOF: leading tabs are stripped when matching the delimiter', () => {
    const text = 'cat <<-EOF\n\tpip install x\n\tEOF\nls';
    assert.deepEqual(heredocs(text), [
      { op: '<<-', delimiter: 'EOF', expands: true, body: '\tpip install x\n', start: 11, end: 26 },
    ]);
    assert.deepEqual(
      words(text).map((w) => w.value),
      ['cat', 'EOF', 'ls'],
    );
  });
  test('<<EOF does not strip tabs: an indented delimiter does not end the body', () => {
    const text = 'cat <<EOF\n\tEOF\nEOF\nls';
    assert.deepEqual(
      heredocs(text).map((h) => h.body),
      ['\tEOF\n'],
    );
    assert.deepEqual(
      words(text).map((w) => w.value),
      ['cat', 'EOF', 'ls'],
    );
  });
  for (const [spelling, delimiter] of [
    ["'EOF'", 'EOF'],
    ['"EOF"', 'EOF'],
    ['\\EOF', 'EOF'],
    ["E'O'F", 'EOF'],
    ["'E O'", 'E O'],
  ] as const) {
    test(`quoted delimiter ${spelling}: expands=false`, () => {
      const text = `cat <<${spelling}\n$x\n${delimiter}\nls`;
      const [h] = heredocs(text);
      assert.equal(h!.delimiter, delimiter);
      assert.equal(h!.expands, false);
      assert.equal(h!.body, '$x\n');
      assert.deepEqual(words(text).at(-1)!.value, 'ls');
    });
  }
  test('two here-documents on one line, read in order', () => {
    const text = 'cat <<A <<B\na\nA\nb\nB\necho';
    assert.deepEqual(
      heredocs(text).map((h) => [h.delimiter, h.body]),
      [
        ['A', 'a\n'],
        ['B', 'b\n'],
      ],
    );
    assert.deepEqual(
      words(text).map((w) => w.value),
      ['cat', 'A', 'B', 'echo'],
    );
  });
  test('the rest of the line after <<EOF is still tokenized', () => {
    const text = 'cat <<EOF | sh; echo hi\npip install x\nEOF\n';
    assert.deepEqual(
      words(text).map((w) => w.value),
      ['cat', 'EOF', 'sh', 'echo', 'hi'],
    );
  });
  test('a comment after <<EOF does not hide the body', () => {
    const text = 'cat <<EOF # note\npip install x\nEOF\nls';
    assert.equal(heredocs(text)[0]!.body, 'pip install x\n');
    assert.deepEqual(
      words(text).map((w) => w.value),
      ['cat', 'EOF', 'ls'],
    );
  });
  test('CRLF: the delimiter line matches with its \\r', () => {
    const text = 'cat <<EOF\r\npip install x\r\nEOF\r\nls';
    const [h] = heredocs(text);
    assert.equal(h!.body, 'pip install x\r\n');
    assert.deepEqual(
      words(text).map((w) => w.value),
      ['cat', 'EOF', 'ls'],
    );
  });
  test('unterminated: the body runs to the end', () => {
    const text = 'cat <<EOF\npip install x\nls';
    assert.equal(heredocs(text)[0]!.body, 'pip install x\nls');
    assert.deepEqual(
      words(text).map((w) => w.value),
      ['cat', 'EOF'],
    );
  });
  test('<<< is a here-string, not a here-document', () => {
    const text = 'cat <<<EOF\npip install x';
    assert.deepEqual(heredocs(text), []);
    assert.deepEqual(
      words(text).map((w) => w.value),
      ['cat', 'EOF', 'pip', 'install', 'x'],
    );
  });
});

describe('tokenize: helpers', () => {
  test('isRedirect', () => {
    const ops = tokenize('a >b <c 2>&1 | d && e <<<f').filter((t) => t.kind === 'op');
    assert.deepEqual(
      ops.map((t) => [(t as { op: string }).op, isRedirect(t)]),
      [
        ['>', true],
        ['<', true],
        ['>&', true],
        ['|', false],
        ['&&', false],
        ['<<<', true],
      ],
    );
    assert.equal(isRedirect(undefined), false);
  });
  test('readWord reads one word from an offset', () => {
    const w = readWord('x "a b"c y', 2);
    assert.equal(w.value, 'a bc');
    assert.deepEqual([w.start, w.end], [2, 8]);
  });
  test('skipExpansion', () => {
    const cases: [string, number][] = [
      ['$HOME/x', 5],
      ['$1x', 2],
      ['${a}b', 4],
      ['$(a (b) c)d', 10],
      ['$((1+(2)))d', 10],
      ['${{ a }}}', 8],
      ['$[[ a ]]]', 8],
      ['`a`b', 3],
      ['$', 1],
      ['$ x', 1],
      ['$(', 2],
    ];
    for (const [text, end] of cases) assert.equal(skipExpansion(text, 0), end, text);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests

/** Fragments that stress the tokenizer's state machine. */
const FRAGMENTS = [
  'pip',
  'install',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  "'",
  '"',
  '\\',
  '\\\n',
  '\\\r\n',
  '$',
  '$(',
  '$((',
  ')',
  '(',
  '${',
  '{',
  '}',
  '`',
  "$'",
  '\\x4',
  '\\u00e',
  '\\1',
  '<<EOF',
  '<<-EOF',
  "<<'EOF'",
  'EOF',
  '\tEOF',
  '<<<',
  '#',
  ';',
  ';;',
  '&&',
  '||',
  '|',
  '&',
  '2>&1',
  '>',
  '<',
  '${{ a }}',
  '${{',
  '}}',
  '$[[ b ]]',
  '$[[',
  ']]',
  'a=(',
  'x=1',
  'sudo',
  '-E',
  'bash',
  '-c',
  'env',
  'python3',
  '-m',
  'case',
  'in',
  'esac',
  'if',
  'then',
  'fi',
  'for',
  'do',
  'done',
  'function',
  '.venv/bin/activate',
];
const shellish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((a) => a.join(''));
const anyString = fc.string({ unit: 'binary', maxLength: 80 });
const asciiString = fc.string({
  unit: fc.constantFrom(...' \t\n\r\'"\\$`(){}[]<>|&;#=-ab01'),
  maxLength: 60,
});

const RUNS = { random: 3000, shellish: 3000, ascii: 3000, roundTrip: 1000 };

/** Checks every invariant a token stream must satisfy; throws with a message on violation. */
function checkInvariants(text: string, tokens: Token[]): void {
  let prevEnd = 0;
  const bodies: [number, number][] = [];
  for (const t of tokens) {
    assert.ok(t.start >= prevEnd, `tokens overlap or go backwards at ${t.start}`);
    assert.ok(t.start < t.end, `empty token at ${t.start}`);
    assert.ok(t.end <= text.length, `token ends past the text (${t.end} > ${text.length})`);
    prevEnd = t.end;
    if (t.kind === 'op') {
      if (t.heredoc) {
        const h = t.heredoc;
        assert.ok(h.start <= h.end && h.end <= text.length, 'heredoc body out of range');
        assert.equal(text.slice(h.start, h.end), h.body);
        bodies.push([h.start, h.end]);
      }
      continue;
    }
    const { value, start, end } = t;
    // a word without a map must be its text as written
    if (!t.valueMap) assert.equal(value, text.slice(start, end), 'a word without valueMap is its text');
    const valueMap = Array.from({ length: value.length + 1 }, (_, k) => textIndex(t, k));
    if (t.valueMap) assert.equal(t.valueMap.length, value.length + 1, 'valueMap length');
    assert.equal(valueMap[valueMap.length - 1], end, 'valueMap ends at the word end');
    let prev = start;
    for (let i = 0; i < valueMap.length; i++) {
      const m = valueMap[i]!;
      assert.ok(m >= prev && m <= end, `valueMap not non-decreasing within [start,end] at ${i}`);
      prev = m;
      if (i < value.length && value[i] !== text[m]) {
        // only an ANSI-C escape produces a character that differs from its source (mapped to the `\`)
        assert.equal(text[m], '\\', `value[${i}] ${JSON.stringify(value[i])} vs text[${m}]`);
        assert.ok(text.slice(start, end).includes("$'"), `escape-produced char outside $'…'`);
      }
    }
    const slice = text.slice(start, end);
    if (!t.quoted && !/\\\r?\n/.test(slice))
      assert.equal(value, slice, 'plain word slices back to its value');
  }
  // here-document bodies never become tokens
  for (const t of tokens)
    for (const [s, e] of bodies)
      assert.ok(t.end <= s || t.start >= e, `token inside a heredoc body at ${t.start}`);
}

function checkCommands(text: string): void {
  const tokens = tokenize(text);
  const bodies = tokens.flatMap((t) => (t.kind === 'op' && t.heredoc ? [t.heredoc] : []));
  for (const c of parseCommands(text)) {
    assert.ok(c.start >= 0 && c.start < c.end && c.end <= text.length, `command span ${c.start}-${c.end}`);
    assert.ok(c.statementStart <= c.start, 'statementStart after start');
    assert.ok(c.envInsertAt >= c.start && c.envInsertAt <= c.end, 'envInsertAt outside the command');
    // a here-document is data, unless a shell reads it as its script (`bash <<EOF`)
    if (!c.wrappers.some((w) => SHELLS.has(w)))
      for (const h of bodies)
        assert.ok(c.end <= h.start || c.start >= h.end, 'a command inside a heredoc body');
    for (const w of c.argv) {
      const s = c.toRoot(w.start);
      assert.ok(s >= c.start && s < c.end, 'argv word outside its command');
    }
  }
}

describe('tokenize: properties', () => {
  test(`random strings never throw and keep every invariant (${RUNS.random} runs)`, () => {
    fc.assert(
      fc.property(anyString, (text) => {
        checkInvariants(text, tokenize(text));
      }),
      { numRuns: RUNS.random },
    );
  });
  test(`shell-ish strings keep every invariant (${RUNS.shellish} runs)`, () => {
    fc.assert(
      fc.property(shellish, (text) => {
        checkInvariants(text, tokenize(text));
      }),
      { numRuns: RUNS.shellish },
    );
  });
  test(`strings over shell metacharacters keep every invariant (${RUNS.ascii} runs)`, () => {
    fc.assert(
      fc.property(asciiString, (text) => {
        checkInvariants(text, tokenize(text));
      }),
      { numRuns: RUNS.ascii },
    );
  });
  test(`a plain word read with one slice is the word read character by character (${RUNS.shellish} + ${RUNS.ascii} runs)`, () => {
    const same = (text: string) => {
      // every position a word may start at, in and out of `[[ … ]]`
      for (let i = 0; i < text.length; i++) {
        if (/[\s;&|()<>#]/.test(text[i]!)) continue;
        for (const insideTest of [false, true])
          assert.deepEqual(
            readWord(text, i, insideTest),
            readAnyWord(text, i, insideTest),
            `${JSON.stringify(text)} at ${i}`,
          );
      }
    };
    fc.assert(fc.property(shellish, same), { numRuns: RUNS.shellish });
    fc.assert(fc.property(asciiString, same), { numRuns: RUNS.ascii });
  });
  test(`parseCommands never throws and its spans stay in the text (${RUNS.shellish} + ${RUNS.ascii} runs)`, () => {
    fc.assert(fc.property(shellish, checkCommands), { numRuns: RUNS.shellish });
    fc.assert(fc.property(asciiString, checkCommands), { numRuns: RUNS.ascii });
  });

  /** Quote an arbitrary value the way a script author might; the tokenizer must give it back. */
  const quoteStyles = {
    single: (v: string) => `'${v.replace(/'/g, `'\\''`)}'`,
    double: (v: string) => `"${v.replace(/["$`\\]/g, (c) => `\\${c}`)}"`,
    backslash: (v: string) => v.replace(/[^A-Za-z0-9_./=-]/g, (c) => (c === '\n' ? `'\n'` : `\\${c}`)),
    ansiC: (v: string) =>
      `$'${v.replace(/[\\'\n\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\t': '\\t' })[c]!)}'`,
  };
  const valueArb = fc.string({
    unit: fc.constantFrom(...'ab -_./=\'"\\$`(){}|&;<>#*?!~\n\t'),
    maxLength: 12,
  });
  test(`quoting round-trips: any value, any quoting style, any separators (${RUNS.roundTrip} runs)`, () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(valueArb, fc.constantFrom(...(Object.keys(quoteStyles) as (keyof typeof quoteStyles)[]))),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom(' ', '\t', ' \\\n ', '  '),
        (items, sep) => {
          const parts = items.map(([v, style]) => quoteStyles[style](v));
          const text = parts.join(sep);
          const got = words(text);
          // an empty unquoted backslash-style value produces no word at all
          const expected = items.filter(([v, style]) => !(v === '' && style === 'backslash')).map(([v]) => v);
          assert.deepEqual(
            got.map((w) => w.value),
            expected,
          );
          checkInvariants(text, tokenize(text));
        },
      ),
      { numRuns: RUNS.roundTrip },
    );
  });
  test(`plain words with blanks and continuations: offsets slice back to each word (${RUNS.roundTrip} runs)`, () => {
    const plain = fc.string({ unit: fc.constantFrom(...'abcxyz0189._/=+-:@%,'), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(plain, fc.constantFrom(' ', '\t', ' \\\n', '\\\n ', ' \\\r\n ')), { maxLength: 8 }),
        (items) => {
          // a word starting with a digit before `>`/`<` would be a redirection; none here
          const text = items.map(([w, sep]) => w + sep).join('');
          const got = words(text);
          assert.deepEqual(
            got.map((w) => w.value),
            items.map(([w]) => w),
          );
          for (const w of got) assert.equal(text.slice(w.start, w.end), w.value);
        },
      ),
      { numRuns: RUNS.roundTrip },
    );
  });
});
