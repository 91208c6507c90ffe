/** Which CI dialect a file is: from its conventional path, else from its content. */
import type { Dialect } from '../model/job.ts';
import { get, type LNode } from '../yaml/located.ts';

export function dialectFromPath(path: string): Dialect | undefined {
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p)) return 'github-workflow';
  if (base === 'action.yml' || base === 'action.yaml') return 'github-action';
  if (/^\.gitlab-ci\.ya?ml$/.test(base) || /(^|\/)\.gitlab\/.*\.ya?ml$/.test(p)) return 'gitlab';
  return undefined;
}

export function dialectFromContent(documents: (LNode | null)[]): Dialect | undefined {
  // a `spec:` header document (GitLab CI/CD component templates) is followed by the pipeline
  if (documents.length > 1 && get(documents[0], 'spec') !== undefined) return 'gitlab';
  const root = documents[0];
  if (root?.kind !== 'map') return undefined;
  if (get(root, 'jobs') !== undefined && (root.entries.has('on') || root.entries.has('true')))
    return 'github-workflow';
  if (get(root, 'runs') !== undefined) return 'github-action';
  for (const [name, pair] of root.entries) {
    const v = pair.value;
    if (
      v?.kind === 'map' &&
      (v.entries.has('script') || v.entries.has('extends') || name === 'default' || name === 'stages')
    ) {
      return 'gitlab';
    }
  }
  if (root.entries.has('stages') || root.entries.has('include')) return 'gitlab';
  return undefined;
}
