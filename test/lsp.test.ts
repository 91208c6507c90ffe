/**
 * `ci-lint lsp` driven over stdio the way an editor drives it: initialize, didOpen (GitLab with an
 * include read from disk, GitHub), didChange, codeAction (every fix, applicability in the title;
 * the edit applied), hover on a pip line, `.ci-lint.yml` picked up and its errors shown, shutdown.
 * Runs the committed bundle (`dist/cli.js`, what editors run; dist.test.ts checks it is fresh).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type {
  CodeAction,
  Diagnostic,
  Hover,
  MarkupContent,
  PublishDiagnosticsParams,
  TextEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from './helpers/lsp-client.ts';
import { RUNNER_PIP_WORKFLOW } from './helpers/samples.ts';

const root = new URL('..', import.meta.url).pathname;

const GITLAB = `image: debian:bookworm
include:
  - local: ci/jobs.yml

build:flit:
  stage: build
  script:
  - apt-get update && apt-get install -y flit python3-pip
  - FLIT_ROOT_INSTALL=1 flit install
  - metalfinder --help
`;
const INCLUDED = `test:
  script:
    - apt-get update && apt-get install -y python3-pip
    - pip install pytest
`;

/** ~1 000 lines: 100 jobs of 10 lines, each with a pip call that fails. */
function bigPipeline(): string {
  const lines = ['image: debian:bookworm', ''];
  for (let i = 0; i < 100; i++)
    lines.push(
      `job-${i}:`,
      '  stage: test',
      '  variables:',
      `    N: "${i}"`,
      '  script:',
      '    - apt-get update && apt-get install -y python3-pip',
      `    - pip install pkg${i}`,
      '    - echo one',
      '    - echo two',
      '    - echo three',
    );
  return `${lines.join('\n')}\n`;
}

