/**
 * Runs each shell of a job "on paper", in script order: which venv is active, which variables are
 * exported, what has been installed. Every command gets a snapshot of that state, so rules can ask
 * "what does pip see here?" without knowing any shell.
 */

import { expandVariables, fullyKnown } from '../dialects/variables.ts';
import type { InstallEvidence } from '../environment/resolve.ts';
import type { SetupEffect } from '../environment/setup-actions.ts';
import { checkMemory } from '../memory-guard.ts';
import type { Job, ScriptLine, Shell, Variable } from '../model/job.ts';
import type { Span } from '../model/span.ts';
import { type Action, classify } from '../shell/classify.ts';
import { type Assignment, type Command, inShellString, parseCommands } from '../shell/commands.ts';
import { functionsRunningArguments, mayDefineFunction } from '../shell/functions.ts';
import { resolvePath } from '../shell/paths.ts';
import { isPosixShell } from '../shell/posix.ts';
import type { Word } from '../shell/tokenize.ts';
import { EnvMap } from './env-map.ts';
import {
  downloadedUrl,
  type FileWrite,
  fileWrite,
  githubFile,
  type PipConfSetting,
  parseEnvLines,
  pipConfSettings,
  printedText,
} from './file-writes.ts';
import { mayRun } from './known-branches.ts';
import { makeRecipes } from './makefile.ts';
import { removedMarker } from './marker.ts';
import { type InstallCheck, type PlatformPip, pipBoolean } from './pip-target.ts';
import { withProgramExpanded } from './program-variable.ts';

export interface EnvValue {
  value: string;
  /** `variables` (CI config), `export` (script) … for messages. */
  origin: string;
  span?: Span;
}

/**
 * `break-system-packages` in the pip config files the job wrote, by section (`global`, `install` …):
 * on or off, and what wrote it. pip reads a command's own section over `[global]` (rule 3, C02–C05).
 */
export interface PipConf {
  sections: ReadonlyMap<string, { on: boolean; said: string }>;
}

export interface ShellState {
  /** The exported environment (what child processes such as pip see). */
  env: EnvMap<EnvValue>;
  /** Shell variables set but not exported (`X=1`): `export X` later hands them to child processes. */
  locals: EnvMap<EnvValue>;
  /** The directory the shell is in, relative to the project root (`''`), or null when unknown (shell/paths.ts). */
  cwd: string | null;
  /** The active venv's directory as written (`.venv`), or null. */
  venv: { dir: string; span: Span } | null;
  /** A conda/mamba environment is active: its Python is not the system's. */
  conda: boolean;
  /** A Python put first on PATH by a setup step (GitHub `actions/setup-python` …), or one we cannot know. */
  pathPython: { by: string; known: boolean } | null;
  /** Where the `flit` on PATH comes from: the distribution (apt), the active venv (pip), or unknown. */
  flitFrom: 'distro' | 'venv' | 'unknown';
  /** `break-system-packages` in the pip configuration files the job wrote, by section. */
  pipConf: PipConf | null;
  /** `poetry config virtualenvs.create false`: poetry then works on the Python it runs with (what said so). */
  poetryNoVenv: string | null;
  /** `set +e` is in force: a failing command does not stop the shell. */
  errexitOff: boolean;
  /** The job deleted an EXTERNALLY-MANAGED marker: pip no longer checks that Python (M01). */
  markerGone: MarkerGone | null;
  /** An unconditional `exit` ended the shell: nothing after it runs. */
  exited?: boolean;
}

export interface Step {
  shell: Shell;
  line: ScriptLine;
  command: Command;
  action: Action;
  /** State *before* the command runs (its own `VAR=1` prefixes are in `command.assignments`). */
  state: ShellState;
  /** pip-target.ts's verdict on this step, once asked for (rules ask a dozen times): see checkInstall. */
  verdict: StepVerdict | undefined;
}

/**
 * A cached verdict names the step and platform it is for: a step copied with changes (`{ ...step,
 * state }`) carries the original's cache along, and must not take it for its own.
 */
export interface StepVerdict {
  step: Step;
  platform: PlatformPip;
  check: Readonly<InstallCheck> | null;
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
  return textSpan(line, command);
}

/** A [start, end) range of a script line's text: a command's or a word's. */
interface TextRange {
  start: number;
  end: number;
}

