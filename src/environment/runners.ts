/**
 * GitHub-hosted runners' system Python, as data with sources (shared/knowledge/environments.md §2).
 * The Ubuntu ≥ 24.04 images carry the marker but also write `/etc/pip.conf` with
 * `break-system-packages = true`: plain pip works there today, uv (which ignores pip.conf) does not.
 * Self-hosted and custom labels are `unknown`.
 */

export interface RunnerKnowledge {
  id: string;
  /** Labels (exact, lower-case) this row is about. */
  labels: RegExp;
  os: 'linux' | 'macos' | 'windows';
  release: string;
  python?: string;
  pip?: string;
  managed: 'yes' | 'no';
  /** A pip configuration file of the image that overrides PEP 668 for pip (not for uv). */
  pipConfOverride?: string;
  sources: string[];
  confidence: 'verified' | 'inferred';
}

/** The runner images' own override (environments.md §2), and that it may go. */
const pipConf = (source: string) =>
  `/etc/pip.conf sets break-system-packages = true on the runner image (${source}; the removal announced in actions/runner-images issue #10897 has not happened)`;
const PIP_CONF = pipConf('actions/runner-images PR #10794');
const INSTALL_PYTHON_SH =
  'https://github.com/actions/runner-images/blob/main/images/ubuntu/scripts/build/install-python.sh';

export const RUNNERS: RunnerKnowledge[] = [
  {
    id: 'ubuntu-24.04',
    labels: /^(ubuntu-latest|ubuntu-24\.04(-arm)?|ubuntu-24\.04-(\d+-?core|large))$/,
    os: 'linux',
    release: "GitHub's ubuntu-24.04 image",
    python: '3.12',
    pip: '24.0',
    managed: 'yes',
    pipConfOverride: PIP_CONF,
    sources: [INSTALL_PYTHON_SH, 'https://github.com/actions/runner-images/issues/10897'],
    confidence: 'verified',
  },
  {
    id: 'ubuntu-26.04',
    labels: /^ubuntu-26\.04(-arm)?$/,
    os: 'linux',
    release: "GitHub's ubuntu-26.04 image",
    python: '3.14',
    pip: '25.1.1',
    managed: 'yes',
    pipConfOverride: PIP_CONF,
    sources: [
      INSTALL_PYTHON_SH,
      'https://github.com/actions/runner-images/blob/main/images/ubuntu/Ubuntu2604-Readme.md',
    ],
    confidence: 'verified',
  },
  {
    id: 'ubuntu-slim',
    labels: /^ubuntu-slim$/,
    os: 'linux',
    release: "GitHub's ubuntu-slim image, a 24.04 container",
    python: '3.12',
    managed: 'yes',
    pipConfOverride: pipConf('its own install-python.sh, actions/runner-images PR #13423'),
    sources: [
      'https://github.com/actions/runner-images/blob/main/images/ubuntu-slim/scripts/build/install-python.sh',
    ],
    confidence: 'verified',
  },
  {
    id: 'ubuntu-22.04',
    labels: /^ubuntu-22\.04(-arm)?$/,
    os: 'linux',
    release: "GitHub's ubuntu-22.04 image",
    python: '3.10',
    pip: '22.0.2',
    managed: 'no',
    sources: ['https://github.com/actions/runner-images/blob/main/images/ubuntu/Ubuntu2204-Readme.md'],
    confidence: 'verified',
  },
  {
    id: 'macos',
    labels: /^macos-(latest|1[4-9]|2\d)(-(large|xlarge|arm64|intel))?$/,
    os: 'macos',
    release: "GitHub's macOS image, Homebrew's python3",
    python: '3.14',
    pip: '26.1',
    managed: 'yes',
    sources: [
      'https://github.com/actions/runner-images/blob/main/images/macos/scripts/build/install-python.sh',
      'https://github.com/actions/runner-images/issues/8615',
      'https://docs.brew.sh/Homebrew-and-Python',
    ],
    confidence: 'verified',
  },
  {
    // retired labels: their Pythons are not recorded, but Ubuntu took up the marker only in 23.04
    id: 'ubuntu-20.04-and-older',
    labels: /^ubuntu-(20\.04|18\.04|16\.04)$/,
    os: 'linux',
    release: "GitHub's retired ubuntu-20.04 or older image; Ubuntu before 23.04 has no marker",
    managed: 'no',
    sources: ['https://discuss.python.org/t/10302/69'],
    confidence: 'inferred',
  },
  {
    id: 'windows',
    labels: /^windows-(latest|20\d\d|11-arm)$/,
    os: 'windows',
    release: "GitHub's Windows image, python.org build",
    python: '3.12',
    managed: 'no',
    sources: ['https://github.com/actions/runner-images/blob/main/images/windows/Windows2025-Readme.md'],
    confidence: 'verified',
  },
];

/** The row for a set of runs-on labels: a hosted label decides; `self-hosted` or custom labels are unknown. */
export function lookupRunner(labels: string[]): RunnerKnowledge | undefined {
  const lower = labels.map((l) => l.toLowerCase());
  if (lower.includes('self-hosted')) return undefined;
  for (const label of lower) {
    const row = RUNNERS.find((r) => r.labels.test(label));
    if (row) return row;
  }
  return undefined;
}

/** GitHub-hosted labels since retired, whose images ci-lint has no record of (macos-13: 2026-02, runner-images #13634). */
export const RETIRED_LABELS = /^(macos-(10\.1[45]|11|12|13)(-(large|xlarge|arm64))?|windows-2016)$/;
