/** The playground's state in the URL hash (`#v1.<base64url JSON>`), so a case can be shared as a link. */
export interface PlaygroundState {
  text: string;
  name: string;
  dialect: '' | 'gitlab' | 'github-workflow' | 'github-action';
  strategy: 'venv' | 'pipx' | 'override';
  minimum: 'safe' | 'unsafe';
}

const PREFIX = '#v1.';
/** Each list's first value is the default for a missing or unknown one. */
const DIALECTS = ['', 'gitlab', 'github-workflow', 'github-action'] as const;
const STRATEGIES = ['venv', 'pipx', 'override'] as const;
const MINIMUMS = ['unsafe', 'safe'] as const;

export function encodeState(s: PlaygroundState): string {
  const bytes = new TextEncoder().encode(JSON.stringify(s));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return PREFIX + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The state a hash carries, or undefined for an empty, foreign or damaged hash (never throws). */
export function decodeState(hash: string): PlaygroundState | undefined {
  if (!hash.startsWith(PREFIX)) return undefined;
  try {
    const binary = atob(hash.slice(PREFIX.length).replace(/-/g, '+').replace(/_/g, '/'));
    const raw: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    );
    if (typeof raw !== 'object' || raw === null) return undefined;
    const r = raw as Record<string, unknown>;
    const pick = <T extends string>(v: unknown, allowed: readonly T[]): T =>
      allowed.includes(v as T) ? (v as T) : allowed[0]!;
    return {
      text: typeof r.text === 'string' ? r.text : '',
      name: typeof r.name === 'string' && r.name.trim() !== '' ? r.name : '.gitlab-ci.yml',
      dialect: pick(r.dialect, DIALECTS),
      strategy: pick(r.strategy, STRATEGIES),
      minimum: pick(r.minimum, MINIMUMS),
    };
  } catch {
    return undefined;
  }
}
