/**
 * Which Python does a job start with, and is it externally managed? From the image (or a declared
 * default), the knowledge table, the user's own declarations, and evidence in the script itself
 * (`apt-get install python3-pip` proves a Debian-family system Python even when the image is unknown).
 */
import type { EnvironmentSummary } from '../model/finding.ts';
import type { ImageRef, RunnerRef } from '../model/job.ts';
import type { Span } from '../model/span.ts';
import type { PackageManager } from '../shell/classify.ts';
import { hasVariable, type ParsedImage, parseImage } from './image-name.ts';
import { type Distro, type ImageKnowledge, lookupImage } from './knowledge.ts';
import { lookupRunner, RETIRED_LABELS, type RunnerKnowledge } from './runners.ts';

export interface ImageDeclaration {
  managed: boolean;
  python?: string;
  pip?: string;
}

export interface EnvironmentOptions {
  /** Image to assume when a job names none (`--default-image`, config `default-image`). */
  defaultImage?: string;
  /** `images:` from the config: glob pattern → what the user says about it. */
  declarations?: { pattern: string; matches: (image: string) => boolean; declaration: ImageDeclaration }[];
}

/** A package install seen in the job's scripts. */
export interface InstallEvidence {
  manager: PackageManager;
  packages: string[];
  span: Span;
}

export interface PythonEnvironment {
  managed: 'yes' | 'no' | 'unknown';
  /** `certain` when the image is known; `likely` when only script evidence says so. */
  certainty: 'certain' | 'likely';
  /** Short description for messages: `debian:bookworm (Debian 12 (bookworm), python 3.11)`. */
  description: string;
  image?: string;
  imageSpan?: Span;
  distro?: Distro;
  python?: string;
  /** The distribution pip's version, when known. */
  pip?: string;
  pythonInImage?: boolean | 'unknown';
  knowledge?: ImageKnowledge;
  runner?: RunnerKnowledge;
  /** A pip configuration of the image/runner that overrides PEP 668 for pip (not for uv). */
  pipConfOverride?: string;
  /** `python3 -m venv` works without installing anything (hosted runners have python3-venv). */
  venvReady?: boolean;
  evidence: string[];
}

const PYTHON_PACKAGES: Record<PackageManager, RegExp> = {
  apt: /^(python3(\.\d+)?(-[a-z0-9.-]+)?|python-is-python3|pipx|flit|pipenv|tox|virtualenv)(:[a-z0-9]+)?(=.*)?$/,
  apk: /^(python3|py3-[a-z0-9.-]+|pipx)(=.*)?$/,
  pacman: /^(python|python-[a-z0-9.-]+)$/,
  dnf: /^(python3(\.\d+)?(-[a-z0-9.-]+)?|pipx)$/,
  zypper: /^(python3\d*(-[a-z0-9.-]+)?)$/,
  brew: /^(python(@3(\.\d+)?)?|pipx)$/,
};

export const isPythonPackage = (manager: PackageManager, name: string) => PYTHON_PACKAGES[manager].test(name);

/** What script evidence alone says about the system Python's family. */
const FAMILY_OF: Record<
  PackageManager,
  { distro: Distro; label: string; managed: 'yes' | 'no' } | undefined
> = {
  apt: { distro: 'debian', label: 'a Debian-family system Python (release unknown)', managed: 'yes' },
  apk: { distro: 'alpine', label: 'an Alpine system Python (release unknown)', managed: 'yes' },
  pacman: { distro: 'arch', label: 'an Arch Linux system Python', managed: 'yes' },
  dnf: { distro: 'fedora', label: 'a Fedora/RHEL system Python', managed: 'no' },
  zypper: undefined,
  brew: { distro: 'homebrew', label: 'a Homebrew Python', managed: 'yes' },
};

/**
 * A Debian or Ubuntu release named in an unknown image's tag (`igwn/base:bullseye`,
 * `org/tool:2.1-bookworm`): with apt in the script, the likely release. Debian took up the marker in
 * 12 (bookworm), Ubuntu in 23.04 (lunar) (discuss.python.org/t/10302/69).
 */
const TAG_RELEASES: [RegExp, string, 'yes' | 'no'][] = [
  [/(^|[-_.])(bookworm|trixie|forky|sid)([-_.]|$)/i, 'Debian 12 or later', 'yes'],
  [
    /(^|[-_.])(lunar|mantic|noble|oracular|plucky|questing|resolute)([-_.]|$)/i,
    'Ubuntu 23.04 or later',
    'yes',
  ],
  [/(^|[-_.])(bullseye|buster|stretch|jessie|wheezy)([-_.]|$)/i, 'Debian 11 or older', 'no'],
  [
    /(^|[-_.])(kinetic|jammy|impish|hirsute|groovy|focal|eoan|disco|cosmic|bionic|artful|zesty|yakkety|xenial|trusty)([-_.]|$)/i,
    'Ubuntu 22.10 or older',
    'no',
  ],
];

