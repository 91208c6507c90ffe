/**
 * From a script to simple commands: splitting, shell keywords, `NAME=value` prefixes, wrappers
 * (`env`, `sudo`, `timeout`, …), `sh -c` strings mapped back to the original text, and the offsets
 * that fixes rely on (`start`/`end`, `statementStart`, `envInsertAt`).
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell text, where ${…} is literal
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type Command, parseCommands } from '../src/shell/commands.ts';

const argvOf = (c: Command) => c.argv.map((w) => w.value);
const all = (text: string) => parseCommands(text).map(argvOf);
/** The one command whose argv[0] is `name` (fails if there is not exactly one). */
function only(text: string, name = 'pip'): Command {
  const found = parseCommands(text).filter((c) => c.argv[0]?.value === name);
  assert.equal(
    found.length,
    1,
    `expected one ${name} command in ${JSON.stringify(text)}, got ${found.length}`,
  );
  return found[0]!;
}
const slice = (text: string, c: Command) => text.slice(c.start, c.end);

describe('parseCommands: splitting', () => {
  const TABLE: [string, string[][]][] = [
    ['a; b && c || d | e & f', [['a'], ['b'], ['c'], ['d'], ['e'], ['f']]],
    ['a\nb\r\nc', [['a'], ['b'], ['c']]],
    ['a;;', [['a']]],
    ['(a; b) && (c)', [['a'], ['b'], ['c']]],
    ['a |& b', [['a'], ['b']]],
    ['a |\n  b', [['a'], ['b']]],
    ['a &&\n\n  b', [['a'], ['b']]],
    ['a && # why\n  b', [['a'], ['b']]],
    ['a || \\\n  b', [['a'], ['b']]],
    ['pip install \\\n  -r req.txt \\\n  x', [['pip', 'install', '-r', 'req.txt', 'x']]],
    ['', []],
    ['# only a comment', []],
    [';\n&&', []],
  ];
  for (const [text, expected] of TABLE)
    test(JSON.stringify(text), () => assert.deepEqual(all(text), expected));
});

describe('parseCommands: shell keywords and compound commands', () => {
  const TABLE: [string, string[][]][] = [
    [
      'if [ -f x ]; then pip install x; elif true; then a; else b; fi',
      [['[', '-f', 'x', ']'], ['pip', 'install', 'x'], ['true'], ['a'], ['b']],
    ],
    [
      'if ! pip install x; then exit 1; fi',
      [
        ['pip', 'install', 'x'],
        ['exit', '1'],
      ],
    ],
    ['if true\nthen\n  pip install x\nfi', [['true'], ['pip', 'install', 'x']]],
    ['while true; do pip install x; done', [['true'], ['pip', 'install', 'x']]],
    ['until false; do a; done', [['false'], ['a']]],
    [
      'while read l; do\n  pip install "$l"\ndone < req.txt',
      [
        ['read', 'l'],
        ['pip', 'install', '$l'],
      ],
    ],
    ['for x in a b; do pip install $x; done', [['pip', 'install', '$x']]],
    ['for x in a b\ndo\n  pip install "$x"\ndone', [['pip', 'install', '$x']]],
    ['for x; do a; done', [['a']]],
    ['select x in a b; do echo $x; done', [['echo', '$x']]],
    ['case "$x" in a|b) pip install a ;; (c) b;; *) c ;; esac', [['pip', 'install', 'a'], ['b'], ['c']]],
    [
      'case $PY in\n  3.11|3.12)\n    pip install a\n    ;;\n  *)\n    pip install b\n    ;;\nesac\necho done',
      [
        ['pip', 'install', 'a'],
        ['pip', 'install', 'b'],
        ['echo', 'done'],
      ],
    ],
    [
      'case $x in a) pip install a;; esac; pip install b',
      [
        ['pip', 'install', 'a'],
        ['pip', 'install', 'b'],
      ],
    ],
    ['case $x in\n  a) pip install a\nesac', [['pip', 'install', 'a']]],
    ['if true; then case $x in a) pip install a;; esac; fi', [['true'], ['pip', 'install', 'a']]],
    ['{ pip install x; }', [['pip', 'install', 'x']]],
    ['{ a; b; } > log', [['a'], ['b']]],
    ['f() { pip install x; }', [['pip', 'install', 'x']]],
    ['f () {\n  pip install x\n}\nf', [['pip', 'install', 'x'], ['f']]],
    ['function f { pip install x; }', [['pip', 'install', 'x']]],
    ['function f() { pip install x; }', [['pip', 'install', 'x']]],
    ['function f\n{\n  pip install x\n}', [['pip', 'install', 'x']]],
    ['! pip install x', [['pip', 'install', 'x']]],
    // keywords as arguments, or quoted, are plain words
    ['echo if then fi done esac', [['echo', 'if', 'then', 'fi', 'done', 'esac']]],
    ['"if" x', [['if', 'x']]],
    // a bash array's elements are not a command
    ['a=(pip install x)', [[]]],
    ['PKGS=(a b); pip install "${PKGS[@]}"', [[], ['pip', 'install', '${PKGS[@]}']]],
  ];
  for (const [text, expected] of TABLE)
    test(JSON.stringify(text), () => assert.deepEqual(all(text), expected));
});

