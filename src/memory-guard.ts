/**
 * A file too large to lint in the memory node has ends in an error for that file, not in V8 aborting
 * the whole run ("FATAL ERROR: Reached heap limit … JavaScript heap out of memory"), which no
 * try/catch can catch. The loops that grow with a file (its jobs, their analysis) call `checkMemory`
 * as they go; `startFile` marks where a file begins.
 */
import { getHeapStatistics } from 'node:v8';

/** Thrown by `checkMemory`; lintInput turns it into the file's error. */
export class MemoryExhausted extends Error {}

/**
 * The share of the heap still free at a file's start that the file may fill while it is linted. Its
 * report needs about 1.5 times as much again (the report's objects, then its text, two bytes a
 * character once a message has an em dash): at 0.4, files at the edge of it were seen to still run
 * node out of heap while being reported (512 MB heap, 22 500 jobs, SARIF), at 0.3 none were.
 */
const SHARE = 0.3;
/** Reading the heap's statistics costs a microsecond or two; jobs and steps cost far more. */
const CHECK_EVERY = 32;

let ticks = 0;
let allowed = Number.POSITIVE_INFINITY;

export function startFile(): void {
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  // what was in use at the start may be garbage of earlier files, not yet collected: the file gets a
  // share of what is left, so that garbage never makes a small file look large
  allowed = used + SHARE * Math.max(0, limit - used);
  ticks = 0;
}

export function checkMemory(): void {
  if (++ticks % CHECK_EVERY !== 0) return;
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  if (used <= allowed) return;
  const mb = (n: number) => Math.round(n / 2 ** 20);
  throw new MemoryExhausted(
    `file is too large to lint in the memory available: node's heap reached ${mb(used)} of its ${mb(limit)} MB part way through; ` +
      `give it more (e.g. NODE_OPTIONS=--max-old-space-size=${2 ** Math.ceil(Math.log2(mb(limit) * 2))}) or split the file`,
  );
}
