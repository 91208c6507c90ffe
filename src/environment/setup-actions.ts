/**
 * Steps that change which Python later steps of a GitHub job run, as data with sources. A Python
 * put first on PATH by one of these is not the system's, so pip there is not refused (unless a
 * command reaches past it: `sudo`, `/usr/bin/python3`, `uv pip --system` on a venv, …).
 */

export type SetupEffect =
  /** An unmanaged interpreter is first on PATH for later steps. */
  | { kind: 'python'; by: string }
  /** A virtual environment is active for later steps (its directory). */
  | { kind: 'venv'; by: string; dir: string }
  /** Only in login shells (`bash -l {0}`, `bash -el {0}`) is the environment activated. */
  | { kind: 'login-shell-env'; by: string }
  /** Some Python-related action we do not know: later steps' Python is unknown. */
  | { kind: 'unknown'; by: string }
  /**
   * Later steps whose `shell:` program is `shellName` run in another system set up on the runner
   * (a chroot, MSYS2): its Python is the `image`'s, or unknown for the reason given.
   */
  | ({
      kind: 'system';
      by: string;
      shellName: string;
      /** A script the action itself runs in that system first, and the input it comes from. */
      setup?: { input: string; script: string };
    } & ({ image: string } | { unknownBecause: string }));

export interface SetupActionKnowledge {
  action: string;
  effect: (inputs: ReadonlyMap<string, string>) => SetupEffect | null;
  source: string;
}

const truthy = (v: string | undefined) => v !== undefined && /^(true|yes|1)$/i.test(v.trim());

/** jirutka/setup-alpine's `branch:` as the alpine image of that release (the knowledge is by image). */
function alpineImage(branch: string): string {
  const b = branch.trim();
  if (b === '' || b === 'latest-stable') return 'alpine:latest';
  const version = /^v(\d+\.\d+)$/.exec(b);
  return `alpine:${version ? version[1] : b}`;
}

export const SETUP_ACTIONS: SetupActionKnowledge[] = [
  {
    action: 'actions/setup-python',
    effect: () => ({ kind: 'python', by: 'actions/setup-python' }),
    source:
      'https://github.com/actions/setup-python/issues/952 (maintainer: the toolcache Python is isolated from the system Python)',
  },
  {
    action: 'astral-sh/setup-uv',
    effect: (inputs) =>
      truthy(inputs.get('activate-environment'))
        ? {
            kind: 'venv',
            by: 'astral-sh/setup-uv with activate-environment',
            dir: inputs.get('working-directory') ? `${inputs.get('working-directory')}/.venv` : '.venv',
          }
        : null,
    source: 'https://github.com/astral-sh/setup-uv#activate-environment; warpdotdev/oz-for-oss#246',
  },
  {
    action: 'conda-incubator/setup-miniconda',
    effect: () => ({ kind: 'login-shell-env', by: 'conda-incubator/setup-miniconda' }),
    source: 'https://github.com/conda-incubator/setup-miniconda#important (use a login shell: bash -el {0})',
  },
  {
    action: 'mamba-org/setup-micromamba',
    effect: () => ({ kind: 'login-shell-env', by: 'mamba-org/setup-micromamba' }),
    source: 'https://github.com/mamba-org/setup-micromamba (shell: bash -el {0} or micromamba-shell {0})',
  },
  {
    action: 'prefix-dev/setup-pixi',
    effect: (inputs) =>
      truthy(inputs.get('activate-environment'))
        ? { kind: 'python', by: 'prefix-dev/setup-pixi with activate-environment' }
        : null,
    source: 'https://github.com/prefix-dev/setup-pixi#environment-activation',
  },
  {
    action: 'jirutka/setup-alpine',
    // alpine.sh exports the step's whole environment into the chroot and runs the script with
    // /bin/sh as the runner user (`--root`: as root): Alpine's python3, whatever is on the host
    effect: (inputs) => {
      const packages = inputs.get('packages')?.trim().split(/\s+/).join(' ');
      return {
        kind: 'system',
        by: 'jirutka/setup-alpine',
        shellName: inputs.get('shell-name')?.trim() || 'alpine.sh',
        image: alpineImage(inputs.get('branch') ?? ''),
        ...(packages ? { setup: { input: 'packages', script: `apk add --update-cache ${packages}` } } : {}),
      };
    },
    source:
      'https://github.com/jirutka/setup-alpine (action.yml: branch defaults to latest-stable, shell-name to alpine.sh; setup-alpine.sh: `apk add --update-cache $packages` in the chroot; alpine.sh: chroot, `export` into it)',
  },
  {
    action: 'msys2/setup-msys2',
    effect: () => ({
      kind: 'system',
      by: 'msys2/setup-msys2',
      shellName: 'msys2',
      unknownBecause:
        'the step runs in MSYS2, whose Pythons are marked externally managed but whose MINGW pip only warns when CI is set (msys2/MSYS2-packages#4762, msys2/MINGW-packages#22382, #27642); ci-lint does not model which pip the step runs',
    }),
    source:
      'https://github.com/msys2/MINGW-packages/pull/27642; https://github.com/msys2/MSYS2-packages/pull/4762',
  },
];

/** Action names that suggest a Python change we do not model (then later steps are unknown). */
const PYTHONISH = /python|pyenv|conda|mamba|pixi|setup-uv|rye|pdm|poetry|hatch|deadsnakes/i;

export function setupEffect(uses: string, inputs: ReadonlyMap<string, string>): SetupEffect | null {
  const name = uses.replace(/@.*$/, '').toLowerCase();
  const row = SETUP_ACTIONS.find((a) => a.action === name);
  if (row) return row.effect(inputs);
  if (name.startsWith('./') || name.startsWith('docker://')) return null;
  return PYTHONISH.test(name) ? { kind: 'unknown', by: uses } : null;
}
