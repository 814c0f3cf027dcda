// chat.unfurl for the fake Slack Web API, with Slack's argument checks
// (https://docs.slack.dev/reference/methods/chat.unfurl): `channel` and `ts` together, or `unfurl_id`
// and `source` (composer | conversations_history) together; `unfurls` a JSON map of URLs that appear in
// that message to attachments; each attachment's blocks under Block Kit's message rules.

/* eslint-disable @typescript-eslint/no-explicit-any -- Web API arguments arrive as any JSON */

import { checkMessage, invalidBlocksAnswer, type BlockKitProblem } from '../../../views/block-kit-rules.js';
import type { Answer, Args, FakeState } from './fake-slack-state.js';

const err = (error: string): Answer => ({ ok: false, error });

function parseUnfurls(raw: unknown): Record<string, any> | undefined {
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, any>) : undefined;
}

export function chatUnfurl(a: Args, s: FakeState): Answer {
  const byMessage = a.channel !== undefined || a.ts !== undefined;
  const byId = a.unfurl_id !== undefined || a.source !== undefined;
  if (!byMessage && !byId) return err('missing_channel');
  if (byMessage && (!a.channel || !a.ts)) return err(a.channel ? 'missing_ts' : 'missing_channel');
  if (!byMessage && (!a.unfurl_id || !a.source)) return err('invalid_arguments');
  if (!byMessage && !['composer', 'conversations_history'].includes(String(a.source))) return err('invalid_source');
  if (a.unfurls === undefined && a.metadata === undefined) return err('invalid_arguments');
  const unfurls = a.unfurls === undefined ? {} : parseUnfurls(a.unfurls);
  if (!unfurls) return err('invalid_unfurls_format');
  if (byMessage) {
    const message = s.find(String(a.channel), String(a.ts));
    if (!message) return err('cannot_find_message');
    const text = JSON.stringify([message.text ?? '', message.blocks ?? []]);
    if (Object.keys(unfurls).some((url) => !text.includes(url))) return err('cannot_unfurl_message');
  }
  const problems: BlockKitProblem[] = [];
  for (const [url, attachment] of Object.entries(unfurls)) {
    if (!attachment || typeof attachment !== 'object') return err('invalid_unfurls_format');
    for (const p of checkMessage({ attachments: [attachment] }))
      problems.push({
        ...p,
        pointer: `/unfurls/${url.replace(/~/g, '~0').replace(/\//g, '~1')}${p.pointer.replace(/^\/attachments\/0/, '')}`,
      });
  }
  if (problems.length) return invalidBlocksAnswer(problems);
  return { ok: true };
}