/** File span of a range of a script line's text. */
function textSpan(line: ScriptLine, { start: from, end }: TextRange): Span {
  // a word left open by an unterminated quote runs to the text's end: not onto its line break
  let to = end;
  while (to > from + 1 && line.text[to - 1] === '\n') to--;
  const start = line.offsets[from] ?? line.span.start;
  const last = line.offsets[Math.max(to - 1, from)] ?? start;
  return { path: line.path, start, end: last + 1 };
}

/**
 * textSpan, worked out when first read. The simulation notes where every venv, variable and
 * install comes from, but few of those places are ever shown, and a span needs the line's offset
 * map, which is made on demand (dialects/script-line.ts). Own getters, so a copy (spread, JSON,
 * a message to another thread) carries the numbers.
 */
function spanWhenRead(line: ScriptLine, range: TextRange): Span {
  let span: Span | undefined;
  const resolved = () => {
    span ??= textSpan(line, range);
    return span;
  };
  return {
    path: line.path,
    get start() {
      return resolved().start;
    },
    get end() {
      return resolved().end;
    },
  };
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
  pipConf: PipConf | null;
  poetryNoVenv: string | null;
  markerGone: MarkerGone | null;
  /** Containers the job started with `docker run --name NAME IMAGE`, for a later `docker exec NAME`. */
  named: Map<string, JobAnalysis>;
}

/**
 * Reads a file the job runs from the repository, as one script line; null if absent: a shell script
 * (`./ci/setup.sh`), or a makefile (`make install`).
 */
export type ScriptLoader = (path: string, kind?: 'shell' | 'makefile') => ScriptLine | null;

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
  /** Functions defined in the shell that run their arguments (`retry "$@"`): looked through like wrappers. */
  wrapperFunctions: ReadonlySet<string>;
  /** Parses of script text, shared by the jobs of one pipeline (see ParsedScripts). */
  parsed: ParsedScripts;
}

/**
 * Script text already parsed, by text: jobs share most of theirs (`default: before_script`, anchors,
 * `extends`, the same step in every workflow job), and a parse depends on nothing else when the
 * shell defines no wrapper function. Commands are never changed once parsed, so sharing is safe.
 */
export type ParsedScripts = Map<string, Command[]>;

export function analyzeJob(job: Job, scripts?: ScriptLoader, parsed: ParsedScripts = new Map()): JobAnalysis {
  const steps: Step[] = [];
  const installs: InstallEvidence[] = [];
  let jobEnv = EnvMap.empty<EnvValue>();
  for (const [name, v] of job.variables) jobEnv = jobEnv.set(name, envValue(v, whereSet(v.origin, job)));
  const carry: Carry = {
    env: EnvMap.empty(),
    stepEnv: jobEnv,
    venv: null,
    pathPython: null,
    loginEnv: null,
    pipConf: null,
    poetryNoVenv: null,
    markerGone: null,
    named: new Map(),
  };
  const containers: JobAnalysis[] = [];
  const systems = new Map<string, OtherSystem>();
  for (const shell of job.shells) {
    for (const effect of shell.before ?? []) {
      if (effect.kind === 'system') systems.set(effect.shellName, otherSystem(job, effect));
      else applySetup(carry, effect, job.span);
    }
    let env = carry.stepEnv;
    for (const [name, v] of shell.env ?? []) env = env.set(name, envValue(v, "set in the step's env"));
    const run: Run = {
      job,
      shell,
      steps,
      installs,
      carry,
      scripts,
      stack: [],
      containers,
      wrapperFunctions: new Set(),
      parsed,
    };
    const system = systems.get(shell.program);
    if (system) {
      runInSystem(system, env, shell, run);
      continue;
    }
    const state: ShellState = {
      env,
      locals: EnvMap.empty(),
      cwd: resolvePath('', shell.workingDirectory ?? '.'),
      venv: carry.venv,
      conda: false,
      pathPython:
        carry.pathPython ?? (shell.login && carry.loginEnv ? { by: carry.loginEnv, known: true } : null),
      flitFrom: 'unknown',
      pipConf: carry.pipConf,
      poetryNoVenv: carry.poetryNoVenv,
      errexitOff: false,
      markerGone: carry.markerGone,
    };
    if (!isPosixShell(shell.program)) continue; // pwsh, cmd, python: not shell we can read
    runLines(shell.lines, state, run);
  }
  return { job, steps, installs, containers };
}

