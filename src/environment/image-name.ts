/** Splitting an image reference into the parts knowledge is keyed on. */

export interface ParsedImage {
  /** Repository without Docker Hub's `docker.io/library/` or a dependency proxy prefix: `debian`, `google/cloud-sdk`, `gcr.io/x/y`. */
  repo: string;
  /**
   * Tag, `latest` when none was given, the digest (`@sha256:…`) when only that was. Unresolved
   * variables stay as written (`${PY}-slim`).
   */
  tag: string;
  /** True when the tag was not written (so it is `latest`). */
  implicitTag: boolean;
}

/**
 * Prefixes that only say where an image is pulled from, not what it is: Docker Hub spellings,
 * GitLab's dependency proxy (docs.gitlab.com/user/packages/dependency_proxy), public mirrors, and
 * Docker Hub's per-architecture copies of the official images (`i386/debian`, `arm64v8/ubuntu`:
 * github.com/docker-library/official-images#architectures-other-than-amd64), built from the same
 * Dockerfiles as `debian` and `ubuntu`.
 */
const PULL_PREFIXES = [
  /^\$\{?CI_DEPENDENCY_PROXY_(DIRECT_)?GROUP_IMAGE_PREFIX\}?\//,
  /^\$\{?CI_DEPENDENCY_PROXY_SERVER\}?\/[^/]+\/dependency_proxy\/containers\//,
  /^[^/]+\/[^/]+(\/[^/]+)*\/dependency_proxy\/containers\//,
  /^(docker\.io|index\.docker\.io|registry-1\.docker\.io|registry\.hub\.docker\.com|mirror\.gcr\.io)\//,
  /^public\.ecr\.aws\/docker\//,
  /^library\//,
  /^(amd64|arm32v5|arm32v6|arm32v7|arm64v8|i386|mips64le|ppc64le|riscv64|s390x|winamd64)\//,
];

export function parseImage(name: string): ParsedImage {
  let rest = name.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of PULL_PREFIXES) {
      const next = rest.replace(p, '');
      if (next !== rest) {
        rest = next;
        changed = true;
      }
    }
  }
  const at = rest.indexOf('@');
  const digest = at === -1 ? undefined : rest.slice(at);
  if (at !== -1) rest = rest.slice(0, at);
  // the tag is after the last ':' that follows the last '/' (a registry may have a port)
  const slash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', slash + 1);
  // `debian@sha256:…` pins one image without saying which tag it was: not `latest`'s release
  if (colon === -1 && digest) return { repo: rest.toLowerCase(), tag: digest, implicitTag: false };
  if (colon === -1) return { repo: rest.toLowerCase(), tag: 'latest', implicitTag: true };
  return { repo: rest.slice(0, colon).toLowerCase(), tag: rest.slice(colon + 1), implicitTag: false };
}

/** True when a variable (`$X`, `${X}`) is still in the text. */
export const hasVariable = (s: string) => /\$\{?[A-Za-z_]/.test(s);
