/**
 * What we know about CI images' Python, as data. Every row names its sources; rows marked
 * `inferred` follow from a related, cited fact rather than a direct observation. Anything not in
 * this table is `unknown` — users declare their own images in `.ci-lint.yml` (`images:`).
 *
 * The facts and their evidence are collected in shared/knowledge/environments.md; the URLs below
 * are the public sources those rows cite.
 */

export type Distro =
  | 'debian'
  | 'ubuntu'
  | 'alpine'
  | 'arch'
  | 'fedora'
  | 'kali'
  | 'python.org'
  | 'conda'
  | 'homebrew';

export interface ImageKnowledge {
  id: string;
  /** Repositories (lower-case, without `docker.io/library/`) this row is about. */
  repos: string[];
  /** Tag pattern; null matches every tag, even one still holding a variable. */
  tag: RegExp | null;
  distro: Distro;
  release: string;
  python?: string;
  /**
   * Version of the distribution's own pip (decides whether `--break-system-packages` exists); `< 23`
   * for a row over several old releases whose pips all predate it.
   */
  pip?: string;
  managed: 'yes' | 'no';
  /** Whether the image itself has python3, or only gets it when the job installs it. */
  pythonInImage: boolean | 'unknown';
  pipInImage: boolean;
  sources: string[];
  confidence: 'verified' | 'inferred';
}

const SRC = {
  pythonImage: 'https://github.com/docker-library/python/issues/948',
  debianPolicy: 'https://discuss.python.org/t/10302/69',
  bookworm: 'measured in debian:bookworm: python3 3.11.2, pip 23.0.1',
  trixie: 'measured in debian:trixie: python3 3.13.5, pip 25.1.1',
  jammy: 'https://github.com/actions/runner-images/blob/main/images/ubuntu/Ubuntu2204-Readme.md',
  noble: 'https://github.com/ajenti/ajenti/issues/1486',
  resolute: 'https://github.com/actions/runner-images/blob/main/images/ubuntu/Ubuntu2604-Readme.md',
  lunar: 'https://github.com/ThePorgs/Exegol/issues/160',
  mantic: 'https://github.com/Overv/openstreetmap-tile-server/pull/410',
  buildpack: 'https://github.com/docker-library/buildpack-deps/blob/master/debian/bookworm/scm/Dockerfile',
  node: 'https://github.com/nodejs/docker-node/blob/main/22/bookworm/Dockerfile',
  golang: 'https://github.com/docker-library/golang/blob/master/1.24/bookworm/Dockerfile',
  rust: 'https://github.com/rust-lang/docker-rust/blob/master/stable/bookworm/Dockerfile',
  ruby: 'https://github.com/docker-library/ruby (generate-stackbrew-library.sh; 3.1/bookworm/Dockerfile)',
  alpine: 'https://github.com/alpinelinux/docker-alpine/issues/361',
  arch: 'https://github.com/astral-sh/uv/issues/10300',
  fedora: 'https://fedoraproject.org/wiki/Changes/PythonMarkExternallyManaged',
  cloudSdk:
    'https://github.com/GoogleCloudPlatform/cloud-sdk-docker/blob/master/Dockerfile (FROM debian:trixie-slim, apt python3-pip)',
  cloudSdkAlpine: 'https://github.com/GoogleCloudPlatform/cloud-sdk-docker/blob/master/alpine/Dockerfile',
  kali: 'https://github.com/GH05TCREW/MetasploitMCP/issues/8',
  devcontainers: 'https://github.com/devcontainers/images/blob/main/src/python/.devcontainer/Dockerfile',
  gccCorpus: 'gcc images before 12 predate Debian 12 (seen in xiph/opus CI)',
} as const;

