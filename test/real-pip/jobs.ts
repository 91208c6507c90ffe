/**
 * What the real-pip proofs (test/real-pip.test.ts on this Debian 12 host, test/real-pip-debian13.test.ts
 * in a Debian 13 root) share: reading a job's needs from the engine's own parser, the scratch project,
 * the per-line bash scripts a job runs as, running them in a sandbox and reading the results back.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withProgramExpanded } from '../../src/engine/program-variable.ts';
import type { Finding } from '../../src/model/finding.ts';
import type { Job, Shell, Variable } from '../../src/model/job.ts';
import { classify } from '../../src/shell/classify.ts';
import { basename as commandName, parseCommands } from '../../src/shell/commands.ts';
import { PYTHON_NAME, parsePythonArgs } from '../../src/shell/pip.ts';

const SHELL_NAMES = new Set(['sh', 'bash', 'dash']);
const PEP668 = /externally-managed-environment/;
/** What a line flagged by each rule prints when the job stops there (the measured error text). */
export const REFUSALS: Record<string, RegExp> = {
  'pip-install-system-python': PEP668,
  'indirect-pip-system-python': PEP668,
  'pip-user-install-managed': PEP668,
  'sudo-pip-system': PEP668,
  'relies-on-runner-pip-override': PEP668,
  // pip's refusal, or flit's own root check first (indirect-pip.md U07)
  'override-dropped-by-sudo': /externally-managed-environment|RootInstallError/,
  'override-cannot-replace-debian-package': /error: uninstall-no-record-file[\s\S]*installed by debian/,
  'ensurepip-disabled': /ensurepip is disabled in Debian\/Ubuntu for the system python/,
  'get-pip-on-managed-python': /externally-managed-environment|error: uninstall-no-record-file/,
  'pip-require-virtualenv': /Could not find an activated virtualenv \(required\)/,
};

/** The scratch project (a flit project, as in the seed case). */
export const PROJECT_MODULE = 'metalfinder';
export const PROJECT_SCRIPT = 'metalfinder';

/**
 * A command that needs files of the real repository (a Makefile target, a script of its own), not
 * a program of the image or one the job installs: `make deps`, `./ci/setup.sh`, `python3 tools/x.py`.
 * Paths into a venv the job makes (`.venv/bin/pip`) are fine.
 */
export function repositoryContent(shells: Shell[]): string | undefined {
  const venvs: string[] = [];
  for (const shell of shells)
    for (const line of shell.lines)
      for (const cmd of parseCommands(line.text)) {
        const action = classify(cmd);
        if (action.kind === 'venv-create') venvs.push(action.dir.replace(/\/+$/, ''));
        const program = cmd.argv[0]?.value ?? '';
        const inVenv = venvs.some((v) => program.startsWith(`${v}/`));
        const script = PYTHON_NAME.test(commandName(program)) || SHELL_NAMES.has(commandName(program));
        const args = cmd.argv.slice(1).map((w) => w.value);
        const runsFile =
          script &&
          !args.some((a) => a === '-c' || a === '-m' || /^-[A-Za-z]*[cm]/.test(a)) &&
          args.some((a) => !a.startsWith('-'));
        if (
          action.kind === 'make' ||
          (action.kind === 'other' && program.includes('/') && !program.startsWith('/') && !inVenv)
        )
          return line.text;
        if (runsFile) return line.text;
      }
  return undefined;
}

export function aptPackages(shells: ShellLike[]): string[] {
  const out: string[] = [];
  for (const shell of shells)
    for (const line of shell.lines)
      for (const cmd of parseCommands(line.text)) {
        const action = classify(cmd);
        if (action.kind === 'package-install' && action.manager === 'apt')
          out.push(...action.packages.map((w) => w.value.replace(/[=:].*$/, '')));
      }
  return [...new Set(out)];
}