/**
 * A system an action set up on the runner, whose shell later steps name (`shell: alpine.sh {0}`):
 * judged as a job of its own on its image, like a `docker run` container. What its steps write to
 * its own file system (pip config, the removed marker) stays there, from step to step.
 */
interface OtherSystem {
  analysis: JobAnalysis;
  files: OwnFiles;
}

/** A marker the job removed: what says so, and the Python version whose marker it was, if named. */
export interface MarkerGone {
  said: string;
  version: string | undefined;
}

/** What a container or another system keeps on its own file system, apart from the job's. */
interface OwnFiles {
  pipConf: PipConf | null;
  poetryNoVenv: string | null;
  markerGone: MarkerGone | null;
}

const NO_OWN_FILES: Readonly<OwnFiles> = { pipConf: null, poetryNoVenv: null, markerGone: null };

/** Runs `body` with `files` in the carry's place; what it writes stays in `files`, the job's come back. */
function onOwnFiles(carry: Carry, files: OwnFiles, body: () => void): void {
  const job: OwnFiles = {
    pipConf: carry.pipConf,
    poetryNoVenv: carry.poetryNoVenv,
    markerGone: carry.markerGone,
  };
  Object.assign(carry, files);
  body();
  files.pipConf = carry.pipConf;
  files.poetryNoVenv = carry.poetryNoVenv;
  files.markerGone = carry.markerGone;
  Object.assign(carry, job);
}

function otherSystem(job: Job, effect: Extract<SetupEffect, { kind: 'system' }>): OtherSystem {
  const inner: Job = {
    ...job,
    name: `${job.name}: ${effect.shellName}`,
    label: `${job.label} (shell ${effect.shellName} of ${effect.by})`,
    variables: new Map(),
    shells: [],
  };
  delete inner.runner;
  delete inner.image;
  delete inner.unknownBecause;
  if ('image' in effect)
    inner.image = { name: effect.image, raw: effect.image, unresolved: [], origin: effect.by };
  else inner.unknownBecause = effect.unknownBecause;
  return {
    analysis: { job: inner, steps: [], installs: [], containers: [] },
    files: { ...NO_OWN_FILES },
  };
}

/**
 * A step run in another system: the step's whole environment comes along (setup-alpine's alpine.sh
 * exports it into the chroot) and so does a venv on PATH (its `bin/python` points at `/usr/bin/python3`,
 * which the system has too), but not the runner's Python, its pip config or its marker.
 */
function runInSystem(system: OtherSystem, env: EnvMap<EnvValue>, shell: Shell, outer: Run): void {
  const { analysis } = system;
  if (!outer.containers.includes(analysis)) outer.containers.push(analysis);
  analysis.job.shells.push(shell);
  const start: ShellState = {
    ...FRESH,
    ...system.files,
    env,
    cwd: resolvePath('', shell.workingDirectory ?? '.'),
    venv: outer.carry.venv,
  };
  onOwnFiles(outer.carry, system.files, () =>
    runLines(shell.lines, start, {
      ...outer,
      job: analysis.job,
      steps: analysis.steps,
      installs: analysis.installs,
      containers: [],
    }),
  );
}

/** A fresh shell in a new container: nothing of the job's shell state comes along. */
const FRESH: ShellState = {
  env: EnvMap.empty(),
  locals: EnvMap.empty(),
  cwd: null,
  venv: null,
  conda: false,
  pathPython: null,
  flitFrom: 'unknown',
  pipConf: null,
  poetryNoVenv: null,
  errexitOff: false,
  markerGone: null,
};

/**
 * A container the job starts with `docker run IMAGE`: a job of its own on IMAGE, with no steps yet.
 * An image named with variables (`debian:$TAG`) is read with the shell's values; one that stays
 * unresolved leaves the container's Python unknown.
 */
function containerAnalysis(
  run: Run,
  line: ScriptLine,
  command: Command,
  image: Word,
  lookup: (name: string) => string | undefined,
): JobAnalysis {
  const imageStart = line.offsets[command.toRoot(image.start)] ?? line.span.start;
  const imageEnd = (line.offsets[command.toRoot(image.end - 1)] ?? imageStart) + 1;
  const expanded = image.dynamic
    ? expandVariables(image.value, lookup)
    : { value: image.value, unresolved: [] };
  const job: Job = {
    ...run.job,
    name: `${run.job.name}: docker run ${expanded.value}`,
    label: `${run.job.label} (docker run ${expanded.value})`,
    variables: new Map(),
    shells: [run.shell],
  };
  delete job.runner;
  delete job.unknownBecause;
  delete job.image;
  if (fullyKnown(expanded))
    job.image = {
      name: expanded.value,
      raw: image.value,
      span: { path: line.path, start: imageStart, end: imageEnd },
      unresolved: [],
      origin: 'docker run',
    };
  else job.unknownBecause = `docker run's image ${image.value} is named by a variable ci-lint cannot resolve`;
  return { job, steps: [], installs: [], containers: [] };
}