/** `bookworm`, `bookworm-slim`, `12`, `12.5-slim`, `bookworm-20240110`. */
const suite = (...names: string[]) => new RegExp(`^(${names.join('|')})([-.].*)?$`);
/** A variant suffix inside a language image tag: `20-bookworm`, `3.3-slim-trixie`, `bookworm`. */
const variant = (...names: string[]) => new RegExp(`(^|-)(${names.join('|')})(-|$)`);
/** A slim variant: `3.3-slim-trixie` (python, ruby, rust) or `20-bookworm-slim` (node). */
const slimVariant = (...names: string[]) => {
  const release = names.join('|');
  return new RegExp(`(^|-)(slim-(${release})|(${release})-slim)(-|$)`);
};

const DEBIAN_12 = {
  distro: 'debian',
  release: 'Debian 12 (bookworm)',
  python: '3.11',
  pip: '23.0.1',
  managed: 'yes',
} as const;
const DEBIAN_13 = {
  distro: 'debian',
  release: 'Debian 13 (trixie)',
  python: '3.13',
  pip: '25.1.1',
  managed: 'yes',
} as const;
// bullseye's pip is 20.3.4; older releases have older pips, none with PEP 668
const DEBIAN_OLD = { distro: 'debian', release: 'Debian 11 or older', pip: '< 23', managed: 'no' } as const;

const DEBIAN_FAMILY_IMAGES = ['buildpack-deps'];

/** Distributions that split venv (python3-venv) and pip (python3-pip) out of python3, and install with apt. */
export const isDebianFamily = (distro: Distro | undefined) =>
  distro === 'debian' || distro === 'ubuntu' || distro === 'kali';

