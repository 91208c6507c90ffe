/**
 * Runs each shell of a job "on paper", in script order: which venv is active, which variables are
 * exported, what has been installed. Every command gets a snapshot of that state, so rules can ask
 * "what does pip see here?" without knowing any shell.
 */

import { expandVariables } from '../dialects/variables.ts';
import type { InstallEvidence } from '../environment/resolve.ts';
import type { SetupEffect } from '../environment/setup-actions.ts';
import type { Job, ScriptLine, Shell, Variable } from '../model/job.ts';
import type { Span } from '../model/span.ts';
import { type Action, classify } from '../shell/classify.ts';
import { type Assignment, type Command, parseCommands } from '../shell/commands.ts';
import { isPosixShell } from '../shell/posix.ts';
import type { Word } from '../shell/tokenize.ts';
import { EnvMap } from './env-map.ts';
import {
  type FileWrite,
  fileWrite,
  githubFile,
  parseEnvLines,
  pipConfOverrideWrite,
  printedText,
} from './file-writes.ts';

export interface EnvValue {
  value: string;
  /** `variables` (CI config), `export` (script) … for messages. */
  origin: string;
  span?: Span;
}

export interface ShellState {
  /** The exported environment (what child processes such as pip see). */
  env: EnvMap<EnvValue>;
  /** The active venv's directory as written (`.venv`), or null. */
  venv: { dir: string; span: Span } | null;
  /** A conda/mamba environment is active: its Python is not the system's. */
  conda: boolean;
  /** A Python put first on PATH by a setup step (GitHub `actions/setup-python` …), or one we cannot know. */
  pathPython: { by: string; known: boolean } | null;
  /** Where the `flit` on PATH comes from: the distribution (apt), the active venv (pip), or unknown. */
  flitFrom: 'distro' | 'venv' | 'unknown';
  /** A pip configuration file the job wrote that overrides PEP 668 (what wrote it). */
  pipConf: string | null;
  /** `set +e` is in force: a failing command does not stop the shell. */
  errexitOff: boolean;
  /** The job deleted the EXTERNALLY-MANAGED marker (what did): pip no longer checks (M01). */
  markerGone: string | null;
}

export interface Step {
  shell: Shell;
  line: ScriptLine;
  command: Command;
  action: Action;
  /** State *before* the command runs (its own `VAR=1` prefixes are in `command.assignments`). */
  state: ShellState;
}

export interface JobAnalysis {
  job: Job;
  steps: Step[];
  installs: InstallEvidence[];
  /** `docker run IMAGE cmd` in the job's scripts: each command runs in a container of its own image. */
  containers: JobAnalysis[];
}

/** File span of a command of a script line. */
export function commandSpan(line: ScriptLine, command: Command): Span {
  const start = line.offsets[command.start] ?? line.span.start;
  const last = line.offsets[Math.max(command.end - 1, command.start)] ?? start;
  return { path: line.path, start, end: last + 1 };
}

/** What a GitHub step leaves to the steps after it (GitLab shells share nothing but the job's variables). */
interface Carry {
  /** Variables carried by `$GITHUB_ENV` / `$GITHUB_PATH`. */
  env: EnvMap<EnvValue>;
  /** The job's variables with the carried ones over them: where each step's environment starts. */
  stepEnv: EnvMap<EnvValue>;
  venv: ShellState['venv'];
  pathPython: ShellState['pathPython'];
  /** An environment that only login shells activate (setup-miniconda, setup-micromamba). */
  loginEnv: string | null;
  /** pip config files live on the job's file system, so they outlast the shell that wrote them. */
  pipConf: string | null;
  markerGone: string | null;
}

/** Reads a script the job runs from the repository (`./ci/setup.sh`), as one script line; null if absent. */
export type ScriptLoader = (path: string) => ScriptLine | null;

/** Scripts run inside scripts: deep enough for real projects, bounded against loops. */
const MAX_SCRIPT_DEPTH = 5;

interface Run {
  job: Job;
  shell: Shell;
  steps: Step[];
  installs: InstallEvidence[];
  carry: Carry;
  scripts: ScriptLoader | undefined;
  /** Scripts being run, outermost first (a script that runs itself is not followed again). */
  stack: string[];
  containers: JobAnalysis[];
}

