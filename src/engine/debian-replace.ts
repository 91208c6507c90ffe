/**
 * Replacing what apt installed, under the override. Debian 13's pip (25.1.1) will not uninstall a
 * distribution apt put in /usr/lib/python3/dist-packages: its `.dist-info` has no RECORD and its
 * INSTALLER says `debian`, so `pip install -U pip`, `--force-reinstall wheel` or pip-sync stop with
 * "error: uninstall-no-record-file", override or not (indirect-pip.md N06, T08, rule 5). setuptools
 * is an `.egg-info`: pip does uninstall it, deleting files dpkg owns (N07). Debian 12's pip skips
 * such distributions ("Not uninstalling … outside environment /usr") and goes on. `--ignore-installed`
 * avoids the uninstall on both (N08). Re-measured for issue 11 in a minbase trixie root: pip, wheel
 * and packaging refused, setuptools deleted; every `.dist-info` there lacks RECORD.
 */
import type { PythonEnvironment } from '../environment/resolve.ts';
import { requirementName } from '../shell/pip.ts';
import type { JobAnalysis, Step } from './simulate.ts';

/** Releases measured to refuse replacing an apt-installed distribution: Debian 13. */
export function refusesReplacingDebianPackages(env: PythonEnvironment): boolean {
  return env.knowledge?.release.startsWith('Debian 13') === true;
}

/**
 * Whether the release may refuse, measured or not: Debian 13, or a Debian whose release is not pinned
 * to 12 or older (`rust:latest` and `gcc:latest` follow the newest stable, testing, or an apt-installed
 * python3-pip on an image of unknown release). The override fix adds `--ignore-installed` there too,
 * since it avoids the refusal on 13 and the uninstall on 12 alike (N08); the rule reports only Debian 13.
 */
export function mayRefuseReplacingDebianPackages(env: PythonEnvironment): boolean {
  if (refusesReplacingDebianPackages(env)) return true;
  if (env.distro !== 'debian') return false;
  const release = env.knowledge?.release;
  return release === undefined || !/^Debian (12 \(|11 or older)/.test(release);
}

/** What python3-pip brings on Debian 13 (Depends: python3-wheel, which depends on python3-packaging). */
const WITH_PIP = ['pip', 'wheel', 'packaging'];
/** apt-installed distributions shipped as `.egg-info`, which pip removes instead of refusing (N07). */
const EGG_INFO = new Set(['setuptools']);

const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

export interface DebianReplacement {
  /** Distributions pip refuses to uninstall (the install fails). */
  refused: string[];
  /** Distributions pip uninstalls by deleting files dpkg owns (the install passes). */
  deleted: string[];
}

/**
 * The apt-installed distributions a `pip install -U|--force-reinstall` names, which pip would have to
 * uninstall first; null when the call replaces none (`--ignore-installed`, no upgrade, other names).
 */
export function debianDistributionsReplaced(step: Step, analysis: JobAnalysis): DebianReplacement | null {
  const a = step.action;
  if (a.kind !== 'pip' || a.args.subcommand !== 'install' || a.args.ignoreInstalled) return null;
  if (!(a.args.upgrade || a.args.forceReinstall)) return null;
  const fromApt = new Set(WITH_PIP);
  for (const install of analysis.installs)
    if (install.manager === 'apt')
      for (const p of install.packages) {
        const m = /^python3-([a-z0-9][a-z0-9.+-]*?)(?:[:=].*)?$/.exec(p);
        if (m) fromApt.add(normalise(m[1]!));
      }
  const named = [...new Set(a.args.packages.map((w) => normalise(requirementName(w.value))))];
  const replaced = named.filter((n) => fromApt.has(n));
  if (replaced.length === 0) return null;
  return {
    refused: replaced.filter((n) => !EGG_INFO.has(n)),
    deleted: replaced.filter((n) => EGG_INFO.has(n)),
  };
}