export const IMAGES: ImageKnowledge[] = [
  {
    id: 'python-official',
    repos: [
      'python',
      'mcr.microsoft.com/devcontainers/python',
      'mcr.microsoft.com/vscode/devcontainers/python',
    ],
    tag: null,
    distro: 'python.org',
    release: 'official Python image (CPython in /usr/local)',
    managed: 'no',
    pythonInImage: true,
    pipInImage: true,
    sources: [SRC.pythonImage, SRC.devcontainers],
    confidence: 'verified',
  },
  {
    id: 'cimg-python',
    repos: ['cimg/python'],
    tag: null,
    distro: 'python.org',
    release: 'CircleCI Python image (pyenv build)',
    managed: 'no',
    pythonInImage: true,
    pipInImage: true,
    sources: ['the image builds its Python with pyenv, which writes no marker (not verified)'],
    confidence: 'inferred',
  },
  {
    id: 'conda',
    repos: ['continuumio/miniconda3', 'condaforge/miniforge3', 'condaforge/mambaforge'],
    tag: null,
    distro: 'conda',
    release: 'conda image',
    managed: 'no',
    pythonInImage: true,
    pipInImage: true,
    sources: ['conda does not ship the marker (not verified)'],
    confidence: 'inferred',
  },
  // Debian
  {
    id: 'debian-12',
    repos: ['debian'],
    tag: suite('bookworm', '12', 'oldstable'),
    ...DEBIAN_12,
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.bookworm, SRC.debianPolicy],
    confidence: 'verified',
  },
  {
    id: 'debian-13',
    repos: ['debian'],
    tag: suite('trixie', '13', 'stable', 'latest'),
    ...DEBIAN_13,
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.trixie, SRC.debianPolicy],
    confidence: 'verified',
  },
  {
    id: 'debian-testing',
    repos: ['debian'],
    tag: suite('forky', '14', 'testing', 'sid', 'unstable', 'experimental', 'rc-buggy'),
    distro: 'debian',
    release: 'Debian testing/unstable',
    python: '3.13+',
    pip: '25+',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.debianPolicy],
    confidence: 'inferred',
  },
  {
    id: 'debian-old',
    repos: ['debian'],
    tag: suite(
      ...['bullseye', '11', 'buster', '10', 'stretch', '9', 'jessie', '8', 'wheezy', '7', 'squeeze', '6'],
      'oldoldstable',
    ),
    ...DEBIAN_OLD,
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.debianPolicy],
    confidence: 'verified',
  },
  // Ubuntu
  {
    id: 'ubuntu-22.04',
    repos: ['ubuntu'],
    tag: suite('22.04', 'jammy'),
    distro: 'ubuntu',
    release: 'Ubuntu 22.04 (jammy)',
    python: '3.10',
    pip: '22.0.2',
    managed: 'no',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.jammy, SRC.debianPolicy],
    confidence: 'verified',
  },
  {
    // Ubuntu took up the marker in 23.04 (discuss.python.org/t/10302/69); every release before it
    // has no marker and a pip older than 23.0, which could not enforce one anyway
    id: 'ubuntu-old',
    repos: ['ubuntu'],
    tag: suite(
      ...['22.10', 'kinetic', '21.10', 'impish', '21.04', 'hirsute', '20.10', 'groovy', '20.04', 'focal'],
      ...['19.10', 'eoan', '19.04', 'disco', '18.10', 'cosmic', '18.04', 'bionic', '17.10', 'artful'],
      ...['17.04', 'zesty', '16.10', 'yakkety', '16.04', 'xenial', '15.10', 'wily', '15.04', 'vivid'],
      ...['14.10', 'utopic', '14.04', 'trusty', '13.10', 'saucy', '13.04', 'raring', '12.10', 'quantal'],
      ...['12.04', 'precise', '10.04', 'lucid'],
    ),
    distro: 'ubuntu',
    release: 'Ubuntu 22.10 or older',
    python: undefined,
    pip: '< 23',
    managed: 'no',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.debianPolicy],
    confidence: 'inferred',
  },
  {
    id: 'ubuntu-23.04',
    repos: ['ubuntu'],
    tag: suite('23.04', 'lunar'),
    distro: 'ubuntu',
    release: 'Ubuntu 23.04 (lunar)',
    python: '3.11',
    pip: '23.0.1',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.lunar, SRC.debianPolicy],
    confidence: 'verified',
  },
  {
    id: 'ubuntu-23.10',
    repos: ['ubuntu'],
    tag: suite('23.10', 'mantic'),
    distro: 'ubuntu',
    release: 'Ubuntu 23.10 (mantic)',
    python: '3.11',
    pip: '23.2',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.mantic],
    confidence: 'verified',
  },
  {
    id: 'ubuntu-24.04',
    repos: ['ubuntu'],
    tag: suite('24.04', 'noble'),
    distro: 'ubuntu',
    release: 'Ubuntu 24.04 (noble)',
    python: '3.12',
    pip: '24.0',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.noble],
    confidence: 'verified',
  },
  {
    // the newest LTS, which has been 24.04 or later since 2024-04 (26.04 since its release)
    id: 'ubuntu-latest',
    repos: ['ubuntu'],
    tag: /^latest$/,
    distro: 'ubuntu',
    release: 'Ubuntu (latest LTS: 24.04 or later)',
    python: '3.12+',
    pip: '24.0+',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.noble, SRC.resolute],
    confidence: 'verified',
  },
  {
    id: 'ubuntu-24.10-25.10',
    repos: ['ubuntu'],
    tag: suite('24.10', 'oracular', '25.04', 'plucky', '25.10', 'questing', 'rolling', 'devel'),
    distro: 'ubuntu',
    release: 'Ubuntu 24.10 or later (interim)',
    python: '3.12+',
    pip: '24.2+',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.debianPolicy],
    confidence: 'inferred',
  },
  {
    id: 'ubuntu-26.04',
    repos: ['ubuntu'],
    tag: suite('26.04', 'resolute'),
    distro: 'ubuntu',
    release: 'Ubuntu 26.04 (resolute)',
    python: '3.14',
    pip: '25.1.1',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.resolute],
    confidence: 'inferred',
  },
  // buildpack-deps and images built on it (Debian's python3 comes in with mercurial; no pip)
  {
    // the curl variant has no python3 at all; an apt-installed one is managed from bookworm and noble on
    id: 'buildpack-deps-curl',
    repos: DEBIAN_FAMILY_IMAGES,
    tag: /^(bookworm|trixie|forky|sid|noble|oracular|plucky|questing|resolute)-curl$/,
    distro: 'debian',
    release: 'buildpack-deps curl variant (no python3; Debian 12, Ubuntu 24.04 or later)',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.buildpack],
    confidence: 'verified',
  },
  {
    id: 'buildpack-deps-old-curl',
    repos: DEBIAN_FAMILY_IMAGES,
    tag: /^(bullseye|buster|stretch|jammy|focal|bionic)-curl$/,
    distro: 'debian',
    release: 'buildpack-deps curl variant (no python3; Debian 11, Ubuntu 22.04 or older)',
    pip: '< 23',
    managed: 'no',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.buildpack],
    confidence: 'verified',
  },
  {
    id: 'buildpack-deps-12',
    repos: DEBIAN_FAMILY_IMAGES,
    tag: suite('bookworm'),
    ...DEBIAN_12,
    pythonInImage: true,
    pipInImage: false,
    sources: [SRC.buildpack, SRC.pythonImage],
    confidence: 'verified',
  },
  {
    id: 'buildpack-deps-13',
    repos: DEBIAN_FAMILY_IMAGES,
    tag: suite('trixie', 'latest', 'stable'),
    ...DEBIAN_13,
    pythonInImage: true,
    pipInImage: false,
    sources: [SRC.buildpack],
    confidence: 'verified',
  },
  {
    id: 'buildpack-deps-noble',
    repos: DEBIAN_FAMILY_IMAGES,
    tag: suite('noble'),
    distro: 'ubuntu',
    release: 'Ubuntu 24.04 (noble)',
    python: '3.12',
    pip: '24.0',
    managed: 'yes',
    pythonInImage: true,
    pipInImage: false,
    sources: [SRC.buildpack],
    confidence: 'verified',
  },
  {
    id: 'buildpack-deps-old',
    repos: DEBIAN_FAMILY_IMAGES,
    tag: suite('bullseye', 'buster', 'stretch'),
    ...DEBIAN_OLD,
    pythonInImage: true,
    pipInImage: false,
    sources: [SRC.buildpack],
    confidence: 'verified',
  },
  {
    id: 'buildpack-deps-old-ubuntu',
    repos: DEBIAN_FAMILY_IMAGES,
    tag: suite('jammy', 'focal', 'bionic'),
    distro: 'ubuntu',
    release: 'Ubuntu 22.04 or older',
    pip: '< 23',
    managed: 'no',
    pythonInImage: true,
    pipInImage: false,
    sources: [SRC.buildpack, SRC.debianPolicy],
    confidence: 'verified',
  },
  // language images: the Debian release is in the tag; slim variants have no python3
  ...languageImages('node', SRC.node),
  ...languageImages('golang', SRC.golang),
  ...languageImages('rust', SRC.rust),
  ...languageImages('ruby', SRC.ruby),
  {
    // the moving tags only: a version's own tag kept the Debian of its day, which may be bullseye
    id: 'rust-default',
    repos: ['rust'],
    tag: /^(latest|1)$/,
    distro: 'debian',
    release: 'Debian (bookworm or trixie, the image default)',
    managed: 'yes',
    pythonInImage: true,
    pipInImage: false,
    sources: [SRC.rust],
    confidence: 'inferred',
  },
  {
    // the bare tag, frozen on bookworm; 3.1.0 to 3.1.3 were built before bookworm existed
    id: 'ruby-3.1',
    repos: ['ruby'],
    tag: /^3\.1$/,
    ...DEBIAN_12,
    pythonInImage: true,
    pipInImage: false,
    sources: [SRC.ruby, 'https://docs.gitlab.com/ee/ci/runners/hosted_runners/linux.html'],
    confidence: 'verified',
  },
  {
    // 3.3 to 4.0 come in bookworm and trixie variants only; older versions may be bullseye
    id: 'ruby-default',
    repos: ['ruby'],
    tag: /^(latest|3|4|3\.[3-9](\.\d+)*|4\.\d+(\.\d+)*)$/,
    distro: 'debian',
    release: 'Debian (bookworm or trixie, the image default)',
    managed: 'yes',
    pythonInImage: true,
    pipInImage: false,
    sources: [SRC.ruby],
    confidence: 'verified',
  },
  {
    id: 'gcc-new',
    repos: ['gcc'],
    tag: /^(1[2-9]|[2-9]\d)(\.|$|-)|^latest$/,
    distro: 'debian',
    release: 'Debian 12 or later (gcc image)',
    managed: 'yes',
    pythonInImage: true,
    pipInImage: false,
    sources: ['the gcc image is built FROM buildpack-deps of its Debian release (not verified)'],
    confidence: 'inferred',
  },
  {
    id: 'gcc-old',
    repos: ['gcc'],
    tag: /^([4-9]|10)(\.|$|-)/,
    ...DEBIAN_OLD,
    pythonInImage: true,
    pipInImage: false,
    sources: [SRC.gccCorpus],
    confidence: 'inferred',
  },
  // Alpine
  {
    id: 'alpine-new',
    repos: ['alpine'],
    tag: /^(latest|edge|3\.(19|[2-9]\d)(\.\d+)?)$/,
    distro: 'alpine',
    release: 'Alpine 3.19 or later',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.alpine],
    confidence: 'verified',
  },
  {
    id: 'alpine-old',
    repos: ['alpine'],
    tag: /^3\.([0-9]|1[0-8])(\.\d+)?$/,
    distro: 'alpine',
    release: 'Alpine 3.18 or older',
    managed: 'no',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.alpine],
    confidence: 'verified',
  },
  {
    id: 'docker',
    repos: ['docker'],
    tag: /^(latest|dind|cli|git|stable|rootless|(2[5-9]|[3-9]\d)([.-].*)?)$/,
    distro: 'alpine',
    release: 'docker image (Alpine 3.19 or later)',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: ['the docker image is built on Alpine (not verified)', SRC.alpine],
    confidence: 'inferred',
  },
  // Others
  {
    id: 'archlinux',
    repos: ['archlinux', 'archlinux/archlinux'],
    tag: null,
    distro: 'arch',
    release: 'Arch Linux',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: [SRC.arch],
    confidence: 'verified',
  },
  {
    id: 'fedora',
    repos: ['fedora', 'registry.fedoraproject.org/fedora'],
    tag: null,
    distro: 'fedora',
    release: 'Fedora',
    managed: 'no',
    pythonInImage: 'unknown',
    pipInImage: false,
    sources: [SRC.fedora],
    confidence: 'inferred',
  },
  {
    id: 'kali',
    repos: ['kalilinux/kali-rolling'],
    tag: null,
    distro: 'kali',
    release: 'Kali rolling',
    managed: 'yes',
    pythonInImage: 'unknown',
    pipInImage: false,
    sources: [SRC.kali],
    confidence: 'verified',
  },
  {
    id: 'cloud-sdk-alpine',
    repos: [
      'google/cloud-sdk',
      'gcr.io/google.com/cloudsdktool/cloud-sdk',
      'gcr.io/google.com/cloudsdktool/google-cloud-cli',
    ],
    tag: /alpine/,
    distro: 'python.org',
    release: 'cloud-sdk alpine (official Python base)',
    managed: 'no',
    pythonInImage: true,
    pipInImage: true,
    sources: [SRC.cloudSdkAlpine],
    confidence: 'verified',
  },
  {
    // the moving tags only (their Dockerfiles at 2026-07-22); a pinned version kept the Debian of its day
    id: 'cloud-sdk',
    repos: [
      'google/cloud-sdk',
      'gcr.io/google.com/cloudsdktool/cloud-sdk',
      'gcr.io/google.com/cloudsdktool/google-cloud-cli',
    ],
    tag: /^(latest|slim)$/,
    ...DEBIAN_13,
    pythonInImage: true,
    pipInImage: true,
    sources: [SRC.cloudSdk],
    confidence: 'verified',
  },
  {
    id: 'nvidia-cuda-noble',
    repos: ['nvidia/cuda'],
    tag: /ubuntu2[4-9]\.\d\d/,
    distro: 'ubuntu',
    release: 'Ubuntu 24.04 or later (CUDA image)',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: ['the CUDA image is built on the Ubuntu release in its tag (not verified)'],
    confidence: 'inferred',
  },
  {
    id: 'nvidia-cuda-old',
    repos: ['nvidia/cuda'],
    tag: /ubuntu(1\d|2[0-2])\.\d\d/,
    distro: 'ubuntu',
    release: 'Ubuntu 22.04 or older (CUDA image)',
    managed: 'no',
    pythonInImage: false,
    pipInImage: false,
    sources: ['the CUDA image is built on the Ubuntu release in its tag (not verified)'],
    confidence: 'inferred',
  },
  {
    id: 'temurin-noble',
    repos: ['eclipse-temurin'],
    tag: variant('noble'),
    distro: 'ubuntu',
    release: 'Ubuntu 24.04 (temurin image)',
    python: '3.12',
    managed: 'yes',
    pythonInImage: false,
    pipInImage: false,
    sources: ['the Temurin image is built on the Ubuntu release in its tag (not verified)'],
    confidence: 'inferred',
  },
  {
    id: 'temurin-jammy',
    repos: ['eclipse-temurin'],
    tag: variant('jammy', 'focal'),
    distro: 'ubuntu',
    release: 'Ubuntu 22.04 or older (temurin image)',
    managed: 'no',
    pythonInImage: false,
    pipInImage: false,
    sources: ['the Temurin image is built on the Ubuntu release in its tag (not verified)'],
    confidence: 'inferred',
  },
];