describe('ci-lint lsp over stdio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ci-lint-lsp-'));
  const uri = (rel: string) => pathToFileURL(join(dir, rel)).href;
  const gitlab = uri('.gitlab-ci.yml');
  const workflow = uri('.github/workflows/ci.yml');
  const docs = new Map<string, TextDocument>();
  let client: LspClient;

  const published = (target: string, match: (d: Diagnostic[]) => boolean = () => true) =>
    client.next<PublishDiagnosticsParams>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === target && match(p.diagnostics),
    );
  const open = (target: string, text: string) => {
    docs.set(target, TextDocument.create(target, 'yaml', 1, text));
    client.notify('textDocument/didOpen', {
      textDocument: { uri: target, languageId: 'yaml', version: 1, text },
    });
  };
  /** An incremental change, as editors send them: only the edited range and its new text. */
  const edit = (target: string, edits: TextEdit[]) => {
    const doc = docs.get(target)!;
    const next = TextDocument.create(target, 'yaml', doc.version + 1, TextDocument.applyEdits(doc, edits));
    docs.set(target, next);
    // sent last-first, so each range still refers to the text the server has
    const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
    client.notify('textDocument/didChange', {
      textDocument: { uri: target, version: next.version },
      contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })),
    });
  };
  const replaceOnLine = (target: string, line: number, from: string, to: string): TextEdit => {
    const text = docs.get(target)!.getText().split('\n')[line]!;
    const character = text.indexOf(from);
    assert.ok(character >= 0, `"${from}" on line ${line}`);
    return {
      range: { start: { line, character }, end: { line, character: character + from.length } },
      newText: to,
    };
  };
  const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);
  // LSP 3.18 allows markup in a diagnostic's message; ci-lint sends plain strings
  const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

  before(async () => {
    mkdirSync(join(dir, 'ci'));
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(join(dir, '.gitlab-ci.yml'), GITLAB);
    writeFileSync(join(dir, 'ci/jobs.yml'), INCLUDED);
    writeFileSync(join(dir, '.github/workflows/ci.yml'), RUNNER_PIP_WORKFLOW);
    client = new LspClient(process.execPath, [`${root}dist/cli.js`, 'lsp', '--stdio'], dir);
    const init = await client.request<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    assert.deepEqual(init.capabilities.textDocumentSync, { openClose: true, change: 2, save: true });
    assert.equal(init.capabilities.hoverProvider, true);
    client.notify('initialized', {});
  });

  it('asks to watch YAML files on disk, where includes and the config live', async () => {
    const deadline = Date.now() + 10_000;
    while (!client.requests.some((r) => r.method === 'client/registerCapability') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const registration = client.requests.find((r) => r.method === 'client/registerCapability');
    assert.match(
      JSON.stringify(registration?.params),
      /workspace\/didChangeWatchedFiles.*\*\*\/\*\.\{yml,yaml\}/,
    );
  });

  after(() => {
    client.proc.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes findings on didOpen, including those in a file read through include: local', async () => {
    const own = published(gitlab);
    const included = published(uri('ci/jobs.yml'));
    open(gitlab, GITLAB);
    const [mine, theirs] = await Promise.all([own, included]);
    const flit = mine.diagnostics.find((d) => d.code === 'indirect-pip-system-python');
    assert.ok(flit, JSON.stringify(mine.diagnostics));
    assert.deepEqual(flit.range, { start: { line: 8, character: 4 }, end: { line: 8, character: 36 } });
    assert.equal(flit.severity, 1);
    assert.match(messageOf(flit), /debian:bookworm.*externally managed/);
    assert.match(flit.codeDescription?.href ?? '', /rules\/indirect-pip-system-python\/README\.md$/);
    assert.deepEqual(codes(theirs.diagnostics), ['pip-install-system-python']);
    assert.equal(theirs.diagnostics[0]!.range.start.line, 3);
  });

  it('publishes GitHub workflow findings too', async () => {
    const p = published(workflow);
    open(workflow, RUNNER_PIP_WORKFLOW);
    assert.deepEqual(codes((await p).diagnostics), ['relies-on-runner-pip-override']);
  });

  it('an open file that the pipeline includes speaks through its includer, and follows it on save', async () => {
    const jobs = uri('ci/jobs.yml');
    let p = published(jobs);
    open(jobs, INCLUDED);
    // alone it would be a warning (no image); through .gitlab-ci.yml it runs on debian:bookworm
    const first = (await p).diagnostics;
    assert.deepEqual(codes(first), ['pip-install-system-python']);
    assert.equal(first[0]!.severity, 1);

    const saveAs = (text: string) => {
      const doc = docs.get(jobs)!;
      const whole = { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) };
      edit(jobs, [{ range: whole, newText: text }]);
      writeFileSync(join(dir, 'ci/jobs.yml'), text);
      client.notify('textDocument/didSave', { textDocument: { uri: jobs } });
    };
    p = published(jobs, (d) => codes(d).includes('pip-user-install-managed'));
    saveAs(INCLUDED.replace('pip install', 'pip install --user'));
    assert.deepEqual(codes((await p).diagnostics), ['pip-user-install-managed']);
    p = published(jobs, (d) => codes(d).includes('pip-install-system-python'));
    saveAs(INCLUDED);
    await p;
    // unsaved broken YAML in the included file shows at once, next to the includer's findings
    p = published(jobs, (d) => d.some((x) => x.code === undefined));
    edit(jobs, [replaceOnLine(jobs, 1, 'script:', 'script: [')]);
    const broken = (await p).diagnostics;
    assert.ok(codes(broken).includes('pip-install-system-python'), JSON.stringify(broken));
    const syntax = broken.filter((d) => d.code === undefined);
    assert.ok(syntax.length > 0 && syntax.every((d) => d.severity === 1 && d.range.start.line >= 1));
    client.notify('textDocument/didClose', { textDocument: { uri: jobs } });
  });

  it('lints again after didChange: an edit that removes the finding, then one that brings it back', async () => {
    let p = published(gitlab);
    edit(gitlab, [replaceOnLine(gitlab, 0, 'debian:bookworm', 'python:3.12')]);
    assert.deepEqual(codes((await p).diagnostics), []);
    p = published(gitlab);
    edit(gitlab, [replaceOnLine(gitlab, 0, 'python:3.12', 'debian:bookworm')]);
    assert.deepEqual(codes((await p).diagnostics), ['indirect-pip-system-python']);
  });

  it('offers every fix as a code action, applicability in the title, and its edit fixes the file', async () => {
    const range = { start: { line: 8, character: 10 }, end: { line: 8, character: 10 } };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: gitlab },
      range,
      context: { diagnostics: [] },
    });
    const titles = actions.map((a) => a.title);
    assert.ok(
      titles.some((t) => t.endsWith('[override, safe]')),
      titles.join('\n'),
    );
    assert.ok(
      titles.some((t) => t.endsWith('[venv, unsafe]')),
      titles.join('\n'),
    );
    assert.ok(
      titles.some((t) => t.endsWith('[pipx, suggestion]')),
      titles.join('\n'),
    );
    // the configured remedy (venv) is unsafe: no safe fix-all (as `--fix` would change nothing), an unsafe one
    assert.ok(!actions.some((a) => a.kind === 'source.fixAll.ci-lint'), titles.join('\n'));
    const all = actions.find((a) => a.kind === 'source.ci-lint.fixAllUnsafe');
    assert.ok(all, titles.join('\n'));
    const venv = TextDocument.applyEdits(docs.get(gitlab)!, all.edit!.changes![gitlab]!);
    assert.match(venv, /apt-get install -y flit python3-pip python3-venv\n/);
    assert.match(
      venv,
      /- python3 -m venv \.venv && \. \.venv\/bin\/activate && FLIT_ROOT_INSTALL=1 flit install/,
    );
    // nothing is offered away from a finding, apart from fixing the whole file
    const elsewhere = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: gitlab },
      range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } },
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(elsewhere, []);

    const override = actions.find((a) => a.title.endsWith('[override, safe]'))!;
    assert.equal(override.isPreferred, false, 'the preferred remedy is the configured one (venv)');
    const changes = override.edit!.changes![gitlab]!;
    const p = published(gitlab);
    edit(gitlab, changes);
    assert.equal(
      docs.get(gitlab)!.getText().split('\n')[8],
      '  - PIP_BREAK_SYSTEM_PACKAGES=1 FLIT_ROOT_INSTALL=1 flit install',
    );
    assert.deepEqual(codes((await p).diagnostics), []);
  });

  it('hover on a pip line shows the job, the verdict and its evidence', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: gitlab },
      position: { line: 8, character: 40 },
    });
    assert.ok(hover);
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /job `build:flit` on `debian:bookworm`/);
    assert.match(value, /system Python, overridden by PIP_BREAK_SYSTEM_PACKAGES/);
    assert.match(value, /externally managed: \*\*yes\*\*/);
    assert.match(value, /- because .*Debian/);
    const none = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: gitlab },
      position: { line: 9, character: 6 },
    });
    assert.equal(none, null, 'no hover on a line without a pip call');
  });

  it('picks up .ci-lint.yml (a rule turned off) and shows a broken one where it is broken', async () => {
    let p = published(workflow);
    writeFileSync(join(dir, '.ci-lint.yml'), 'rules:\n  relies-on-runner-pip-override: off\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('.ci-lint.yml'), type: 1 }] });
    assert.deepEqual(codes((await p).diagnostics), []);

    const onConfig = published(uri('.ci-lint.yml'), (d) => d.length > 0);
    p = published(workflow, (d) => d.length > 0);
    writeFileSync(
      join(dir, '.ci-lint.yml'),
      'rules:\n  relies-on-runner-pip-override: off\nfix-stratgy: venv\n',
    );
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('.ci-lint.yml'), type: 2 }] });
    const [config, doc] = await Promise.all([onConfig, p]);
    assert.equal(config.diagnostics[0]!.range.start.line, 2);
    assert.match(messageOf(config.diagnostics[0]!), /fix-stratgy/);
    assert.match(messageOf(doc.diagnostics[0]!), /ci-lint is off for this file: .*\.ci-lint\.yml:3:1/);

    p = published(workflow);
    rmSync(join(dir, '.ci-lint.yml'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('.ci-lint.yml'), type: 3 }] });
    assert.deepEqual(codes((await p).diagnostics), ['relies-on-runner-pip-override']);
  });

  it('answers a 1 000-line file quickly (didOpen and didChange to publishDiagnostics; times printed)', async (t) => {
    const big = uri('big/.gitlab-ci.yml');
    const text = bigPipeline();
    assert.ok(text.split('\n').length > 1000);
    let started = performance.now();
    let p = published(big);
    open(big, text);
    const first = (await p).diagnostics;
    assert.equal(
      first.filter((d) => d.code === 'pip-install-system-python').length,
      100,
      JSON.stringify(first.slice(0, 2)),
    );
    const openMs = performance.now() - started;
    const changeMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      p = published(big);
      started = performance.now();
      const line = 2 + 10 * i + 6; // job-i's pip line
      edit(big, [replaceOnLine(big, line, 'pip install', 'pip install --user')]);
      const now = (await p).diagnostics;
      assert.equal(now.filter((d) => d.code === 'pip-user-install-managed').length, i + 1);
      changeMs.push(performance.now() - started);
    }
    const median = [...changeMs].sort((a, b) => a - b)[2]!;
    t.diagnostic(
      `1 000-line file: didOpen → publishDiagnostics ${openMs.toFixed(0)} ms; didChange → publishDiagnostics median ${median.toFixed(0)} ms (incl. the 150 ms pause), all ${changeMs.map((x) => x.toFixed(0)).join(', ')} ms`,
    );
    // generous bounds: a shared CI machine is slow; the printed times are the measurement
    assert.ok(openMs < 3000 && median < 3000, `${openMs} ${median}`);
  });

  it('a codeAction request without `context` (required, but not every client sends it) gets every action', async () => {
    const target = uri('no-context/.gitlab-ci.yml');
    const p = published(target, (d) => d.length > 0);
    open(
      target,
      'job:\n  image: debian:bookworm\n  script:\n    - apt-get update && apt-get install -y python3-pip\n    - pip install x\n',
    );
    const diagnostics = (await p).diagnostics;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: target },
      range: diagnostics[0]!.range,
    });
    assert.ok(actions.some((a) => a.kind?.startsWith('source.')));
    assert.ok(actions.some((a) => a.kind === 'quickfix'));
    client.notify('textDocument/didClose', { textDocument: { uri: target } });
  });

  it('file: URIs with a host or an encoded slash are linted as buffers, not a crash', async () => {
    for (const odd of [
      'file://wsl.localhost/Ubuntu/home/u/.gitlab-ci.yml',
      'file:///tmp/a%2Fb/.gitlab-ci.yml',
    ]) {
      const p = published(odd, (d) => d.some((x) => x.code === 'indirect-pip-system-python'));
      open(odd, GITLAB);
      await p;
      client.notify('textDocument/didClose', { textDocument: { uri: odd } });
    }
  });

  it('closing a document clears its diagnostics, and shutdown/exit ends the server with 0', async () => {
    const cleared = published(uri('ci/jobs.yml'), (d) => d.length === 0);
    client.notify('textDocument/didClose', { textDocument: { uri: gitlab } });
    await cleared;
    assert.equal(await client.request('shutdown', null), null);
    client.notify('exit', null);
    assert.equal(await client.exited, 0);
    assert.deepEqual(client.stderr, []);
  });
});