const dependsCache = new Map<string, string[]>();
/** A package's Depends and Pre-Depends (every alternative), per the dpkg database in `admindir`. */
function depends(pkg: string, admindir: string): string[] {
  const key = `${admindir}\0${pkg}`;
  if (!dependsCache.has(key)) {
    const r = spawnSync(
      'dpkg-query',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
      [`--admindir=${admindir}`, '-W', '-f=${Depends},${Pre-Depends}', pkg],
      { encoding: 'utf8' },
    );
    const names = r.status === 0 ? r.stdout.split(/[,|]/).map((d) => d.trim().replace(/[\s:(].*$/, '')) : [];
    dependsCache.set(
      key,
      names.filter((n) => n !== ''),
    );
  }
  return dependsCache.get(key)!;
}

/** Packages reachable from `roots` through the Depends that `follow` accepts (this host's dpkg by default). */
export function dependencyClosure(
  roots: string[],
  follow: (dep: string) => boolean,
  admindir = '/var/lib/dpkg',
): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const pkg = queue.pop()!;
    if (seen.has(pkg)) continue;
    seen.add(pkg);
    for (const dep of depends(pkg, admindir)) if (follow(dep)) queue.push(dep);
  }
  return seen;
}

/** The script line a finding points into. */
export function lineOf(job: Job, f: Finding) {
  for (const shell of job.shells)
    for (const line of shell.lines)
      if (line.span.path === f.span.path && f.span.start >= line.span.start && f.span.start <= line.span.end)
        return line;
  return undefined;
}

export const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

export interface Needs {
  /** Distributions installed by name (pip install / pipx install). */
  names: Set<string>;
  /** Programs run (first word of a command that is not a path). */
  programs: Set<string>;
  /** Top-level modules run with `python -m`. */
  modules: Set<string>;
  /** Files given to `pip install -r` (relative, literal). */
  requirementFiles: Set<string>;
}

/**
 * What a job's commands install, run and read, from the engine's own parser and classifier; a program
 * named by a variable (`$pip install x`) is expanded from the job's variables and the shell's own
 * `NAME=value` lines, as the engine does.
 */
export function jobNeeds(shells: Shell[], variables?: ReadonlyMap<string, Variable>): Needs {
  const needs: Needs = {
    names: new Set(),
    programs: new Set(),
    modules: new Set(),
    requirementFiles: new Set(),
  };
  for (const shell of shells) {
    const assigned = new Map<string, string>();
    const lookup = (name: string) => assigned.get(name) ?? variables?.get(name)?.value;
    for (const line of shell.lines)
      for (const written of parseCommands(line.text)) {
        const cmd = withProgramExpanded(written, lookup);
        const action = classify(cmd);
        if (action.kind === 'assign') for (const a of action.assignments) assigned.set(a.name, a.value);
        const words =
          action.kind === 'pip' && action.args.subcommand === 'install'
            ? action.args.packages
            : action.kind === 'pipx' && action.subcommand === 'install'
              ? action.packages
              : [];
        for (const w of words) {
          const name = w.value.replace(/[[<>=!~;@ ].*$/, '');
          if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && !w.dynamic) needs.names.add(normalise(name));
        }
        if (action.kind === 'pip')
          for (const r of action.args.requirements)
            if (/^[\w.-]+(?:\/[\w.-]+)*$/.test(r) && !r.split('/').includes('..'))
              needs.requirementFiles.add(r);
        const program = cmd.argv[0]?.value ?? '';
        if (action.kind === 'other' && !program.includes('/')) needs.programs.add(action.name);
        if (PYTHON_NAME.test(commandName(program))) {
          const module = parsePythonArgs(cmd.argv.slice(1)).module?.split('.')[0];
          if (module && /^[A-Za-z_]\w*$/.test(module)) needs.modules.add(module);
        }
      }
  }
  return needs;
}

/** What running needs of a shell: its kind, a label and the lines' text. */
export type ShellLike = Pick<Shell, 'kind' | 'label'> & { lines: { text: string }[] };

