/**
 * `ci-lint lsp`: a Language Server over stdio. Each open document is linted through the CLI's own
 * entry (`checkDocument`: `.ci-lint.yml` found upward from the file, includes read from disk) after
 * a pause in typing; only the document that changed is linted again (and, on save, the open
 * documents that include it). Code actions offer every fix of a finding, hover on a pip line shows
 * `inspect`'s verdict and evidence. Loaded lazily by the CLI, so `ci-lint` itself starts fast.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CodeAction,
  createConnection,
  DidChangeWatchedFilesNotification,
  type Diagnostic as LspDiagnostic,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_NAMES, ConfigError } from '../engine/config.ts';
import { checkDocument, type DocumentInput, type DocumentRun, inspectDocument } from '../engine/document.ts';
import { positionInFile } from '../engine/read.ts';
import type { UserOptions } from '../engine/settings.ts';
import { diagnosticsByUri, fixActions, hoverMarkdown, overlaps, rangeOf, type UriOf } from './convert.ts';

/** `initializationOptions` an editor may send: the pause before linting, and CLI flags. */
interface InitOptions {
  debounceMs?: number;
  flags?: Omit<UserOptions, 'cwd' | 'paths'>;
}

const DEFAULT_DEBOUNCE_MS = 150;

interface Linted {
  version: number;
  path: string;
  run?: DocumentRun;
  /** What this document contributed to each URI's diagnostics (its own, and files it includes). */
  published: Map<string, LspDiagnostic[]>;
  includedFiles: string[];
}

