/**
 * node:fs for the playground: the browser has no files. Reads fail as a missing file does (so an
 * include or a script file is reported "not found", as the CLI would for a file that is not there),
 * nothing exists, and writes are refused (the playground only shows diffs).
 */
function missing(path: unknown): never {
  throw Object.assign(new Error(`ENOENT: no such file or directory, '${String(path)}'`), { code: 'ENOENT' });
}

export const existsSync = (_path: unknown): boolean => false;
export const readFileSync = missing;
export const readdirSync = missing;
export const realpathSync = missing;
export const statSync = missing;
export const openSync = missing;
export const closeSync = missing;
export const fsyncSync = missing;
export const writeSync = missing;
export const renameSync = missing;
export const unlinkSync = missing;
export const accessSync = missing;
export const fchownSync = missing;
export const constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 };
