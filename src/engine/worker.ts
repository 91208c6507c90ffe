/**
 * The worker-thread side of parallel.ts: lint the files each task names, one reply per file, and
 * bump the shared counter after each so the main thread wakes.
 */
import { type FileOutcome, lintInput } from './check.ts';
import { FAILED, REPLIES, type WorkerData, type WorkerReply, type WorkerTask } from './parallel.ts';
import { planRun } from './settings.ts';

export function isLintWorker(data: unknown): data is WorkerData {
  return typeof data === 'object' && data !== null && 'ciLintWorker' in data;
}

export function serveLintWorker({ ciLintWorker: { options, signal, port } }: WorkerData): void {
  const { settings } = planRun(options);
  const counter = new Int32Array(signal);
  const wake = () => {
    Atomics.add(counter, REPLIES, 1);
    Atomics.notify(counter, REPLIES);
  };
  const reply = (message: WorkerReply) => {
    port.postMessage(message);
    wake();
  };
  port.on('message', (task: WorkerTask | null) => {
    if (!task) {
      port.close();
      return;
    }
    try {
      serve(task);
    } catch {
      // lintInput() never throws; this is a reply that cannot be sent: the main thread takes over
      Atomics.store(counter, FAILED, 1);
      wake();
    }
  });
  const serve = (task: WorkerTask) =>
    task.paths.forEach((path, i) => {
      const index = task.first + i;
      if (path === '') {
        // skipped: an included file the main thread already knows about
        reply({ index, checked: false, includedFiles: [], findings: [], diagnostics: [], texts: [] });
        return;
      }
      const { sources, ...outcome } = lintInput(path, settings);
      const wanted = pointedAt(outcome);
      reply({ index, ...outcome, texts: sources.entries().filter(([p]) => wanted.has(p)) });
    });
}

/** The files whose text the reports need: those findings and offset-only diagnostics point into. */
function pointedAt({ findings, diagnostics }: Omit<FileOutcome, 'sources'>): Set<string> {
  const paths = new Set<string>();
  for (const f of findings) {
    paths.add(f.span.path);
    for (const r of f.related) paths.add(r.span.path);
  }
  for (const d of diagnostics) if (d.line === undefined && d.offset !== undefined) paths.add(d.path);
  return paths;
}
