/**
 * The second Python of an official `python:*-bookworm` / `python:*-trixie` image: the image is built
 * `FROM buildpack-deps:<suite>`, so Debian's own `/usr/bin/python3` (3.11 / 3.13) is there too, with
 * its EXTERNALLY-MANAGED marker, behind the unmanaged CPython in `/usr/local` (environments.md §1,
 * row "python:*-bookworm / python:*-trixie (non-slim) – the Debian python"; docker-library/python#948).
 * A `-slim-<suite>` image is built `FROM debian:<suite>-slim` (docker-library/python
 * `3.13/slim-trixie/Dockerfile`): Debian's Python is there once the job installs it with apt, and is
 * managed from then on (environments.md: the marker comes with `libpython3.X-stdlib`). A command that
 * names it (`/usr/bin/python3 -m pip`, `python3.11` on a 3.12 image) is judged on Debian's Python, as a
 * job of its own; everything else stays with the image.
 */
import { parseImage } from '../environment/image-name.ts';
import type { Job } from '../model/job.ts';
import { basename } from '../shell/commands.ts';
import type { JobAnalysis, Step } from './simulate.ts';

const VERSIONS: Record<string, string> = { bookworm: '3.11', trixie: '3.13' };

interface DebianPython {
  image: string;
  version: string;
  /** The image's own CPython version (`3.12`), when its tag names it. */
  own?: string;
}

/** Debian's Python in (or for) the job's image, when it is an official python image of a named Debian suite. */
function debianPythonOf(image: string): DebianPython | undefined {
  const { repo, tag } = parseImage(image);
  if (repo !== 'python') return undefined;
  const m = /^(?:(\d+\.\d+)[\w.]*-)?(slim-)?(bookworm|trixie)$/.exec(tag);
  if (!m) return undefined;
  const suite = m[3]!;
  const base = m[2] ? `debian:${suite}-slim` : `buildpack-deps:${suite}`;
  return { image: base, version: VERSIONS[suite]!, ...(m[1] ? { own: m[1] } : {}) };
}

/**
 * Whether the step's interpreter is Debian's: by its path in `/usr/bin`, or by Debian's version
 * where the image's own CPython (first on PATH, in `/usr/local/bin`) is known to be another one.
 */
function namesDebianPython(step: Step, debian: DebianPython): boolean {
  const a = step.action;
  if (!('interpreter' in a) || typeof a.interpreter !== 'object') return false;
  const { spelled, dir } = a.interpreter;
  if (dir !== undefined) return dir === '/usr/bin' || dir === '/bin';
  return (
    debian.own !== undefined &&
    debian.own !== debian.version &&
    // Debian's python3-pip has pip3.11 too (`dpkg -L python3-pip` on Debian 12)
    (basename(spelled) === `python${debian.version}` || basename(spelled) === `pip${debian.version}`)
  );
}

/**
 * The job split in two when some command names Debian's Python: the image's own analysis without
 * those commands, and one on Debian's image with them (and the commands that name no Python at all,
 * such as `apt-get install python3-pip`, which decide whether Debian's pip is there). Null otherwise.
 */
export function splitDebianPython(
  job: Job,
  analysis: JobAnalysis,
): { own: JobAnalysis; debian: { job: Job; analysis: JobAnalysis; named: ReadonlySet<Step> } } | null {
  if (!job.image) return null;
  const debian = debianPythonOf(job.image.name);
  if (!debian) return null;
  const named = new Set(analysis.steps.filter((s) => namesDebianPython(s, debian)));
  if (named.size === 0) return null;
  const neutral = (s: Step) => !('interpreter' in s.action);
  const debianJob: Job = {
    ...job,
    name: `${job.name}: /usr/bin/python3`,
    label: `${job.label} (Debian's /usr/bin/python3 in ${job.image.name})`,
    image: {
      name: debian.image,
      raw: debian.image,
      unresolved: [],
      origin: `${job.image.name}'s Debian python`,
      ...(job.image.span ? { span: job.image.span } : {}),
    },
  };
  return {
    own: { ...analysis, steps: analysis.steps.filter((s) => !named.has(s)) },
    debian: {
      job: debianJob,
      analysis: {
        job: debianJob,
        steps: analysis.steps.filter((s) => named.has(s) || neutral(s)),
        installs: analysis.installs,
        containers: [],
      },
      named,
    },
  };
}