export function analyzeJob(job: Job, scripts?: ScriptLoader): JobAnalysis {
  const steps: Step[] = [];
  const installs: InstallEvidence[] = [];
  let jobEnv = EnvMap.empty<EnvValue>();
  for (const [name, v] of job.variables) jobEnv = jobEnv.set(name, envValue(v, `env: ${name}`));
  const carry: Carry = {
    env: EnvMap.empty(),
    stepEnv: jobEnv,
    venv: null,
    pathPython: null,
    loginEnv: null,
    pipConf: null,
    markerGone: null,
  };
  const containers: JobAnalysis[] = [];
  for (const shell of job.shells) {
    for (const effect of shell.before ?? []) applySetup(carry, effect, job.span);
    let env = carry.stepEnv;
    for (const [name, v] of shell.env ?? []) env = env.set(name, envValue(v, `step env: ${name}`));
    const state: ShellState = {
      env,
      venv: carry.venv,
      conda: false,
      pathPython:
        carry.pathPython ?? (shell.login && carry.loginEnv ? { by: carry.loginEnv, known: true } : null),
      flitFrom: 'unknown',
      pipConf: carry.pipConf,
      errexitOff: false,
      markerGone: carry.markerGone,
    };
    if (!isPosixShell(shell.program)) continue; // pwsh, cmd, python: not shell we can read
    runLines(shell.lines, state, { job, shell, steps, installs, carry, scripts, stack: [], containers });
  }
  return { job, steps, installs, containers };
}

/** A fresh shell in a new container: nothing of the job's shell state comes along. */
const FRESH: ShellState = {
  env: EnvMap.empty(),
  venv: null,
  conda: false,
  pathPython: null,
  flitFrom: 'unknown',
  pipConf: null,
  errexitOff: false,
  markerGone: null,
};

/** The commands of `docker run IMAGE cmd…`, analysed as a job of their own on IMAGE. */
function containerJob(
  run: Run,
  line: ScriptLine,
  command: Command,
  image: Word,
  inner: Word[],
): JobAnalysis | null {
  if (inner.length === 0) return null;
  const start = command.toRoot(inner[0]!.start);
  const end = command.end;
  const imageStart = line.offsets[command.toRoot(image.start)] ?? line.span.start;
  const imageEnd = (line.offsets[command.toRoot(image.end - 1)] ?? imageStart) + 1;
  const job: Job = {
    ...run.job,
    name: `${run.job.name}: docker run ${image.value}`,
    label: `${run.job.label} (docker run ${image.value})`,
    image: {
      name: image.value,
      raw: image.value,
      span: { path: line.path, start: imageStart, end: imageEnd },
      unresolved: [],
      origin: 'docker run',
    },
    variables: new Map(),
    shells: [run.shell],
  };
  delete job.runner;
  delete job.unknownBecause;
  const steps: Step[] = [];
  const installs: InstallEvidence[] = [];
  const inner_: Run = { ...run, job, steps, installs, containers: [], stack: run.stack };
  runCommands(
    line,
    parseCommands(line.text.slice(start, end), (o) => o + start),
    FRESH,
    inner_,
  );
  return { job, steps, installs, containers: [] };
}

/** Simulates script lines from `state`; returns the state they leave behind. */
function runLines(lines: ScriptLine[], start: ShellState, run: Run): ShellState {
  let state = start;
  for (const line of lines) state = runCommands(line, parseCommands(line.text), state, run);
  return state;
}

function runCommands(line: ScriptLine, commands: Command[], start: ShellState, run: Run): ShellState {
  let state = start;
  let piped: string | undefined; // what the previous command of a pipeline printed, for `| tee FILE`
  for (const command of commands) {
    const action = classify(command);
    if (action.kind === 'container-run') {
      const inner = containerJob(run, line, command, action.image, action.command);
      if (inner) run.containers.push(inner);
      continue;
    }
    run.steps.push({ shell: run.shell, line, command, action, state });
    if (action.kind === 'package-install') {
      run.installs.push({
        manager: action.manager,
        packages: packageNames(action.packages, state.env),
        span: commandSpan(line, command),
      });
    }
    const write = fileWrite(command, action, command.before === '|' ? piped : undefined);
    if (write && run.shell.kind === 'step')
      carryGithubFile(run.carry, write, state, commandSpan(line, command));
    if (action.kind === 'marker-removed') {
      run.carry.markerGone = `${action.path} was removed earlier in the job`;
      state = { ...state, markerGone: run.carry.markerGone };
    }
    if ((write && pipConfOverrideWrite(write)) || pipConfigSet(action)) {
      run.carry.pipConf = write ? `${write.target} written by the job` : '`pip config set` by the job';
      state = { ...state, pipConf: run.carry.pipConf };
    }
    piped = command.after === '|' ? printedText(command, action) : undefined;
    const called = scriptCall(command, action);
    const script =
      called && run.scripts && run.stack.length < MAX_SCRIPT_DEPTH ? run.scripts(called.path) : null;
    if (called && script && !run.stack.includes(script.path)) {
      // a sourced script runs in this shell; an executed one in a child that inherits the
      // exported environment (an activated venv included) and hands nothing back
      const after = runLines([script], called.sourced ? state : { ...state, errexitOff: false }, {
        ...run,
        stack: [...run.stack, script.path],
      });
      if (called.sourced) state = after;
      continue;
    }
    state = next(state, action, command, line);
  }
  return state;
}