function releaseInTag(tag: string): { release: string; managed: 'yes' | 'no' } | undefined {
  const hit = TAG_RELEASES.find(([pattern]) => pattern.test(tag));
  if (hit) return { release: hit[1], managed: hit[2] };
  // `…-ubuntu22.04`, `ubuntu-24.04`, `debian12`: the release by its number
  const ubuntu = /(^|[-_.])ubuntu[-_]?(\d\d)\.(\d\d)([-_.]|$)/i.exec(tag);
  if (ubuntu) {
    const newer = Number(ubuntu[2]) * 100 + Number(ubuntu[3]) >= 2304;
    return { release: `Ubuntu ${ubuntu[2]}.${ubuntu[3]}`, managed: newer ? 'yes' : 'no' };
  }
  const debian = /(^|[-_.])debian[-_]?(\d+)([-_.]|$)/i.exec(tag);
  if (debian) return { release: `Debian ${debian[2]}`, managed: Number(debian[2]) >= 12 ? 'yes' : 'no' };
  return undefined;
}

/** The parts of a job that decide its starting Python. */
export interface JobPlatform {
  image?: ImageRef;
  runner?: RunnerRef;
  unknownBecause?: string;
}

export function resolveEnvironment(
  job: JobPlatform,
  installs: InstallEvidence[],
  options: EnvironmentOptions,
): PythonEnvironment {
  const { image, runner, unknownBecause } = job;
  // no container: the steps run on the runner itself
  if (!image && runner) return fromRunner(runner, unknownBecause);
  // an image that may come from an unread include is not guessed, whatever the script installs
  if (!image && unknownBecause)
    return {
      managed: 'unknown',
      certainty: 'likely',
      description: 'unknown image',
      evidence: [unknownBecause],
    };
  const ref = image ?? defaultImageRef(options);
  const pythonInstalls = installs.filter((i) => i.packages.some((p) => isPythonPackage(i.manager, p)));
  const installNote = pythonInstalls.map(
    (i) =>
      `the job installs ${i.packages.filter((p) => isPythonPackage(i.manager, p)).join(' ')} with ${i.manager}`,
  );

  if (ref) {
    const fromImage = fromImageName(ref, options);
    if (fromImage) {
      fromImage.evidence.push(...installNote);
      return fromImage;
    }
  }
  const evidence = ref ? [imageUnknownReason(ref)] : ['the job names no image (the runner decides)'];
  const proof = pythonInstalls
    .map((i) => ({ install: i, family: FAMILY_OF[i.manager] }))
    .find((x) => x.family);
  if (proof?.family) {
    const tagged =
      proof.install.manager === 'apt' && ref ? releaseInTag(parseImage(ref.name).tag) : undefined;
    const env: PythonEnvironment = {
      managed: tagged?.managed ?? proof.family.managed,
      certainty: 'likely',
      description: tagged
        ? `${ref!.name} (a Debian-family system Python, ${tagged.release} by its tag)`
        : ref
          ? `${ref.name} (${proof.family.label})`
          : proof.family.label,
      distro: proof.family.distro,
      evidence: [...evidence, ...installNote],
    };
    if (ref) {
      env.image = ref.name;
      if (ref.span) env.imageSpan = ref.span;
    }
    return env;
  }
  const env: PythonEnvironment = {
    managed: 'unknown',
    certainty: 'likely',
    description: ref?.name ?? 'unknown image',
    evidence,
  };
  if (ref) env.image = ref.name;
  return env;
}

function defaultImageRef(options: EnvironmentOptions): ImageRef | undefined {
  if (!options.defaultImage) return undefined;
  return { name: options.defaultImage, raw: options.defaultImage, unresolved: [], origin: '--default-image' };
}

function imageUnknownReason(ref: ImageRef): string {
  if (ref.unresolved.length > 0)
    return `image ${ref.raw} depends on ${ref.unresolved.map((v) => `$${v}`).join(', ')}, which ci-lint cannot resolve`;
  return `image ${ref.name} is not in ci-lint's knowledge`;
}

/** Image names already looked up: a run names a few images in many jobs. Bounded, for the language server. */
const imageRows = new Map<string, { parsed: ParsedImage; row: ImageKnowledge | undefined }>();
const MAX_IMAGE_ROWS = 4096;