function languageImages(repo: string, source: string): ImageKnowledge[] {
  const base = { repos: [repo], pipInImage: false, sources: [source], confidence: 'verified' as const };
  return [
    {
      id: `${repo}-alpine`,
      ...base,
      tag: /(^|-)alpine(3\.(19|[2-9]\d))?(-|$)/,
      distro: 'alpine',
      release: 'Alpine (3.19 or later)',
      managed: 'yes',
      pythonInImage: false,
      sources: [source, SRC.alpine],
      confidence: 'inferred',
    },
    { id: `${repo}-slim-12`, ...base, tag: slimVariant('bookworm'), ...DEBIAN_12, pythonInImage: false },
    { id: `${repo}-slim-13`, ...base, tag: slimVariant('trixie'), ...DEBIAN_13, pythonInImage: false },
    { id: `${repo}-12`, ...base, tag: variant('bookworm'), ...DEBIAN_12, pythonInImage: true },
    { id: `${repo}-13`, ...base, tag: variant('trixie'), ...DEBIAN_13, pythonInImage: true },
    {
      id: `${repo}-old`,
      ...base,
      tag: variant('bullseye', 'buster', 'stretch'),
      ...DEBIAN_OLD,
      pythonInImage: true,
    },
  ];
}

/** The first row about this repository whose tag pattern matches. */
export function lookupImage(repo: string, tag: string, tagIsKnown: boolean): ImageKnowledge | undefined {
  for (const row of IMAGES) {
    if (!row.repos.includes(repo)) continue;
    if (row.tag === null) return row;
    if (tagIsKnown && row.tag.test(tag)) return row;
  }
  return undefined;
}