/**
 * `inner` (the command given to `docker run` or `docker exec`) in a fresh shell of the container: only
 * the `-e NAME=value` / `-e NAME` (the shell's value) variables come along; what earlier commands
 * installed in the same container is still there.
 */
function runInContainer(
  run: Run,
  container: JobAnalysis,
  line: ScriptLine,
  command: Command,
  inner: Word[],
  env: string[],
  state: ShellState,
): void {
  if (inner.length === 0) return;
  let given = EnvMap.empty<EnvValue>();
  for (const e of env) {
    const eq = e.indexOf('=');
    const name = eq === -1 ? e : e.slice(0, eq);
    const value = eq === -1 ? state.env.get(e)?.value : e.slice(eq + 1);
    if (value !== undefined) given = given.set(name, { value, origin: `docker -e ${name}` });
  }
  if (!run.containers.includes(container)) run.containers.push(container);
  const start = command.toRoot(inner[0]!.start);
  const commands = parseCommands(line.text.slice(start, command.end), {
    toRoot: (o) => o + start,
    wrapperFunctions: run.wrapperFunctions,
  });
  // docker runs the words themselves; only what a shell in the container runs (`sh -c '…'`) is shell
  // text (a `$( … )` in the words is the outer shell's, and its statement is the argument list's)
  for (const c of commands) if (!inShellString(c)) c.inArgv = true;
  // what the container writes to its own file system (a pip config, the removed marker) stays there
  onOwnFiles(run.carry, { ...NO_OWN_FILES }, () =>
    runCommands(
      line,
      commands,
      { ...FRESH, env: given },
      { ...run, job: container.job, steps: container.steps, installs: container.installs, containers: [] },
    ),
  );
}

const NO_FUNCTIONS: ReadonlySet<string> = new Set();

/** Simulates script lines from `state`; returns the state they leave behind. */
function runLines(lines: ScriptLine[], start: ShellState, outer: Run): ShellState {
  let state = start;
  const defined = lines.some((l) => mayDefineFunction(l.text))
    ? functionsRunningArguments(lines.map((l) => l.text).join('\n'))
    : NO_FUNCTIONS;
  const run =
    defined.size === 0
      ? outer
      : { ...outer, wrapperFunctions: new Set([...outer.wrapperFunctions, ...defined]) };
  const options = { wrapperFunctions: run.wrapperFunctions };
  const parse = (text: string) => {
    if (run.wrapperFunctions.size > 0) return parseCommands(text, options);
    let commands = run.parsed.get(text);
    if (!commands) {
      commands = parseCommands(text);
      run.parsed.set(text, commands);
    }
    return commands;
  };
  for (const line of lines) {
    if (state.exited) break;
    checkMemory();
    state = runCommands(line, parse(line.text), state, run);
  }
  return state;
}

