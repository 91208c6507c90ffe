/** node:os for the playground: one thread (a pasted document is never linted on worker threads). */
export const availableParallelism = (): number => 1;
