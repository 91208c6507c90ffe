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
let floor = 0;

export function startFile(): void {
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  ticks = 0;
  floor = Number.POSITIVE_INFINITY;
  allow(used, limit);
}

/**
 * The file gets a share of what is free above `base`. What was in use at the file's start may be
 * garbage of earlier files not yet collected (a file given up as too large leaves all of its own), so
 * the base only ever moves down: to the lowest use seen while the file is linted, after the collector
 * has run. Judged from the start alone, a file after such garbage was allowed most of the heap and
 * ran node out of it (128 MB heap, four 20 000-job files).
 */
function allow(base: number, limit: number): void {
  if (base >= floor) return;
  floor = base;
  allowed = base + SHARE * Math.max(0, limit - base);
}

export function checkMemory(): void {
  if (++ticks % CHECK_EVERY !== 0) return;
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  allow(used, limit);
  if (used <= allowed) return;
  const mb = (n: number) => Math.round(n / 2 ** 20);
  throw new MemoryExhausted(
    `file is too large to lint in the memory available: node's heap reached ${mb(used)} of its ${mb(limit)} MB part way through; ` +
      `give it more (e.g. NODE_OPTIONS=--max-old-space-size=${2 ** Math.ceil(Math.log2(mb(limit) * 2))}) or split the file`,
  );
}
