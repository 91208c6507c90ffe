/**
 * Files a script writes that change what later commands see: `$GITHUB_ENV` and `$GITHUB_PATH`
 * (GitHub hands them to the next steps: docs.github.com, "Workflow commands", environment files)
 * and pip's configuration files (`/etc/pip.conf`, `~/.config/pip/pip.conf`, `~/.pip/pip.conf`,
 * `$PIP_CONFIG_FILE`), written with `echo`/`printf`/`cat <<EOF` redirections or `… | tee FILE`.
 */
import type { Action } from '../shell/classify.ts';
import { type Command, writesOutputTo } from '../shell/commands.ts';
import { pipBoolean } from './pip-target.ts';

export interface FileWrite {
  /** The target as written (`$GITHUB_ENV`, `/etc/pip.conf`, `~/.config/pip/pip.conf`). */
  target: string;
  text: string;
}

/** What `echo`, `printf` or `cat <<EOF` print, as written (variables unexpanded). */
export function printedText(command: Command, action: Action): string | undefined {
  if (action.kind !== 'other') return undefined;
  const args = command.argv.slice(1).map((w) => w.value);
  if (action.name === 'echo') {
    const escapes = args[0] !== undefined && /^-[nE]*e[nE]*$/.test(args[0]);
    const text = args.filter((a, i) => !(i === 0 && /^-[neE]+$/.test(a))).join(' ');
    return escapes ? text.replace(/\\n/g, '\n') : text;
  }
  if (action.name === 'printf' && args[0] !== undefined) {
    let k = 1;
    return args[0].replace(/%[sb]/g, () => args[k++] ?? '').replace(/\\n/g, '\n');
  }
  if (action.name === 'cat') return command.redirects.find((r) => r.heredoc)?.heredoc?.body;
  return undefined;
}

/**
 * The address a download prints to standard output (`curl -sSL URL`, `wget -qO- URL`), for a
 * pipeline that runs it (`… | python3 -`); undefined when it saves to a file instead.
 */
export function downloadedUrl(command: Command, action: Action): string | undefined {
  if (action.kind !== 'other' || (action.name !== 'curl' && action.name !== 'wget')) return undefined;
  const args = command.argv.slice(1).map((w) => w.value);
  const url = args.find((a) => /^https?:\/\//.test(a));
  if (action.name === 'curl') {
    const toFile = args.some(
      (a, i) =>
        /^--(output|remote-name|remote-name-all|output-dir)(=|$)/.test(a) ||
        (/^-[a-zA-Z]*[oO][a-zA-Z]*$/.test(a) && !(a.endsWith('o') && args[i + 1] === '-')),
    );
    return toFile ? undefined : url;
  }
  // wget saves to a file unless told `-O -`
  const toStdout = args.some(
    (a, i) =>
      /^-[a-zA-Z]*O-$/.test(a) ||
      a === '--output-document=-' ||
      (/^-[a-zA-Z]*O$/.test(a) && args[i + 1] === '-'),
  );
  return toStdout ? url : undefined;
}

/** A redirection (`>`, `>>`) or `tee [-a] FILE` that writes text to a file. */
export function fileWrite(command: Command, action: Action, piped: string | undefined): FileWrite | null {
  const redirect = command.redirects.find(writesOutputTo);
  const text = printedText(command, action);
  if (redirect && text !== undefined) return { target: redirect.target.value, text };
  if (action.kind === 'other' && action.name === 'tee' && piped !== undefined) {
    const target = command.argv.slice(1).find((w) => !w.value.startsWith('-'));
    if (target) return { target: target.value, text: piped };
  }
  return null;
}

const GITHUB_FILE = /^\$\{?GITHUB_(ENV|PATH)\}?$/;

export function githubFile(write: FileWrite): 'env' | 'path' | null {
  const m = GITHUB_FILE.exec(write.target);
  return m ? (m[1] === 'ENV' ? 'env' : 'path') : null;
}

/** `NAME=value` lines and `NAME<<DELIM … DELIM` blocks of a `$GITHUB_ENV` write. */
export function parseEnvLines(text: string): [string, string][] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const out: [string, string][] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const multi = /^([A-Za-z_][A-Za-z0-9_]*)<<(\S+)$/.exec(line);
    if (multi) {
      const end = lines.indexOf(multi[2]!, i + 1);
      out.push([multi[1]!, lines.slice(i + 1, end === -1 ? undefined : end).join('\n')]);
      i = end === -1 ? lines.length : end;
      continue;
    }
    const eq = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (eq) out.push([eq[1]!, eq[2]!]);
  }
  return out;
}

/** pip's configuration files (pip docs, "Configuration": site, user and legacy user files). */
const PIP_CONF =
  /^(\/etc\/pip\.conf|\/etc\/xdg\/pip\/pip\.conf|(~|\$\{?HOME\}?|\/root)\/\.config\/pip\/pip\.conf|(~|\$\{?HOME\}?|\/root)\/\.pip\/pip\.conf|\$\{?PIP_CONFIG_FILE\}?|\$\{?VIRTUAL_ENV\}?\/pip\.conf)$/;

/**
 * The sections of a pip config file write that set `break-system-packages`, each with its value:
 * `[global]` reaches every pip command, `[install]` only `pip install` (pip-behaviour.md rule 3, C03).
 * Lines before any section header count as `[global]` (appended to a file that already has one).
 * `configFile` is PIP_CONFIG_FILE's value, when set: pip reads that file too (C01).
 */
export function pipConfSettings(write: FileWrite, configFile?: string): PipConfSetting[] {
  const named = configFile !== undefined && projectPath(write.target) === projectPath(configFile);
  if (!PIP_CONF.test(write.target) && !named) return [];
  const settings: PipConfSetting[] = [];
  let section = 'global';
  for (const line of write.text.split('\n')) {
    // pip reads the sections named exactly so: `[Install]` and `[global ]` are others (measured)
    const header = /^\s*\[([^\]]*)\]\s*$/.exec(line);
    if (header) section = header[1]!;
    // configparser takes `key = value` and `key: value`
    const key = /^\s*break[-_]system[-_]packages\s*[=:]\s*(\S*)\s*$/i.exec(line);
    if (key) settings.push({ section, on: pipBoolean(key[1]!) === true });
  }
  return settings;
}

/** A path as written, without the spellings of the project folder the job starts in (`$PWD/`, `./`). */
function projectPath(path: string): string {
  return path.replace(/^(\$\{?(PWD|CI_PROJECT_DIR|GITHUB_WORKSPACE)\}?\/|\.\/)/, '');
}

/** `break-system-packages` set in one section of a pip config file: on, off, or taken out (null). */
export interface PipConfSetting {
  section: string;
  on: boolean | null;
}