/** The knowledge row for an image name (none for a name that is a variable). */
function knownImage(name: string): { parsed: ParsedImage; row: ImageKnowledge | undefined } {
  let known = imageRows.get(name);
  if (!known) {
    const parsed = parseImage(name);
    const row = hasVariable(parsed.repo)
      ? undefined
      : lookupImage(parsed.repo, parsed.tag, !hasVariable(parsed.tag));
    known = { parsed, row };
    if (imageRows.size >= MAX_IMAGE_ROWS) imageRows.clear();
    imageRows.set(name, known);
  }
  return known;
}

function fromImageName(ref: ImageRef, options: EnvironmentOptions): PythonEnvironment | undefined {
  const declared = options.declarations?.find((d) => d.matches(ref.name));
  const base = { image: ref.name, ...(ref.span ? { imageSpan: ref.span } : {}) };
  if (declared) {
    const d = declared.declaration;
    const env: PythonEnvironment = {
      ...base,
      managed: d.managed ? 'yes' : 'no',
      certainty: 'certain',
      description: `${ref.name} (declared ${d.managed ? 'externally managed' : 'not externally managed'} in config)`,
      evidence: [`config images: "${declared.pattern}" says managed: ${d.managed}`],
      pythonInImage: true,
    };
    if (d.python) env.python = d.python;
    if (d.pip) env.pip = d.pip;
    return env;
  }
  const { parsed, row } = knownImage(ref.name);
  if (!row) return undefined;
  const python = row.python ?? (row.distro === 'python.org' ? pythonFromTag(parsed.tag) : undefined);
  const details = [row.release, python ? `python ${python}` : undefined].filter(Boolean).join(', ');
  const env: PythonEnvironment = {
    ...base,
    managed: row.managed,
    certainty: 'certain',
    description: `${ref.name} (${details})`,
    distro: row.distro,
    pythonInImage: row.pythonInImage,
    knowledge: row,
    evidence: [
      `${ref.name}: ${row.release}${row.managed === 'yes' ? ', externally managed' : ', not externally managed'} (${row.confidence}; ${row.sources[0]})`,
    ],
  };
  if (python) env.python = python;
  if (row.pip) env.pip = row.pip;
  return env;
}

function pythonFromTag(tag: string): string | undefined {
  return /^(\d+\.\d+)/.exec(tag)?.[1];
}

function fromRunner(runner: RunnerRef, unknownBecause: string | undefined): PythonEnvironment {
  const labels = runner.labels.join(', ');
  const row = runner.unresolved || unknownBecause ? undefined : lookupRunner(runner.labels);
  if (!row) {
    const why =
      unknownBecause ??
      (runner.unresolved
        ? 'runs-on is an expression ci-lint cannot evaluate'
        : runner.labels.some((l) => RETIRED_LABELS.test(l.toLowerCase()))
          ? `runs-on ${labels} is a retired GitHub-hosted label, whose image ci-lint has no record of`
          : `runs-on ${labels} is self-hosted or not a GitHub-hosted label`);
    return {
      managed: 'unknown',
      certainty: 'likely',
      description: labels ? `the ${labels} runner` : 'a runner ci-lint cannot name',
      evidence: [why],
    };
  }
  const env: PythonEnvironment = {
    managed: row.managed,
    certainty: runner.assumed ? 'likely' : 'certain',
    description: `the ${labels} runner (${row.release}${row.python ? `, python ${row.python}` : ''}${runner.assumed ? `; ${runner.assumed}` : ''})`,
    distro: row.os === 'macos' ? 'homebrew' : row.os === 'linux' ? 'ubuntu' : 'python.org',
    pythonInImage: true,
    venvReady: true,
    runner: row,
    evidence: [
      `${row.release}: ${row.managed === 'yes' ? 'externally managed' : 'not externally managed'} (${row.confidence}; ${row.sources[0]})`,
    ],
  };
  if (row.python) env.python = row.python;
  if (row.pip) env.pip = row.pip;
  if (row.pipConfOverride) {
    env.pipConfOverride = row.pipConfOverride;
    env.evidence.push(row.pipConfOverride);
  }
  if (runner.span) env.imageSpan = runner.span;
  return env;
}

export function summarize(env: PythonEnvironment): EnvironmentSummary {
  const out: EnvironmentSummary = { managed: env.managed, evidence: env.evidence };
  if (env.image) out.image = env.image;
  if (env.python) out.python = env.python;
  return out;
}
