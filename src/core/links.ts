import type { Reply } from './reply.js';

/**
 * opsbot's own links, which Slack unfurls as the card they point to: `<public URL>/incidents/<id>` (also
 * `/incidents/INC-<id>`) and `<public URL>/alerts/<id>`. The public URL is OPSBOT_PUBLIC_URL (the host
 * must be listed under `unfurl_domains` in manifest.yml); the demo uses the playground's URL.
 */
export type LinkKind = 'incident' | 'alert';

export interface OpsbotLink {
  kind: LinkKind;
  id: string;
}

const PATHS: Record<string, LinkKind> = { incidents: 'incident', alerts: 'alert' };

export function opsbotLink(publicUrl: string, kind: LinkKind, id: string | number): string {
  return `${publicUrl.replace(/\/+$/, '')}/${kind === 'incident' ? 'incidents' : 'alerts'}/${id}`;
}

/** The incident or alert a URL names, when it is one of opsbot's links under `publicUrl`. */
export function parseOpsbotLink(publicUrl: string, url: string): OpsbotLink | undefined {
  let base: URL;
  let u: URL;
  try {
    base = new URL(publicUrl);
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.host.toLowerCase() !== base.host.toLowerCase()) return undefined;
  const prefix = base.pathname.replace(/\/+$/, '');
  if (!u.pathname.startsWith(`${prefix}/`)) return undefined;
  const [section, raw, ...rest] = u.pathname.slice(prefix.length + 1).split('/');
  const kind = PATHS[section];
  if (!kind || !raw || rest.some(Boolean)) return undefined;
  const id = kind === 'incident' ? raw.replace(/^INC-/i, '') : raw;
  if (kind === 'incident' ? !/^\d{1,12}$/.test(id) : !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined;
  return { kind, id };
}

/** The card for a link: what `/ops incident show` or the alert message shows, or nothing when it is gone. */
export interface LinkCards {
  card(link: OpsbotLink): Promise<Reply | undefined>;
}
