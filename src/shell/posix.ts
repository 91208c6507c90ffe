/** Shells whose scripts ci-lint can read (POSIX sh and its relatives); pwsh, cmd or python are not. */
const POSIX_SHELLS = new Set(['bash', 'sh', 'dash', 'zsh', 'ksh', 'ash']);

export const isPosixShell = (program: string) => POSIX_SHELLS.has(program);