/** `./ci/setup.sh`, `bash ci/setup.sh`, `source tools/env.sh`: a script from the repository. */
function scriptCall(command: Command, action: Action): { path: string; sourced: boolean } | null {
  if (action.kind !== 'other') return null;
  const argv = command.argv.map((w) => w.value);
  const plain = (p: string | undefined) =>
    p?.replace(/^\$\{?(CI_PROJECT_DIR|GITHUB_WORKSPACE|PWD)\}?\//, '').replace(/^\.\//, '');
  if (action.name === '.' || action.name === 'source') {
    const path = plain(argv[1]);
    return path && !path.includes('$') ? { path, sourced: true } : null;
  }
  if (['bash', 'sh', 'dash', 'zsh'].includes(action.name)) {
    const args = argv.slice(1);
    if (args.some((a) => /^-[a-z]*c/.test(a))) return null; // `bash -c` strings are parsed elsewhere
    const path = plain(args.find((a) => !a.startsWith('-')));
    return path && !path.includes('$') ? { path, sourced: false } : null;
  }
  const argv0 = argv[0] ?? '';
  if (!argv0.includes('/') || argv0.startsWith('/') || (argv0.includes('$') && !plain(argv0))) return null;
  const path = plain(argv0);
  return path && !path.includes('$') ? { path, sourced: false } : null;
}

function envValue(v: Variable, origin: string): EnvValue {
  const value: EnvValue = { value: v.value, origin };
  if (v.span) value.span = v.span;
  return value;
}

function applySetup(carry: Carry, effect: SetupEffect, span: Span) {
  switch (effect.kind) {
    case 'python':
      carry.pathPython = { by: effect.by, known: true };
      carry.venv = null;
      break;
    case 'venv':
      carry.venv = { dir: effect.dir, span };
      break;
    case 'login-shell-env':
      carry.loginEnv = effect.by;
      break;
    case 'unknown':
      carry.pathPython = { by: effect.by, known: false };
      break;
  }
}

/** `pip config set global.break-system-packages true` (also `install.`): a persistent override (C06). */
function pipConfigSet(action: Action): boolean {
  if (action.kind !== 'pip' || action.args.subcommand !== 'config') return false;
  const [verb, key, value] = action.args.packages.map((w) => w.value);
  return (
    verb === 'set' &&
    /^(global|install)\.break[-_]system[-_]packages$/.test(key ?? '') &&
    /^(true|yes|on|1)$/i.test(value ?? '')
  );
}

/** `$GITHUB_ENV` / `$GITHUB_PATH` writes: variables and PATH entries for the steps after this one. */
function carryGithubFile(carry: Carry, write: FileWrite, state: ShellState, span: Span) {
  const file = githubFile(write);
  if (file === 'path') {
    for (const line of write.text.split('\n').map((l) => expandSelf(l.trim(), state.env))) {
      if (line === '') continue;
      const dir = venvOnPath(line);
      if (dir) carry.venv = { dir, span };
      // later steps find programs there too (`$HOME/.local/bin` for pipx)
      const path = carry.env.get('PATH')?.value ?? state.env.get('PATH')?.value ?? '$PATH';
      carrySet(carry, 'PATH', { value: `${line}:${path}`, origin: '$GITHUB_PATH', span });
    }
    return;
  }
  if (file !== 'env') return;
  for (const [name, raw] of parseEnvLines(write.text)) {
    // `echo "PATH=$PATH" >> $GITHUB_ENV` after activating a venv hands the venv on
    if (name === 'PATH' && /\$\{?PATH\}?/.test(raw) && state.venv) carry.venv = state.venv;
    carrySet(carry, name, { value: expandSelf(raw, state.env), origin: `$GITHUB_ENV ${name}`, span });
    if (name === 'PATH') {
      const dir = venvOnPath(expandSelf(raw, state.env));
      if (dir) carry.venv = { dir, span };
    }
  }
}

function carrySet(carry: Carry, name: string, value: EnvValue) {
  carry.env = carry.env.set(name, value);
  carry.stepEnv = carry.stepEnv.set(name, value);
}

function next(state: ShellState, action: Action, command: Command, line: ScriptLine): ShellState {
  switch (action.kind) {
    // a freshly activated (or left) venv has no flit of its own; the distribution's stays on PATH
    case 'activate':
      return {
        ...state,
        venv: { dir: action.dir, span: commandSpan(line, command) },
        flitFrom: keepDistroFlit(state),
      };
    case 'deactivate':
      return { ...state, venv: null, flitFrom: keepDistroFlit(state) };
    case 'conda-activate':
      return { ...state, conda: true };
    case 'export': {
      const env = withAssignments(state.env, action.assignments, 'export', line);
      const path = env.get('PATH');
      const venvBin = path && path !== state.env.get('PATH') ? venvOnPath(path.value) : undefined;
      if (venvBin) return { ...state, env, venv: { dir: venvBin, span: commandSpan(line, command) } };
      return { ...state, env };
    }
    case 'assign': {
      // A bare `X=1` only reaches child processes when X is already exported.
      const exported = action.assignments.filter((a) => state.env.has(a.name));
      return exported.length > 0
        ? { ...state, env: withAssignments(state.env, exported, 'assignment', line) }
        : state;
    }
    case 'unset': {
      let env = state.env;
      for (const n of action.names) env = env.delete(n);
      return { ...state, env };
    }
    case 'package-install':
      if (action.packages.some((w) => w.value === 'flit' || w.value === 'python3-flit'))
        return { ...state, flitFrom: 'distro' };
      return state;
    case 'pip':
      if (
        state.venv &&
        action.args.subcommand === 'install' &&
        action.args.packages.some((w) => /^flit([<>=!~[]|$)/.test(w.value))
      ) {
        return { ...state, flitFrom: 'venv' };
      }
      return state;
    case 'other':
      return action.name === 'set'
        ? { ...state, errexitOff: errexitAfter(command, state.errexitOff) }
        : state;
    default:
      return state;
  }
}

/** `set +e` / `set +o errexit` turn stopping on errors off; `set -e`, `set -eo pipefail` turn it on. */
function errexitAfter(command: Command, current: boolean): boolean {
  let off = current;
  const args = command.argv.slice(1).map((w) => w.value);
  args.forEach((a, i) => {
    if (/^[-+][a-zA-Z]*e/.test(a) && !a.startsWith('--')) off = a.startsWith('+');
    if ((a === '-o' || a === '+o') && args[i + 1] === 'errexit') off = a === '+o';
  });
  return off;
}

/** Package words as the shell passes them: an unquoted `$DEPS` is expanded and split on blanks. */
function packageNames(words: Word[], env: EnvMap<EnvValue>): string[] {
  return words.flatMap((w) => {
    if (!w.dynamic || w.quoted) return [w.value];
    return expandVariables(w.value, (name) => env.get(name)?.value)
      .value.split(/\s+/)
      .filter(Boolean);
  });
}

const keepDistroFlit = (state: ShellState): ShellState['flitFrom'] =>
  state.flitFrom === 'distro' ? 'distro' : 'unknown';

function withAssignments(
  env: EnvMap<EnvValue>,
  assignments: Assignment[],
  origin: string,
  line: ScriptLine,
): EnvMap<EnvValue> {
  let out = env;
  for (const a of assignments) {
    const start = line.offsets[a.word.start] ?? line.span.start;
    const end = (line.offsets[Math.max(a.word.end - 1, a.word.start)] ?? start) + 1;
    out = out.set(a.name, {
      value: expandSelf(a.value, env),
      origin: `${origin} ${a.name}`,
      span: { path: line.path, start, end },
    });
  }
  return out;
}

/** `$PATH`-style references to the previous value, so `PATH=/x/bin:$PATH` keeps working. */
function expandSelf(value: string, env: EnvMap<EnvValue>): string {
  return value.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (whole, name: string) => env.get(name)?.value ?? whole,
  );
}

/** The venv directory whose `bin` leads PATH, if PATH was pointed into one. */
function venvOnPath(path: string): string | undefined {
  const first = path.split(':')[0] ?? '';
  const m = /^(.*?)\/bin\/?$/.exec(first);
  if (!m) return undefined;
  const dir = m[1]!.replace(/^\$\{?PWD\}?\//, '').replace(/^\$\{?CI_PROJECT_DIR\}?\//, '');
  return /(^|\/)\.?(venv|virtualenv|env|\.venv)[^/]*$/i.test(dir) ? dir : undefined;
}