export interface LineResult {
  text: string;
  /** null: the line did not run (or ended the shell itself, see `status`). */
  rc: number | null;
  output: string;
}
export interface ShellResult {
  kind: Shell['kind'];
  lines: LineResult[];
  status: number | null;
}
export interface RunResult {
  shells: ShellResult[];
  code: number | null;
  sandboxOutput: string;
  ms: number;
}
export interface Failure {
  shell: Shell['kind'];
  index: number;
  text: string;
  rc: number;
  output: string;
}

export const PYPROJECT = `[build-system]
requires = ["flit_core >=3.2,<4"]
build-backend = "flit_core.buildapi"

[project]
name = "metalfinder"
version = "1.0.0"
description = "The scratch project of ci-lint's real-pip test"

[project.scripts]
metalfinder = "metalfinder:main"
`;
export const MODULE = `"""metalfinder: the scratch project of ci-lint's real-pip test."""


def main():
    print("usage: metalfinder [--help]")
    return 0
`;

/** For jobs that configure a CMake build of the project (no compiler needed). */
export const CMAKELISTS = 'cmake_minimum_required(VERSION 3.13)\nproject(metalfinder NONE)\n';

const UNSHARE = ['--mount', '--net', '--propagation', 'private'];

/** Why this host cannot run sandboxes (private mount and network namespaces, overlayfs), if it cannot. */
export function namespaceProblems(): string[] {
  const ns = spawnSync('unshare', [...UNSHARE, 'true'], { encoding: 'utf8' });
  if (ns.status !== 0)
    return [
      `cannot make private mount/network namespaces (unshare: ${(ns.stderr ?? ns.error?.message ?? '').trim()})`,
    ];
  return readFileSync('/proc/filesystems', 'utf8').includes('overlay') ? [] : ['no overlayfs'];
}

/** Every requirements file the job names (and requirements.txt) holds `text`. */
export function writeRequirements(project: string, files: Iterable<string>, text: string): void {
  for (const file of new Set(['requirements.txt', ...files])) {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), `${text}\n`);
  }
}

/** The scratch project a job runs in: a flit project with a `metalfinder` script and a CMakeLists.txt. */
export function writeProject(project: string): void {
  writeFileSync(join(project, 'pyproject.toml'), PYPROJECT);
  writeFileSync(join(project, `${PROJECT_MODULE}.py`), MODULE);
  writeFileSync(join(project, 'CMakeLists.txt'), CMAKELISTS);
}

/**
 * One bash script per shell of the job, each line's output and exit status in `dir/lines/<shell>-<line>`.
 * GitLab Runner's bash: `set -eo pipefail`, each script item inlined in one process; stopping after
 * any item that exits non-zero is its FF_ENABLE_BASH_EXIT_CODE_CHECK mode, the stricter of the two
 * (a job that passes here passes with the default too).
 */
export function writeShellScripts(dir: string, shells: ShellLike[]): string[] {
  return shells.map((shell, s) => {
    const body = shell.lines.map((line, i) => {
      const base = join(dir, 'lines', `${s}-${i}`);
      return [
        `exec >'${base}.out' 2>&1`,
        line.text,
        '__real_pip_rc=$?',
        `echo "$__real_pip_rc" >'${base}.rc'`,
        '[ "$__real_pip_rc" -eq 0 ] || exit "$__real_pip_rc"',
      ].join('\n');
    });
    const script = join(dir, `shell-${s}.sh`);
    writeFileSync(script, `# ${shell.label}\nset -eo pipefail\nset +o noclobber\n${body.join('\n')}\n`);
    return script;
  });
}

/**
 * Runs `sandbox ARGS… SCRIPT… -- ENV…` in private mount and network namespaces, killed after
 * `timeoutMs`, and reads each line's result back from `dir`.
 */
