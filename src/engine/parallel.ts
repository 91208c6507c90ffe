/**
 * Linting a large run on worker threads, with results in input order. The main thread stays
 * synchronous (as `check()` is): it blocks on a shared counter the workers bump after each file
 * (`Atomics.wait`), and takes their messages with `receiveMessageOnPort`, so no event loop turn is
 * needed. Each worker rebuilds the run's settings from the user's options (rules are code, which
 * cannot cross threads) and sends back each file's findings, diagnostics and texts.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { FileOutcome } from './check.ts';
import type { UserOptions } from './settings.ts';
import { Sources } from './sources.ts';

export interface LintPool {
  /** `--jobs`: how many threads lint (the main thread and N − 1 workers). Absent: automatic. */
  jobs?: number;
  /** The module a worker runs (the CLI's own file: it serves as a worker when not on the main thread). */
  entry: URL;
  /** What rebuilds the run's settings in a worker. */
  options: UserOptions;
  /**
   * How long the main thread waits with no reply at all before it takes the run back: a worker can
   * die without a word (out of memory), and a synchronous main thread would otherwise wait forever.
   */
  silenceMs?: number;
}

/**
 * Files each thread should have before one more pays: a worker compiles and warms up all of the
 * code again (its own optimising compiler and GC run beside it) and adds ~100 MB. Measured on 2
 * cores, CLI `--jobs 2` against `--jobs 1`, 4 interleaved runs each: 2 500 and 3 500 files 1.00×,
 * 5 000 files 1.16×, 7 000 files 1.28× (at 1 000 per thread, 2 000 files started a thread for nothing).
 */
export const FILES_PER_THREAD = 2500;
const MAX_AUTO_THREADS = 8;
/**
 * A worker's nursery. V8 gives a third of it to each semi-space, rounded up to a power of two, so 16
 * and 24 MB both mean 8 MB semi-spaces, and 32 and 48 MB mean 16 MB, the main thread's default.
 * Measured on 10 000 files (2 threads, 6 interleaved runs each): 24 MB 12.5–13.5 s and 267–272 MB
 * peak, 48 MB 12.6–14.2 s and 286–318 MB (over the 300 MB budget of issue 10 in 2 runs of 9).
 */
const WORKER_YOUNG_GENERATION_MB = 16;
const WORKER_SILENCE_MS = 60_000;

/** What workerData carries to a worker. */
export interface WorkerData {
  ciLintWorker: { entry: string; options: UserOptions; signal: SharedArrayBuffer; port: MessagePort };
}

/** Slots of the shared counter: replies so far, and whether a worker failed. */
export const REPLIES = 0;
export const FAILED = 1;

/**
 * What a worker runs first: the entry module, which serves when it finds itself on a worker thread.
 * If it cannot be loaded (e.g. a `.ts` entry without a TypeScript loader), the main thread is told,
 * rather than waiting forever for replies. Only `import()`: evaluated code is a module when the
 * process was started with `--input-type=module`, and a script otherwise, and this reads as both.
 */
const BOOTSTRAP = `
import('node:worker_threads').then(({ workerData }) =>
  import(workerData.ciLintWorker.entry).catch(() => {
    const signal = new Int32Array(workerData.ciLintWorker.signal);
    Atomics.store(signal, ${FAILED}, 1);
    Atomics.add(signal, ${REPLIES}, 1);
    Atomics.notify(signal, ${REPLIES});
  }),
);
`;

/** A worker's message for one file: the outcome with its texts as plain pairs. */
export interface WorkerReply extends Omit<FileOutcome, 'sources'> {
  index: number;
  texts: [string, string][];
}

export interface WorkerTask {
  first: number;
  paths: string[];
}

/** Worker threads for a run: one fewer than the threads wanted, since the main thread lints too. */
export function workerCount(pool: LintPool | undefined, files: number): number {
  if (!pool) return 0;
  const threads =
    pool.jobs ??
    Math.max(1, Math.min(availableParallelism(), MAX_AUTO_THREADS, Math.floor(files / FILES_PER_THREAD)));
  return Math.max(0, Math.min(threads, files) - 1);
}

/**
 * Lints `paths` on `count` workers and calls `take` in input order. A path for which `skip` is true
 * when its turn comes is not reported (its result, if it was linted ahead of time, is dropped).
 * With `lintHere`, the main thread lints files too whenever it would otherwise wait (one fewer
 * worker's memory for the same speed). Returns how many paths were dealt with: all of them, or
 * fewer if a worker failed (the caller lints the rest itself).
 */
export function lintInWorkers(
  pool: LintPool,
  count: number,
  paths: readonly string[],
  skip: (path: string) => boolean,
  take: (outcome: FileOutcome, path: string) => void,
  lintHere?: (path: string) => FileOutcome,
): number {
  const signal = new Int32Array(new SharedArrayBuffer(8));
  // small chunks keep the workers evenly loaded; not so small that messages dominate
  const chunk = Math.max(1, Math.min(16, Math.ceil(paths.length / (count * 8))));
  const workers = Array.from({ length: count }, () => {
    const { port1, port2 } = new MessageChannel();
    const data: WorkerData = {
      ciLintWorker: {
        entry: pool.entry.href,
        options: pool.options,
        signal: signal.buffer as SharedArrayBuffer,
        port: port2,
      },
    };
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: data,
      transferList: [port2],
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    worker.unref();
    return { worker, port: port1, inFlight: 0 };
  });
  const ready = new Map<number, FileOutcome>();
  let next = 0;
  let emitted = 0;
  const feed = (w: (typeof workers)[number]) => {
    while (w.inFlight < 2 * chunk && next < paths.length) {
      const task: WorkerTask = { first: next, paths: [] };
      while (task.paths.length < chunk && next < paths.length) {
        // an include already known is not linted at all; later ones are dropped at their turn
        if (skip(paths[next]!)) task.paths.push('');
        else task.paths.push(paths[next]!);
        next++;
      }
      w.inFlight += task.paths.length;
      w.port.postMessage(task);
    }
  };
  try {
    for (const w of workers) feed(w);
    while (emitted < paths.length) {
      const seen = Atomics.load(signal, REPLIES);
      if (Atomics.load(signal, FAILED) !== 0) return emitted;
      let got = false;
      for (const w of workers) {
        for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port)) {
          const { index, texts, ...outcome } = m.message as WorkerReply;
          w.inFlight--;
          if (index >= emitted) ready.set(index, { ...outcome, sources: Sources.of(texts) });
          got = true;
        }
      }
      while (emitted < paths.length) {
        if (skip(paths[emitted]!)) {
          ready.delete(emitted++);
          continue;
        }
        const outcome = ready.get(emitted);
        if (!outcome) break;
        ready.delete(emitted);
        take(outcome, paths[emitted++]!);
      }
      for (const w of workers) feed(w);
      if (got || emitted >= paths.length) continue;
      if (lintHere && next < paths.length) {
        const index = next++;
        if (!skip(paths[index]!)) ready.set(index, lintHere(paths[index]!));
      } else if (Atomics.wait(signal, REPLIES, seen, pool.silenceMs ?? WORKER_SILENCE_MS) === 'timed-out')
        return emitted; // the caller lints the rest itself
    }
    return emitted;
  } finally {
    for (const w of workers) {
      w.port.postMessage(null);
      w.port.close();
      void w.worker.terminate();
    }
  }
}
