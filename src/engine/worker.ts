/**
 * The worker-thread side of parallel.ts: lint the files each task names, one reply per file, and
 * bump the shared counter after each so the main thread wakes.
 */
import { lintInput } from './check.ts';
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
      reply({ index, ...outcome, texts: sources.entries() });
    });
}