describe('parseCommands: text that is not a command', () => {
  for (const text of [
    'echo "pip install x"',
    "printf 'pip install %s\\n' x",
    'echo pip install x',
    '# pip install x',
    'ls # pip install x',
    'cat <<EOF\npip install x\nEOF',
    "cat <<'EOF' > script.sh\npip install x\nEOF\nchmod +x script.sh",
    'cat <<-EOF\n\tpip install x\n\tEOF',
    'git commit -m "pip install x"',
    'x="pip install y"',
  ]) {
    test(JSON.stringify(text), () => {
      for (const c of parseCommands(text)) assert.notEqual(c.argv[0]?.value, 'pip', argvOf(c).join(' '));
    });
  }
  test('docker run … pip install x runs docker', () => {
    assert.deepEqual(all('docker run --rm img pip install x'), [
      ['docker', 'run', '--rm', 'img', 'pip', 'install', 'x'],
    ]);
  });
  test('the command after a here-document is found, and carries its body', () => {
    const text = 'cat <<EOF > f\npip install x\nEOF\npip install y';
    assert.deepEqual(all(text), [['cat'], ['pip', 'install', 'y']]);
    const [cat] = parseCommands(text);
    assert.equal(cat!.redirects[0]!.op, '<<');
    assert.equal(cat!.redirects[0]!.heredoc?.body, 'pip install x\n');
    assert.equal(cat!.redirects[1]!.target?.value, 'f');
  });
});

describe('parseCommands: NAME=value prefixes', () => {
  const assigns = (c: Command) => c.assignments.map((a) => [a.name, a.value, a.dynamic]);
  test('prefixes are separated from argv', () => {
    const c = only('A=1 B="x y" C= pip install x');
    assert.deepEqual(assigns(c), [
      ['A', '1', false],
      ['B', 'x y', false],
      ['C', '', false],
    ]);
    assert.deepEqual(argvOf(c), ['pip', 'install', 'x']);
  });
  test('a dynamic value', () => {
    assert.deepEqual(assigns(only('A=$X pip')), [['A', '$X', true]]);
  });
  test('an assignment alone has an empty argv', () => {
    const [c] = parseCommands('PIP_BREAK_SYSTEM_PACKAGES=1');
    assert.deepEqual(argvOf(c!), []);
    assert.deepEqual(assigns(c!), [['PIP_BREAK_SYSTEM_PACKAGES', '1', false]]);
  });
  for (const text of ['"A"=1 pip', 'A"=1" pip', "'A=1' pip", 'A\\=1 pip', '1A=2 pip', 'A-B=1 pip']) {
    test(`not an assignment: ${text}`, () => {
      const [c] = parseCommands(text);
      assert.deepEqual(c!.assignments, []);
      assert.equal(c!.argv.length, 2);
    });
  }
  test('only leading words are prefixes', () => {
    const c = only('pip install A=1');
    assert.deepEqual(c.assignments, []);
    assert.deepEqual(argvOf(c), ['pip', 'install', 'A=1']);
  });
});