function runCommands(line: ScriptLine, commands: Command[], start: ShellState, run: Run): ShellState {
  let state = start;
  let piped: string | undefined; // what the previous command of a pipeline printed, for `| tee FILE`
  let fetched: string | undefined; // the address it downloaded to its output, for `| python3 -`
  let open: number[] = []; // the subshells the previous command ran in
  const before = new Map<number, ShellState>(); // the shell's state as each subshell started
  for (const written of commands) {
    if (state.exited) break;
    const lookup = (name: string) => (state.locals.get(name) ?? state.env.get(name))?.value;
    const command = withProgramExpanded(written, lookup);
    const within = command.subshells;
    let same = 0;
    while (same < open.length && open[same] === within[same]) same++;
    if (same < open.length) state = leaveSubshell(state, before.get(open[same]!)!);
    for (const id of within.slice(same)) before.set(id, state);
    open = within;
    // a `case` or `if` branch that the known values do not choose never runs
    if (command.branch && !mayRun(command, lookup)) continue;
    const fed = command.before === '|' ? { text: piped, url: fetched } : {};
    let action = classify(command, fed.url ? { url: fed.url } : undefined);
    piped = command.after === '|' ? printedText(command, action) : undefined;
    fetched = command.after === '|' ? downloadedUrl(command, action) : undefined;
    if (action.kind === 'container-run') {
      const container = containerAnalysis(run, line, command, action.image, lookup);
      if (action.name) run.carry.named.set(action.name, container);
      runInContainer(run, container, line, command, action.command, action.env, state);
      continue;
    }
    const started = action.kind === 'container-exec' ? run.carry.named.get(action.container) : undefined;
    if (started && action.kind === 'container-exec') {
      runInContainer(run, started, line, command, action.command, action.env, state);
      continue;
    }
    // `docker exec` into a container the job did not start here: its Python is not known
    if (action.kind === 'container-exec') action = { kind: 'remote', via: action.via };
    run.steps.push({ shell: run.shell, line, command, action, state, verdict: undefined });
    if (action.kind === 'package-install') {
      run.installs.push({
        manager: action.manager,
        packages: packageNames(action.packages, state.env),
        span: spanWhenRead(line, command),
      });
    }
    const write = fileWrite(command, action, fed.text);
    if (write && run.shell.kind === 'step')
      carryGithubFile(run.carry, write, state, spanWhenRead(line, command));
    const removed = action.kind === 'marker-removed' ? removedMarker(command, line.text) : undefined;
    if (removed) {
      run.carry.markerGone = {
        said: `${removed.path} was removed earlier in the job`,
        version: removed.version,
      };
      state = { ...state, markerGone: run.carry.markerGone };
    }
    const settings = write
      ? pipConfSettings(write, state.env.get('PIP_CONFIG_FILE')?.value)
      : pipConfigSetting(action);
    if (settings.length > 0) {
      const said = write ? `${write.target} written by the job` : '`pip config set` by the job';
      run.carry.pipConf = withSettings(run.carry.pipConf, settings, said);
      state = { ...state, pipConf: run.carry.pipConf };
    }
    // poetry keeps its configuration in a file (the user's, or the project's with --local)
    const venvs = poetryVenvsSetting(command, action);
    if (venvs !== undefined) {
      run.carry.poetryNoVenv = venvs ? null : '`poetry config virtualenvs.create false` earlier in the job';
      state = { ...state, poetryNoVenv: run.carry.poetryNoVenv };
    }
    if (action.kind === 'make' && runMake(action, state, run)) continue;
    const called = scriptCall(command, action);
    // a relative path is read from the directory the shell is in
    const path = called ? resolvePath(state.cwd, called.path) : null;
    const script =
      path !== null && run.scripts && run.stack.length < MAX_SCRIPT_DEPTH ? run.scripts(path) : null;
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
  return open.length > 0 ? leaveSubshell(state, before.get(open[0]!)!) : state;
}

/**
 * Back in the shell that started a subshell: the process's own state (variables, venv, directory,
 * `set +e`) is as it was; what the subshell wrote to disk (pip config, the removed marker) stays.
 */
function leaveSubshell(inside: ShellState, outside: ShellState): ShellState {
  return {
    ...inside,
    ...pick(outside, 'env', 'locals', 'venv', 'conda', 'cwd', 'errexitOff', 'pathPython', 'exited'),
  };
}

function pick<T, K extends keyof T>(from: T, ...keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = from[k];
  return out;
}

const MAKEFILES = ['GNUmakefile', 'makefile', 'Makefile'];

/**
 * `make install`: the recipe lines it runs, each in a shell of its own that inherits the exported
 * environment and hands nothing back. False when no makefile could be read (nothing to follow).
 */
function runMake(action: Extract<Action, { kind: 'make' }>, state: ShellState, run: Run): boolean {
  if (!run.scripts || action.dryRun || run.stack.length >= MAX_SCRIPT_DEPTH) return false;
  const dir = action.directory ?? '.';
  for (const name of action.file ? [action.file] : MAKEFILES) {
    const path = resolvePath(state.cwd, name.startsWith('/') ? name : `${dir}/${name}`);
    const file = path === null ? null : run.scripts(path, 'makefile');
    if (!file) continue;
    const key = `${file.path} ${action.targets.join(' ')}`;
    if (run.stack.includes(key)) return true;
    const recipeDir = resolvePath(state.cwd, dir);
    const inner = { ...run, stack: [...run.stack, key] };
    for (const recipe of makeRecipes(file, action.targets, new Map(action.variables)))
      runLines([recipe.line], { ...state, cwd: recipeDir, errexitOff: recipe.ignoreErrors }, inner);
    return true;
  }
  return false;
}

/**
 * `./ci/setup.sh`, `bash ci/setup.sh`, `source tools/env.sh`: a script from the repository, its path as
 * written (resolvePath tells whether it is in the project).
 */
function scriptCall(command: Command, action: Action): { path: string; sourced: boolean } | null {
  if (action.kind !== 'other') return null;
  const argv = command.argv.map((w) => w.value);
  if (action.name === '.' || action.name === 'source')
    return argv[1] ? { path: argv[1], sourced: true } : null;
  if (['bash', 'sh', 'dash', 'zsh'].includes(action.name)) {
    const args = argv.slice(1);
    if (args.some((a) => /^-[a-z]*c/.test(a))) return null; // `bash -c` strings are parsed elsewhere
    const path = args.find((a) => !a.startsWith('-'));
    return path ? { path, sourced: false } : null;
  }
  const argv0 = argv[0] ?? '';
  return argv0.includes('/') ? { path: argv0, sourced: false } : null;
}

/** Where a CI variable was set, in the words of its dialect (for messages: "PIP_USER=1 (set in …)"). */
function whereSet(origin: Variable['origin'], job: Job): string {
  // GitHub's shells are its run: steps; GitLab calls its variables variables
  const gitlab = !job.shells.some((s) => s.kind === 'step');
  switch (origin) {
    case 'global':
      return "set in the pipeline's top-level variables";
    case 'workflow':
      return "set in the workflow's env";
    case 'default':
      return 'set in default: variables';
    case 'job':
      return gitlab ? "set in the job's variables" : "set in the job's env";
    case 'matrix':
      return 'set by the matrix';
    case 'step':
      return "set in the step's env";
    case 'runner':
      return 'set by the runner';
    case 'container':
      return "set in the container's env";
  }
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

/**
 * What `poetry config virtualenvs.create …` says: false (also `--local`, `0`, `no` …), true, or back to
 * the default with `--unset` (true); undefined for any other command.
 */
function poetryVenvsSetting(command: Command, action: Action): boolean | undefined {
  if (action.kind !== 'poetry' || action.subcommand !== 'config') return undefined;
  const words = command.argv.map((w) => w.value);
  const k = words.indexOf('virtualenvs.create');
  if (k === -1) return undefined;
  if (words.includes('--unset')) return true;
  const value = pipBoolean(words[k + 1] ?? '');
  return value === 'invalid' ? undefined : value;
}

/** `pip config set global.break-system-packages true` (or `install.`, `false`), `pip config unset …`: C06. */
function pipConfigSetting(action: Action): PipConfSetting[] {
  if (action.kind !== 'pip' || action.args.subcommand !== 'config') return [];
  const [verb, key, value] = action.args.packages.map((w) => w.value);
  const name = /^([^.]+)\.break[-_]system[-_]packages$/i.exec(key ?? '');
  if (!name) return [];
  if (verb === 'unset') return [{ section: name[1]!, on: null }];
  if (verb !== 'set' || value === undefined) return [];
  return [{ section: name[1]!, on: pipBoolean(value) === true }];
}

/** The job's pip config after `settings`: the last word on a section stands (what said it kept). */
function withSettings(conf: PipConf | null, settings: PipConfSetting[], said: string): PipConf {
  const sections = new Map(conf?.sections);
  for (const { section, on } of settings)
    if (on === null) sections.delete(section);
    else sections.set(section, { on, said });
  return { sections };
}

/** `$GITHUB_ENV` / `$GITHUB_PATH` writes: variables and PATH entries for the steps after this one. */
function carryGithubFile(carry: Carry, write: FileWrite, state: ShellState, span: Span) {
  const file = githubFile(write);
  if (file === 'path') {
    for (const line of write.text.split('\n').map((l) => expandSelf(l.trim(), state.env))) {
      if (line === '') continue;
      const dir = venvOnPath(line);
      if (dir) carry.venv = { dir, span };
      // `echo "$VIRTUAL_ENV/bin" >> $GITHUB_PATH`: the venv this shell activated
      else if (/^\$\{?VIRTUAL_ENV\}?\/bin\/?$/.test(line) && state.venv) carry.venv = state.venv;
      else carry.pathPython = pythonOnPath(line) ?? carry.pathPython;
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
    const value = expandSelf(raw, state.env);
    carrySet(carry, name, { value, origin: `$GITHUB_ENV ${name}`, span });
    if (name === 'PATH') {
      const dir = venvOnPath(value);
      if (dir) carry.venv = { dir, span };
      else carry.pathPython = pythonOnPath(value) ?? carry.pathPython;
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
        venv: { dir: action.dir, span: spanWhenRead(line, command) },
        flitFrom: keepDistroFlit(state),
      };
    case 'deactivate':
      return { ...state, venv: null, flitFrom: keepDistroFlit(state) };
    case 'conda-activate':
      return { ...state, conda: true };
    case 'python-manager-hook':
      return { ...state, pathPython: { by: action.by, known: false } };
    case 'cd':
      return { ...state, cwd: resolvePath(state.cwd, action.dir) };
    case 'export': {
      let base = state.env;
      for (const n of action.names) {
        const local = state.locals.get(n);
        if (local) base = base.set(n, local);
      }
      const env = withAssignments(base, action.assignments, 'export', line);
      return withPath({ ...state, env }, state, spanWhenRead(line, command));
    }
    case 'assign': {
      // A bare `X=1` only reaches child processes when X is already exported (or `export X` follows);
      // PATH always is, from the environment the shell started with
      const isExported = (a: Assignment) => state.env.has(a.name) || a.name === 'PATH';
      const exported = action.assignments.filter(isExported);
      const local = action.assignments.filter((a) => !isExported(a));
      const after = {
        ...state,
        env: withAssignments(state.env, exported, 'assignment', line),
        locals: withAssignments(state.locals, local, 'assignment', line),
      };
      return withPath(after, state, spanWhenRead(line, command));
    }
    case 'unset': {
      let env = state.env;
      let locals = state.locals;
      for (const n of action.names) {
        env = env.delete(n);
        locals = locals.delete(n);
      }
      return { ...state, env, locals };
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
      if (action.name === 'set') return { ...state, errexitOff: errexitAfter(command, state.errexitOff) };
      // `exit` ends the shell, unless it sits in a branch, a loop, a function or after `&&`/`||`
      if (action.name === 'exit' && !command.conditional) return { ...state, exited: true };
      return state;
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
    out = out.set(a.name, {
      value: expandSelf(a.value, env),
      origin: `${origin} ${a.name}`,
      span: spanWhenRead(line, a.word),
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

/** The state after a command that may have changed PATH: a venv's or another Python's bin first. */
function withPath(after: ShellState, before: ShellState, span: Span): ShellState {
  const path = after.env.get('PATH');
  if (!path || path === before.env.get('PATH')) return after;
  const venv = venvOnPath(path.value);
  if (venv) return { ...after, venv: { dir: venv, span } };
  const python = pythonOnPath(path.value);
  return python ? { ...after, pathPython: python } : after;
}

/** The venv directory whose `bin` leads PATH, if PATH was pointed into one. */
function venvOnPath(path: string): string | undefined {
  const first = path.split(':')[0] ?? '';
  const m = /^(.*?)\/bin\/?$/.exec(first);
  if (!m) return undefined;
  const dir = m[1]!.replace(/^\$\{?PWD\}?\//, '').replace(/^\$\{?CI_PROJECT_DIR\}?\//, '');
  return /(^|\/)\.?(venv|virtualenv|env|\.venv)[^/]*$/i.test(dir) ? dir : undefined;
}

/** A conda installation (or one of its environments), as its folder is usually named. */
const CONDA_DIR =
  /((^|\/)(\.?(mini|ana)conda\d*|miniforge\d*|mambaforge|conda)|^\$\{?(CONDA|CONDA_PREFIX)\}?)(\/envs\/[^/]+)?$/i;

/**
 * Another Python than the system's whose `bin` leads PATH: conda's, which has no marker (environments.md,
 * conda row), or pyenv's shims, which run whichever version pyenv selects (the system's included).
 */
function pythonOnPath(path: string): ShellState['pathPython'] {
  const first = (path.split(':')[0] ?? '').replace(/\/$/, '');
  if (/(^|\/)\.pyenv\/shims$|^\$\{?PYENV_ROOT\}?\/shims$/.test(first))
    return { by: `pyenv's shims (${first})`, known: false };
  const bin = /^(.*)\/bin$/.exec(first)?.[1];
  return bin !== undefined && CONDA_DIR.test(bin) ? { by: `conda (${first})`, known: true } : null;
}
