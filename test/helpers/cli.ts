/** Runs the real CLI in a child process (TypeScript sources through tsx), as a user would. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'src/cli.ts');
// resolved here, not from the child's working directory (tests run it in scratch folders)
const TSX = import.meta.resolve('tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs the CLI with the reading end of its stdout or stderr closed before it starts, as when the
 * reader (`| head`) has already gone: its next write there meets EPIPE.
 */
export function runCliWithClosedOutput(
  closed: 'stdout' | 'stderr',
  args: string[],
  options: { cwd?: string } = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  child[closed].destroy();
  let output = '';
  const open = closed === 'stdout' ? child.stderr : child.stdout;
  open.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

/**
 * Runs the CLI with a terminal for its stdout (util-linux `script`), as a user at a shell: colours
 * are judged there. Undefined where `script` is missing or cannot open a terminal (a container
 * without /dev/pts). The CLI gets only PATH, HOME and `env`: Node also reads CI, TMUX,
 * COLORTERM, TERM_PROGRAM, NODE_DISABLE_COLORS and FORCE_COLOR (which the test runner passes on)
 * when it judges a terminal, and a CI machine sets CI=true, under which Node sees no colours.
 */
export function runCliOnTerminal(args: string[], env: NodeJS.ProcessEnv): CliResult | undefined {
  if (spawnSync('script', ['-qec', 'true', '/dev/null']).status !== 0) return undefined;
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, '--import', TSX, CLI, ...args].map(quote).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A scratch folder with the given files (path → content), removed when the test process ends. */
export function scratch(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ci-lint-test-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}