describe('parseCommands: wrappers', () => {
  interface Expect {
    argv: string[];
    wrappers: string[];
    assignments?: string[];
    dropped?: string[];
    sudo?: { preserveAll: boolean; preserve: string[] };
  }
  const TABLE: [string, Expect][] = [
    ['env -i A=1 pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['env'], assignments: ['A'] }],
    [
      'env A=1 B=2 pip install x',
      { argv: ['pip', 'install', 'x'], wrappers: ['env'], assignments: ['A', 'B'] },
    ],
    // `env -i` starts from an empty environment: what was set before it never reaches pip
    [
      'A=1 env -i B=2 pip install x',
      { argv: ['pip', 'install', 'x'], wrappers: ['env'], assignments: ['B'] },
    ],
    ['A=1 env - pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['env'], assignments: [] }],
    ['env -u HOME -C /src pip install .', { argv: ['pip', 'install', '.'], wrappers: ['env'] }],
    [
      'A=1 B=2 env -u A --unset=C pip install .',
      { argv: ['pip', 'install', '.'], wrappers: ['env'], assignments: ['B'] },
    ],
    ['env --chdir=/src pip install .', { argv: ['pip', 'install', '.'], wrappers: ['env'] }],
    [
      'sudo -E pip install x',
      { argv: ['pip', 'install', 'x'], wrappers: ['sudo'], sudo: { preserveAll: true, preserve: [] } },
    ],
    [
      'sudo --preserve-env pip install x',
      { argv: ['pip', 'install', 'x'], wrappers: ['sudo'], sudo: { preserveAll: true, preserve: [] } },
    ],
    [
      'sudo --preserve-env=A,B pip install x',
      {
        argv: ['pip', 'install', 'x'],
        wrappers: ['sudo'],
        sudo: { preserveAll: false, preserve: ['A', 'B'] },
      },
    ],
    [
      'sudo -u user pip install x',
      { argv: ['pip', 'install', 'x'], wrappers: ['sudo'], sudo: { preserveAll: false, preserve: [] } },
    ],
    ['sudo -uuser pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['sudo'] }],
    ['sudo --user user pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['sudo'] }],
    ['sudo --user=user pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['sudo'] }],
    [
      'sudo -Eu user pip install x',
      { argv: ['pip', 'install', 'x'], wrappers: ['sudo'], sudo: { preserveAll: true, preserve: [] } },
    ],
    [
      'sudo -H -g grp -E pip install x',
      { argv: ['pip', 'install', 'x'], wrappers: ['sudo'], sudo: { preserveAll: true, preserve: [] } },
    ],
    ['sudo -- pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['sudo'] }],
    [
      'sudo A=1 pip install x',
      { argv: ['pip', 'install', 'x'], wrappers: ['sudo'], assignments: ['A'], dropped: [] },
    ],
    [
      'A=1 sudo pip install x',
      { argv: ['pip', 'install', 'x'], wrappers: ['sudo'], assignments: ['A'], dropped: ['A'] },
    ],
    [
      'A=1 B=2 sudo --preserve-env=A pip install x',
      { argv: ['pip', 'install', 'x'], wrappers: ['sudo'], assignments: ['A', 'B'], dropped: ['B'] },
    ],
    ['A=1 sudo -E pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['sudo'], dropped: [] }],
    [
      'sudo env A=1 timeout 5 pip install x',
      {
        argv: ['pip', 'install', 'x'],
        wrappers: ['sudo', 'env', 'timeout'],
        assignments: ['A'],
        dropped: [],
      },
    ],
    ['doas pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['doas'] }],
    ['command pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['command'] }],
    // `command -v` looks a name up: nothing runs
    ['command -v pip', { argv: ['command', '-v', 'pip'], wrappers: [] }],
    ['command -V pip', { argv: ['command', '-V', 'pip'], wrappers: [] }],
    ['exec pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['exec'] }],
    ['exec -a name pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['exec'] }],
    ['nohup pip install x &', { argv: ['pip', 'install', 'x'], wrappers: ['nohup'] }],
    ['time pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['time'] }],
    ['time -p pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['time'] }],
    ['timeout 60 pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['timeout'] }],
    ['timeout -s KILL 5m pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['timeout'] }],
    [
      'timeout --signal=KILL -k 10 5m pip install x',
      { argv: ['pip', 'install', 'x'], wrappers: ['timeout'] },
    ],
    ['nice -n 5 pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['nice'] }],
    ['nice -n5 pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['nice'] }],
    ['nice pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['nice'] }],
    ['ls | xargs -n1 pip install', { argv: ['pip', 'install'], wrappers: ['xargs'] }],
    ['ls | xargs -n 1 -P 4 pip install', { argv: ['pip', 'install'], wrappers: ['xargs'] }],
    ['ls | xargs -I {} pip install {}', { argv: ['pip', 'install', '{}'], wrappers: ['xargs'] }],
    ['stdbuf -oL pip install x', { argv: ['pip', 'install', 'x'], wrappers: ['stdbuf'] }],
    // a wrapper with nothing to run is the program itself
    ['env', { argv: ['env'], wrappers: [] }],
    ['sudo -v', { argv: ['sudo', '-v'], wrappers: [] }],
    ['ls | xargs', { argv: ['xargs'], wrappers: [] }],
    // an expansion in the program position is not looked through
    ['$SUDO pip install x', { argv: ['$SUDO', 'pip', 'install', 'x'], wrappers: [] }],
  ];
  for (const [text, e] of TABLE) {
    test(text, () => {
      const cmds = parseCommands(text);
      const c = cmds[cmds.length - 1]!;
      assert.deepEqual(argvOf(c), e.argv);
      assert.deepEqual(c.wrappers, e.wrappers);
      if (e.assignments)
        assert.deepEqual(
          c.assignments.map((a) => a.name),
          e.assignments,
        );
      if (e.dropped)
        assert.deepEqual(
          c.droppedBySudo.map((a) => a.name),
          e.dropped,
        );
      if (e.sudo) assert.deepEqual(c.sudo, e.sudo);
      if (!e.wrappers.includes('sudo') && !e.wrappers.includes('doas')) assert.equal(c.sudo, undefined);
    });
  }
});

describe('parseCommands: sh -c / bash -c strings', () => {
  const TABLE: [string, string[]][] = [
    ["sh -c 'pip install x'", ['pip install x']],
    ['bash -ec "pip install x; ls"', ['pip install x', 'ls']],
    ["bash -lc 'cd /app && pip install -r req.txt'", ['cd /app', 'pip install -r req.txt']],
    ["bash -o pipefail -c 'pip install x'", ['pip install x']],
    ["bash -eo pipefail -c 'pip install x'", ['pip install x']],
    ["bash --noprofile --norc -eo pipefail -c 'pip install x'", ['pip install x']],
    ["bash -O extglob -c 'pip install x'", ['pip install x']],
    ['sh -c "pip install \\"x y\\""', ['pip install \\"x y\\"']],
    ["bash -c $'pip install x\\nls'", ['pip install x', 'ls']],
    [`sh -c 'sh -c "pip install x"'`, ['pip install x']],
    ["/bin/bash -c 'A=1 pip install x'", ['A=1 pip install x']],
    ["sudo -E bash -c 'pip install x'", ['pip install x']],
    ["dash -c 'pip install x' || true", ['pip install x', 'true']],
  ];
  for (const [text, inner] of TABLE) {
    test(`${text}: offsets map back to the original text`, () => {
      assert.deepEqual(
        parseCommands(text).map((c) => slice(text, c)),
        inner,
      );
    });
  }
  test('inner commands carry the shell, and the outer prefixes, wrappers and sudo', () => {
    const c = only("A=1 sudo -E sh -c 'B=2 pip install x'");
    assert.deepEqual(argvOf(c), ['pip', 'install', 'x']);
    assert.deepEqual(c.wrappers, ['sudo', 'sh']);
    assert.deepEqual(
      c.assignments.map((a) => a.name),
      ['A', 'B'],
    );
    assert.deepEqual(c.droppedBySudo, []);
    assert.deepEqual(c.sudo, { preserveAll: true, preserve: [] });
  });
  test('sudo before the shell drops what was set before sudo', () => {
    const c = only("A=1 sudo sh -c 'pip install x'");
    assert.deepEqual(
      c.droppedBySudo.map((a) => a.name),
      ['A'],
    );
  });
  test('toRoot maps inner word offsets to the original text', () => {
    const text = 'bash -c "pip install \\"a b\\""';
    const c = only(text);
    const w = c.argv[2]!;
    assert.equal(w.value, 'a b');
    // character to character: the escaped `"` maps to the `"`, not to its backslash
    assert.equal(text.slice(c.toRoot(w.start), c.toRoot(w.end - 1) + 1), '"a b\\"');
  });
  test('a command starting with an escaped character starts at the backslash', () => {
    const text = 'sh -c "\\$HOME/.venv/bin/pip install x"';
    const [c] = parseCommands(text);
    assert.equal(c!.argv[0]!.value, '$HOME/.venv/bin/pip');
    assert.equal(slice(text, c!), '\\$HOME/.venv/bin/pip install x');
    assert.equal(text.slice(c!.statementStart, c!.end), '\\$HOME/.venv/bin/pip install x');
    assert.equal(text.slice(c!.envInsertAt, c!.end), '\\$HOME/.venv/bin/pip install x');
  });
  test('the operators around the shell apply to its first and last inner commands', () => {
    const text = "a && bash -c 'pip install x; ls' || b";
    const [, pip, ls] = parseCommands(text);
    assert.equal(pip!.before, '&&');
    assert.equal(ls!.after, '||');
  });
  test('a pipeline around the shell', () => {
    assert.equal(only("bash -c 'pip install x' | tee log").inPipeline, true);
  });
  for (const text of ['bash script.sh', 'bash -x script.sh', 'bash -c', 'sh']) {
    test(`not a -c string: ${text}`, () => {
      assert.deepEqual(all(text), [text.split(' ')]);
    });
  }
});

describe('parseCommands: offsets', () => {
  test('start/end cover the command, prefixes included, redirections and comments not', () => {
    const TABLE: [string, string][] = [
      ['  pip install x  ', 'pip install x'],
      ['A=1 pip install x # c', 'A=1 pip install x'],
      ['pip install x 2>&1 >log', 'pip install x'],
      ['pip install \\\n  x', 'pip install \\\n  x'],
      ['pip install x\\\n', 'pip install x'],
      ['sudo pip install "x y"', 'sudo pip install "x y"'],
      ['then pip install x', 'pip install x'],
    ];
    for (const [text, expected] of TABLE) assert.equal(slice(text, only(text)), expected, text);
  });

  /** `[script, text from statementStart to the end of pip, text from envInsertAt to the end of pip]` */
  const TABLE: [string, string, string][] = [
    ['pip install x', 'pip install x', 'pip install x'],
    ['cd a && pip install x', 'pip install x', 'pip install x'],
    ['cd a || pip install x', 'pip install x', 'pip install x'],
    ['a; pip install x', 'pip install x', 'pip install x'],
    ['cat r | pip install -r /dev/stdin', 'cat r | pip install -r /dev/stdin', 'pip install -r /dev/stdin'],
    [
      'cat r |\n  pip install -r /dev/stdin',
      'cat r |\n  pip install -r /dev/stdin',
      'pip install -r /dev/stdin',
    ],
    ['if true; then pip install x; fi', 'pip install x', 'pip install x'],
    ['if true; then a | pip install x; fi', 'a | pip install x', 'pip install x'],
    ['while false; do pip install x; done', 'pip install x', 'pip install x'],
    ['for x in a; do pip install $x; done', 'pip install $x', 'pip install $x'],
    ['case $x in a) pip install a;; esac', 'pip install a', 'pip install a'],
    ['case $x in\n  a) pip install a;;\nesac', 'pip install a', 'pip install a'],
    ['{ pip install x; }', 'pip install x', 'pip install x'],
    ['function f { pip install x; }', 'pip install x', 'pip install x'],
    ['(pip install x)', 'pip install x', 'pip install x'],
    ['! pip install x', '! pip install x', 'pip install x'],
    ['>log pip install x', '>log pip install x', 'pip install x'],
    ['A=1 pip install x', 'A=1 pip install x', 'A=1 pip install x'],
    ['timeout 60 pip install x', 'timeout 60 pip install x', 'timeout 60 pip install x'],
    // `time` is a keyword only at the start of a pipeline: a prefix goes after it
    ['time pip install x', 'time pip install x', 'pip install x'],
    ['time -p pip install x', 'time -p pip install x', 'pip install x'],
    // sudo drops prefixes written before it: they go after sudo and its options
    ['sudo pip install x', 'sudo pip install x', 'pip install x'],
    ['sudo -u bob -E pip install x', 'sudo -u bob -E pip install x', 'pip install x'],
    ['sudo A=1 pip install x', 'sudo A=1 pip install x', 'A=1 pip install x'],
    ['A=1 sudo pip install x', 'A=1 sudo pip install x', 'pip install x'],
    ['sudo env A=1 pip install x', 'sudo env A=1 pip install x', 'env A=1 pip install x'],
    // env -i drops them too
    ['env -i pip install x', 'env -i pip install x', 'pip install x'],
    ['env -i A=1 pip install x', 'env -i A=1 pip install x', 'A=1 pip install x'],
    [
      'env -u PIP_BREAK_SYSTEM_PACKAGES pip install x',
      'env -u PIP_BREAK_SYSTEM_PACKAGES pip install x',
      'pip install x',
    ],
    // inside sh -c: the inner command's own statement, in the original text
    ["sh -c 'pip install x'", 'pip install x', 'pip install x'],
    ["sudo sh -c 'a && pip install x'", 'pip install x', 'pip install x'],
  ];
  for (const [text, fromStatement, fromEnv] of TABLE) {
    test(`statementStart / envInsertAt: ${JSON.stringify(text)}`, () => {
      const c = only(text);
      assert.equal(text.slice(c.statementStart, c.end), fromStatement, 'statementStart');
      assert.equal(text.slice(c.envInsertAt, c.end), fromEnv, 'envInsertAt');
    });
  }
});

describe('parseCommands: before / after / inPipeline', () => {
  const TABLE: [string, string | null, string | null, boolean][] = [
    ['pip install x', null, null, false],
    ['a && pip install x || b', '&&', '||', false],
    ['a | pip install x', '|', null, true],
    ['pip install x | tee log', null, '|', true],
    ['pip install x |& tee log', null, '|&', true],
    ['a |\n  pip install x', '|', null, true],
    ['a &&\n  pip install x', '&&', null, false],
    ['a\npip install x', '\n', null, false],
    ['a; pip install x &', ';', '&', false],
    // a subshell's parentheses are looked through, both ways
    ['(a) && (pip install x)', '&&', null, false],
    ['(cd x && pip install .) | tee log', '&&', '|', true],
    ['(pip install x) || true', null, '||', false],
    ['( (pip install x) )\nls', null, '\n', false],
    ['(pip install x) >log', null, ')', false],
  ];
  for (const [text, before, after, inPipeline] of TABLE) {
    test(JSON.stringify(text), () => {
      const c = only(text);
      assert.deepEqual([c.before, c.after, c.inPipeline], [before, after, inPipeline]);
    });
  }
});

describe('parseCommands: redirections', () => {
  test('are collected with their targets', () => {
    const c = only('pip install x >log 2>&1 <in');
    assert.deepEqual(
      c.redirects.map((r) => [r.op, r.target?.value]),
      [
        ['>', 'log'],
        ['>&', '1'],
        ['<', 'in'],
      ],
    );
    assert.deepEqual(
      c.redirects.map((r) => r.fd),
      [undefined, 2, undefined],
      'the file descriptor written before a redirection is kept',
    );
    assert.deepEqual(argvOf(c), ['pip', 'install', 'x']);
  });

  test('after a compound command they are the output of every command inside without one of its own', () => {
    const outputs = (text: string) =>
      parseCommands(text).map((c) => [argvOf(c)[0], c.redirects.map((r) => `${r.op}${r.target?.value}`)]);
    assert.deepEqual(outputs('{ echo A=1; echo B=2 >other; } >> "$GITHUB_ENV"\necho C=3'), [
      ['echo', ['>>$GITHUB_ENV']],
      ['echo', ['>other']],
      ['echo', []],
    ]);
    assert.deepEqual(outputs('if true; then echo x; fi > f'), [
      ['true', ['>f']],
      ['echo', ['>f']],
    ]);
    // a group's stderr is not its output; a command that sends its own output to stderr keeps it there
    assert.deepEqual(outputs('{ echo A=1; echo oops >&2; } 2>/dev/null >> "$GITHUB_ENV"'), [
      ['echo', ['>>$GITHUB_ENV']],
      ['echo', ['>&2']],
    ]);
    assert.deepEqual(outputs('while read l; do echo "$l"; done < list'), [
      ['read', []],
      ['echo', []],
    ]);
  });
});

describe('parseCommands: scripts inside scripts', () => {
  // [script, each command as it slices out of the script (a wrapper program's words are part of its
  // command, as with sudo), the wrappers of the pip command]
  const TABLE: [string, string[], string[]][] = [
    ['eval "pip install x"', ['pip install x'], ['eval']],
    ["eval 'a && pip install x'", ['a', 'pip install x'], ['eval']],
    ['eval pip install x', ['pip install x'], ['eval']],
    ["su -c 'pip install x'", ['pip install x'], ['su']],
    ["su - root -c 'pip install x'", ['pip install x'], ['su']],
    ["su --command='pip install x' ci", ['pip install x'], ['su']],
    ["env -S 'pip install x'", ['pip install x'], ['env']],
    ["env --split-string='pip install x'", ['pip install x'], ['env']],
    ['bash <<EOF\npip install x\nEOF', ['pip install x'], ['bash']],
    ["sudo sh -s <<'EOF'\n  set -e\n  pip install x\nEOF", ['set -e', 'pip install x'], ['sudo', 'sh']],
    [
      'find . -name "*.whl" -exec pip install {} \\;',
      ['find . -name "*.whl" -exec pip install {}'],
      ['find'],
    ],
    [
      'find dist -name "*.whl" -exec pip install {} +',
      ['find dist -name "*.whl" -exec pip install {}'],
      ['find'],
    ],
    ['retry -t 3 -- pip install x', ['retry -t 3 -- pip install x'], ['retry']],
    ['travis_retry pip install x', ['travis_retry pip install x'], ['travis_retry']],
  ];
  for (const [text, commands, wrappers] of TABLE) {
    test(text, () => {
      const found = parseCommands(text);
      assert.deepEqual(
        found.map((c) => slice(text, c).replace(/ \\;$| \+$/, '')),
        commands,
      );
      assert.deepEqual(only(text).wrappers, wrappers);
    });
  }
  test('eval of several words joins them with spaces, offsets kept', () => {
    const text = 'eval A=1 pip install "$PKG"';
    const c = only(text);
    assert.deepEqual(argvOf(c), ['pip', 'install', '$PKG']);
    assert.deepEqual(
      c.assignments.map((a) => a.name),
      ['A'],
    );
    assert.equal(text.slice(c.toRoot(c.argv[2]!.start), c.toRoot(c.argv[2]!.end - 1) + 1), '$PKG');
  });
  test('`su -` starts a login shell: prefixes set before it do not arrive', () => {
    assert.deepEqual(only("PIP_BREAK_SYSTEM_PACKAGES=1 su - -c 'pip install x'").assignments, []);
    assert.deepEqual(
      only("PIP_BREAK_SYSTEM_PACKAGES=1 su -c 'pip install x'").assignments.map((a) => a.name),
      ['PIP_BREAK_SYSTEM_PACKAGES'],
    );
  });
  test('a shell reading a script file, or given -c, does not run its here-document', () => {
    assert.deepEqual(all('bash setup.sh <<EOF\npip install x\nEOF'), [['bash', 'setup.sh']]);
    assert.deepEqual(all('cat <<EOF\npip install x\nEOF'), [['cat']]);
  });
  test('find without -exec, and a bare retry, are programs of their own', () => {
    assert.deepEqual(all('find . -name "*.pyc" -delete'), [['find', '.', '-name', '*.pyc', '-delete']]);
    assert.deepEqual(all('retry'), [['retry']]);
  });
  test('-exec runs only the words up to `;`, and what find runs is the program', () => {
    const c = only('find . -exec pip install {} \\; -print');
    assert.deepEqual(argvOf(c), ['pip', 'install', '{}']);
  });
  test('a function of the script that runs "$@" is looked through like retry', () => {
    const text = 'with_retries 5 pip install x';
    assert.deepEqual(all(text), [['with_retries', '5', 'pip', 'install', 'x']]);
    const c = parseCommands(text, { wrapperFunctions: new Set(['with_retries']) })[0]!;
    assert.deepEqual(argvOf(c), ['pip', 'install', 'x']);
    assert.deepEqual(c.wrappers, ['with_retries']);
  });
});

describe('parseCommands: command substitution', () => {
  test('$( … ) runs before the command that uses its output', () => {
    const text = 'x=$(pip install y)';
    assert.deepEqual(all(text), [['pip', 'install', 'y'], []]);
    const pip = only(text);
    assert.equal(slice(text, pip), 'pip install y');
    // the statement holding it starts at `x=`: a statement inserted there runs before the substitution
    assert.equal(pip.statementStart, 0);
  });
  test('the exit status of `x=$(…)` is the substitution’s; an argument’s is lost', () => {
    assert.equal(only('x=$(pip install y)').substitution, 'assignment');
    assert.equal(only('echo "$(pip install y)"').substitution, 'argument');
    assert.equal(only('export X=$(pip install y)').substitution, 'argument');
    assert.equal(only('pip install y').substitution, undefined);
  });
  const TABLE: [string, string[]][] = [
    ['echo `pip install y`', ['pip install y', 'echo `pip install y`']],
    [
      'pip install -r <(grep -v torch req.txt)',
      ['grep -v torch req.txt', 'pip install -r <(grep -v torch req.txt)'],
    ],
    [
      'v=$(python3 -c "import x" && pip install "$(cat pkg)")',
      [
        'python3 -c "import x"',
        'cat pkg',
        'pip install "$(cat pkg)"',
        'v=$(python3 -c "import x" && pip install "$(cat pkg)")',
      ],
    ],
    ["echo '$(pip install y)'", ["echo '$(pip install y)'"]],
    ['echo $((1 + 2))', ['echo $((1 + 2))']],
    ['echo ${HOME}', ['echo ${HOME}']],
  ];
  for (const [text, commands] of TABLE) {
    test(text, () => {
      assert.deepEqual(
        parseCommands(text).map((c) => slice(text, c)),
        commands,
      );
    });
  }
  test('nesting is bounded: 5 000 levels parse without overflowing the stack', () => {
    const text = `${'echo "$('.repeat(5000)}pip install x${')"'.repeat(5000)}`;
    const commands = parseCommands(text);
    assert.ok(commands.length > 0 && commands.length <= 6, `${commands.length} commands`);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: the offsets do what fixes rely on

const RUNS = { insert: 1000, shellC: 1000 };

/** `[prefix assignments] [wrappers…] pip install x`, in a random statement context. */
const wrapped = fc
  .tuple(
    fc.subarray(['A=1', 'B="x y"']),
    fc.array(
      fc.constantFrom(
        'sudo',
        'sudo -E',
        'sudo -u bob',
        'sudo -Eu bob',
        'sudo --preserve-env=A',
        'sudo C=2',
        'env',
        'env -i',
        'env -i D=4',
        'env -u HOME',
        'env -u PIP_BREAK_SYSTEM_PACKAGES',
        'timeout 60',
        'timeout -s KILL 5m',
        'nice -n 5',
        'nohup',
        'command',
        'exec',
        'stdbuf -oL',
        'xargs -n1',
      ),
      { maxLength: 3 },
    ),
    fc.boolean(),
    fc.constantFrom(
      '',
      'cd x && ',
      'cat r | ',
      'if true; then ',
      'a; ',
      '! ',
      '{ ',
      'case $v in a) ',
      'for i in 1; do ',
    ),
  )
  .map(([prefix, wrappers, time, context]) => ({
    context,
    command: [...(time ? ['time'] : []), ...prefix, ...wrappers, 'pip install x'].join(' '),
  }));

describe('parseCommands: properties', () => {
  test(`a prefix inserted at envInsertAt reaches pip (${RUNS.insert} runs)`, () => {
    fc.assert(
      fc.property(wrapped, ({ context, command }) => {
        const text = context + command;
        const c = only(text);
        const fixed = `${text.slice(0, c.envInsertAt)}PIP_BREAK_SYSTEM_PACKAGES=1 ${text.slice(c.envInsertAt)}`;
        const f = only(fixed);
        assert.deepEqual(argvOf(f), argvOf(c));
        const own = f.assignments.filter((a) => a.name === 'PIP_BREAK_SYSTEM_PACKAGES');
        assert.equal(own.length, 1, fixed);
        assert.ok(!f.droppedBySudo.includes(own[0]!), `dropped by sudo: ${fixed}`);
        // `time` stays bash's keyword: never preceded by the prefix
        if (command.startsWith('time ')) assert.deepEqual(f.wrappers[0], 'time');
      }),
      { numRuns: RUNS.insert },
    );
  });
  test(`a statement inserted at statementStart runs before pip and leaves it intact (${RUNS.insert} runs)`, () => {
    fc.assert(
      fc.property(wrapped, ({ context, command }) => {
        const text = context + command;
        const c = only(text);
        const fixed = `${text.slice(0, c.statementStart)}venv_made && ${text.slice(c.statementStart)}`;
        const f = only(fixed);
        assert.deepEqual(argvOf(f), argvOf(c));
        assert.deepEqual(f.wrappers, c.wrappers);
        const cmds = parseCommands(fixed);
        const made = cmds.findIndex((x) => x.argv[0]?.value === 'venv_made');
        assert.ok(made !== -1 && made < cmds.indexOf(cmds.find((x) => x.argv[0]?.value === 'pip')!), fixed);
        // the new statement is an and-or item of its own, outside any pipeline
        assert.equal(cmds[made]!.inPipeline, false, fixed);
      }),
      { numRuns: RUNS.insert },
    );
  });

  const plainWord = fc.string({ unit: fc.constantFrom(...'abcxyz019._/=-'), minLength: 1, maxLength: 6 });
  const script = fc
    .array(
      fc.tuple(
        fc.array(plainWord, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('; ', ' && ', ' || ', ' | ', '\n'),
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((items) =>
      items
        .map(
          ([ws, op], k) => ws.filter((w) => !/^[0-9]+$/.test(w)).join(' ') + (k < items.length - 1 ? op : ''),
        )
        .join(''),
    );
  test(`sh -c '…' and bash -c "…" map every inner command back to its text (${RUNS.shellC} runs)`, () => {
    fc.assert(
      fc.property(
        script,
        fc.constantFrom("sh -c '", 'bash -ec "', "A=1 sudo -E bash -lc '"),
        (inner, open) => {
          const close = open.endsWith('"') ? '"' : "'";
          const text = `${open}${inner}${close}`;
          const expected = parseCommands(inner);
          const got = parseCommands(text);
          assert.deepEqual(got.map(argvOf), expected.map(argvOf));
          assert.deepEqual(
            got.map((c) => slice(text, c)),
            expected.map((c) => slice(inner, c)),
          );
          for (const c of got) assert.equal(c.wrappers.at(-1), open.includes('bash') ? 'bash' : 'sh');
        },
      ),
      { numRuns: RUNS.shellC },
    );
  });
});