/** The local path of a `file:` URI; undefined for other schemes and for ones node cannot map (a host, `%2F`). */
function localPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): void {
  // the editor has gone (or its pipe cannot take more): nothing is left to answer
  output.on('error', (e: NodeJS.ErrnoException) => {
    process.stderr.write(`ci-lint lsp: cannot write to the client (${e.code ?? e.message}); stopping\n`);
    process.exit(e.code === 'EPIPE' ? 0 : 2);
  });
  const connection = createConnection(ProposedFeatures.all, input, output);
  const documents = new TextDocuments(TextDocument);
  const linted = new Map<string, Linted>();
  const timers = new Map<string, NodeJS.Timeout>();
  let options: InitOptions = {};
  let workspaceRoot = process.cwd();

  const pathOf = (uri: string): string => {
    const path = localPath(uri);
    if (path !== undefined) return path;
    // an unsaved buffer, or a file this machine cannot open by path (`file://wsl.localhost/…`): name it
    // inside the workspace, so its dialect can still come from the name
    const name = uri.slice(uri.lastIndexOf('/') + 1);
    try {
      return resolve(workspaceRoot, decodeURIComponent(name));
    } catch {
      return resolve(workspaceRoot, name); // not valid percent-encoding: the name as written
    }
  };
  const uriOfFor =
    (doc: TextDocument, docPath: string): UriOf =>
    (path) =>
      path === docPath ? doc.uri : pathToFileURL(resolve(path)).href;

  const inputOf = (doc: TextDocument, path: string): DocumentInput => ({
    path,
    text: doc.getText(),
    cwd: dirname(path),
    ...(options.flags ? { flags: options.flags } : {}),
  });

  /**
   * Every URI's diagnostics are the union of what the open documents say about it, except that the
   * findings in a file another open pipeline includes come only through its includer (as the CLI
   * lints it); its own broken YAML still shows while it is typed.
   */
  const publish = (uri: string, included: ReadonlySet<string>) => {
    const seen = new Set<string>();
    const diagnostics: LspDiagnostic[] = [];
    for (const l of linted.values()) {
      const throughIncluder = included.has(l.path);
      for (const d of l.published.get(uri) ?? []) {
        if (throughIncluder && (d.code !== undefined || d.severity !== 1)) continue;
        const key = JSON.stringify([d.range, d.code, d.message]);
        if (seen.has(key)) continue;
        seen.add(key);
        diagnostics.push(d);
      }
    }
    void connection.sendDiagnostics({ uri, diagnostics });
  };

  /** Publish again what the changed runs touched, and the open files they include (or no longer do). */
  const republish = (changed: (Linted | undefined)[]) => {
    const included = new Set<string>();
    for (const l of linted.values()) for (const p of l.includedFiles) included.add(p);
    const targets = new Set<string>();
    for (const l of changed) {
      for (const uri of l?.published.keys() ?? []) targets.add(uri);
      for (const [uri, other] of linted) if (l?.includedFiles.includes(other.path)) targets.add(uri);
    }
    for (const uri of targets) publish(uri, included);
  };

  const lint = (doc: TextDocument): Linted => {
    const path = pathOf(doc.uri);
    const uriOf = uriOfFor(doc, path);
    const out: Linted = {
      version: doc.version,
      path,
      published: new Map([[doc.uri, []]]),
      includedFiles: [],
    };
    try {
      const run = checkDocument(inputOf(doc, path));
      out.run = run;
      const file = run.result.files[0];
      out.includedFiles = (file?.includedFiles ?? []).map((p) => resolve(p));
      // a YAML file that is no CI file: say nothing unless it is broken
      for (const [uri, list] of diagnosticsByUri(run.result, uriOf))
        out.published.set(uri, file?.dialect ? list : list.filter((d) => d.severity === 1));
    } catch (e) {
      for (const [uri, d] of failure(e, doc.uri))
        out.published.set(uri, [...(out.published.get(uri) ?? []), d]);
    }
    return out;
  };

  const lintAndPublish = (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return;
    const before = linted.get(uri);
    const after = lint(doc);
    linted.set(uri, after);
    republish([before, after]);
  };

  const schedule = (uri: string, delay: number) => {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        lintAndPublish(uri);
      }, delay),
    );
  };

  /** The latest run of a document, linting now if the text changed since (a request outran the pause). */
  const current = (uri: string): { doc: TextDocument; l: Linted } | undefined => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    if (linted.get(uri)?.version !== doc.version) {
      clearTimeout(timers.get(uri));
      timers.delete(uri);
      lintAndPublish(uri);
    }
    return { doc, l: linted.get(uri)! };
  };

  let canWatchFiles = false;
  connection.onInitialize((params) => {
    options = (params.initializationOptions as InitOptions | undefined) ?? {};
    canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    workspaceRoot = (root && localPath(root)) ?? workspaceRoot;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: true },
        codeActionProvider: {
          codeActionKinds: ['quickfix', 'source.fixAll.ci-lint', 'source.ci-lint.fixAllUnsafe'],
        },
        hoverProvider: true,
      },
      serverInfo: { name: 'ci-lint' },
    };
  });

  documents.onDidChangeContent(({ document }) =>
    // the first version is linted at once; edits wait for a pause in typing
    schedule(document.uri, linted.has(document.uri) ? (options.debounceMs ?? DEFAULT_DEBOUNCE_MS) : 0),
  );

  documents.onDidSave(({ document }) => {
    // includes and the config are read from disk: a save can change what other open files see
    const saved = pathOf(document.uri);
    const isConfig = CONFIG_NAMES.some((n) => saved.endsWith(`/${n}`));
    for (const [uri, l] of linted)
      if (uri !== document.uri && (isConfig || l.includedFiles.includes(saved))) schedule(uri, 0);
  });

  connection.onInitialized(() => {
    // includes and the config change on disk too (a checkout, another editor): ask to be told
    if (canWatchFiles)
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yml,yaml}' }],
      });
  });

  connection.onDidChangeWatchedFiles(() => {
    for (const uri of linted.keys()) schedule(uri, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  });

  documents.onDidClose(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.delete(document.uri);
    const before = linted.get(document.uri);
    linted.delete(document.uri);
    republish([before]);
  });

  connection.onCodeAction((params) => {
    const at = current(params.textDocument.uri);
    if (!at?.l.run) return [];
    const { doc, l } = at;
    const { result, plan } = l.run!;
    const uriOf = uriOfFor(doc, l.path);
    const actions: CodeAction[] = [];
    // `context` is required by the protocol, but a client that leaves it out gets every action
    const only = params.context?.only;
    const wantsFixAll = !only || only.some((k) => k.startsWith('source'));
    const wantsQuickFix = !only || only.some((k) => k.startsWith('quickfix'));
    if (wantsQuickFix)
      for (const f of result.findings) {
        if (f.span.path !== l.path || f.fixes.length === 0) continue;
        if (!overlaps(rangeOf(result.sources, f.span), params.range)) continue;
        for (const a of fixActions(f, result.sources, uriOf, plan.strategy)) actions.push(a);
      }
    if (wantsFixAll && result.findings.some((f) => f.fixes.length > 0))
      for (const minimum of ['safe', 'unsafe'] as const) {
        const fixed = checkDocument(inputOf(doc, l.path), { minimum }).result.fixed.get(l.path);
        if (fixed === undefined) continue;
        const whole = { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) };
        actions.push({
          // only the safe one is a fixAll: editors may apply those on save without asking
          title: `ci-lint: fix all ${minimum === 'safe' ? 'safe' : 'safe and unsafe'} problems (${plan.strategy})`,
          kind: minimum === 'safe' ? 'source.fixAll.ci-lint' : 'source.ci-lint.fixAllUnsafe',
          edit: { changes: { [doc.uri]: [{ range: whole, newText: fixed }] } },
        });
      }
    return actions;
  });

  connection.onHover((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const path = pathOf(doc.uri);
    try {
      const value = hoverMarkdown(inspectDocument(inputOf(doc, path)), path, params.position.line + 1);
      return value ? { contents: { kind: 'markdown', value } } : null;
    } catch {
      return null; // a broken config is reported as a diagnostic already
    }
  });

  documents.listen(connection);
  connection.listen();
}

/** A run that could not start (a broken `.ci-lint.yml`, a bad flag) is a diagnostic, never a crash. */
function failure(e: unknown, docUri: string): [string, LspDiagnostic][] {
  const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });
  const diagnostic = (range: ReturnType<typeof at>, message: string): LspDiagnostic => ({
    range,
    severity: 1,
    source: 'ci-lint',
    message,
  });
  if (!(e instanceof ConfigError)) {
    const why = e instanceof Error ? e.message : String(e);
    return [[docUri, diagnostic(at(0, 0), `ci-lint could not lint this file: ${why}`)]];
  }
  const pos = positionInFile(e.path, e.offset);
  const configUri = pathToFileURL(resolve(e.path)).href;
  const where: [string, LspDiagnostic] = [configUri, diagnostic(at(pos.line - 1, pos.column - 1), e.message)];
  if (configUri === docUri) return [where];
  const off = `ci-lint is off for this file: ${e.path}:${pos.line}:${pos.column}: ${e.message}`;
  return [where, [docUri, diagnostic(at(0, 0), off)]];
}
