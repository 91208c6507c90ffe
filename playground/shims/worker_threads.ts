/**
 * node:worker_threads for the playground: the engine only starts workers for large runs of files on
 * disk, which the browser never makes; using one here is a bug, said plainly.
 */
function unavailable(): never {
  throw new Error('worker threads are not available in the browser');
}

export class Worker {
  constructor() {
    unavailable();
  }
}
export class MessageChannel {
  constructor() {
    unavailable();
  }
}
export type MessagePort = never;
export const receiveMessageOnPort = unavailable;