export function runSandbox(
  sandbox: { script: string; args: string[]; env: Record<string, string> },
  dir: string,
  shells: ShellLike[],
  scripts: string[],
  timeoutMs: number,
): Promise<RunResult> {
  const args = [
    ...UNSHARE,
    'bash',
    sandbox.script,
    ...sandbox.args,
    ...scripts,
    '--',
    ...Object.entries(sandbox.env).map(([k, v]) => `${k}=${v}`),
  ];
  return new Promise<RunResult>((resolve) => {
    const started = Date.now();
    const child = spawn('unshare', args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let sandboxOutput = '';
    child.stdout.on('data', (d) => (sandboxOutput += d));
    child.stderr.on('data', (d) => (sandboxOutput += d));
    const timer = setTimeout(() => {
      sandboxOutput += `\n[real-pip] killed after ${timeoutMs} ms`;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : null);
      const results: ShellResult[] = shells.map((shell, s) => ({
        kind: shell.kind,
        status: ((x) => (x === null ? null : Number(x)))(read(`${scripts[s]}.status`)),
        lines: shell.lines.map((line, i) => {
          const base = join(dir, 'lines', `${s}-${i}`);
          const rc = read(`${base}.rc`);
          return {
            text: line.text,
            rc: rc === null ? null : Number(rc),
            output: read(`${base}.out`) ?? '',
          };
        }),
      }));
      resolve({ shells: results, code, sandboxOutput, ms: Date.now() - started });
    });
  });
}

export function limiter(max: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export function firstFailure(r: RunResult): Failure | undefined {
  for (const shell of r.shells) {
    for (const [index, line] of shell.lines.entries()) {
      if (line.rc !== null && line.rc !== 0)
        return { shell: shell.kind, index, text: line.text, rc: line.rc, output: line.output };
      if (line.rc === null) {
        // the line ended the shell itself (`exit`), or the shell never started
        if (shell.status !== 0)
          return { shell: shell.kind, index, text: line.text, rc: shell.status ?? -1, output: line.output };
        break;
      }
    }
  }
  return undefined;
}

export const tail = (s: string, n = 40) => s.trimEnd().split('\n').slice(-n).join('\n');
export const describeFailure = (f: Failure) =>
  `${f.shell} line ${f.index + 1} \`${f.text}\` exited ${f.rc}; its output ends:\n${tail(f.output)}`;
/** One line, for diagnostics. */
export const briefFailure = (f: Failure) =>
  `${f.shell} line ${f.index + 1} \`${f.text}\` exited ${f.rc}: ${tail(f.output, 1).trim()}`;

/** The sandbox itself did not work (namespaces, overlays): no shell ran. */
export function sandboxBroken(r: RunResult): string | undefined {
  return r.shells.some((s) => s.status === null)
    ? `the sandbox did not run the job (exit ${r.code}):\n${tail(r.sandboxOutput)}`
    : undefined;
}

/** The job's environment is incomplete (an apt package it names is not on this host): not a pass. */
export function hostMissing(r: RunResult): string | undefined {
  const all = [r.sandboxOutput, ...r.shells.flatMap((s) => s.lines.map((l) => l.output))].join('\n');
  return /REAL-PIP-(?:HOST-MISSING|APT-UNSUPPORTED): .*/.exec(all)?.[0];
}

/**
 * The first line whose output carries the error one of its findings predicts, and whether the job
 * stopped before it (then the prediction was not what happened).
 */
export function firstRefusal(r: RunResult, job: Job, findings: Finding[]) {
  for (const [s, shell] of r.shells.entries())
    for (const [i, line] of shell.lines.entries()) {
      const own = findings.filter((f) => lineOf(job, f)?.text === line.text);
      const rule = own.find((f) => REFUSALS[f.rule]?.test(line.output))?.rule;
      // a line that ended the shell has no rc of its own: the shell's status is its exit status
      if (rule) return { shell: s, index: i, line, rule, rc: line.rc ?? shell.status };
      if (line.rc !== 0) return undefined; // stopped (or never ran) before any predicted refusal
    }
  return undefined;
}
