// Build and sign inbound requests exactly as Slack sends them to the app.
import { createHmac, randomBytes } from 'node:crypto';

const DEFAULT_TEAM = 'T0FAKETEAM';
const TEAM_DOMAIN = 'fake-workspace';
const APP_ID = 'A0FAKEAPP';
// Slack still sends the deprecated verification token; Bolt ignores it when signing is used.
const VERIFICATION_TOKEN = 'fakeVerificationToken000';

let seq = 0;
/** Same shape as Slack trigger ids: `<digits>.<digits>.<hex32>`. */
export function newTriggerId(): string {
  seq += 1;
  return `${Date.now()}${seq}.${4744562912 + seq}.${randomBytes(16).toString('hex')}`;
}
const actionTs = (): string => (Date.now() / 1000).toFixed(6);

export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const sig = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return { 'X-Slack-Request-Timestamp': String(timestamp), 'X-Slack-Signature': `v0=${sig}` };
}

export interface SlashCommandOptions {
  text: string;
  command?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  responseUrl: string;
  triggerId?: string;
}

export function slashCommandBody(o: SlashCommandOptions): string {
  // Field order matches what Slack sends.
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: o.teamId ?? DEFAULT_TEAM,
    team_domain: TEAM_DOMAIN,
    channel_id: o.channelId ?? 'C0FAKECHAN',
    channel_name: o.channelName ?? 'ops',
    user_id: o.userId ?? 'U0FAKEUSER',
    user_name: o.userName ?? 'alice',
    command: o.command ?? '/ops',
    text: o.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: o.responseUrl,
    trigger_id: o.triggerId ?? newTriggerId(),
  }).toString();
}

export interface BlockActionOptions {
  actionId: string;
  value?: string;
  blockId?: string;
  userId: string;
  userName?: string;
  channelId: string;
  channelName?: string;
  teamId?: string;
  messageTs?: string;
  responseUrl: string;
  triggerId?: string;
  /** The message carrying the button; defaults to a minimal bot message at messageTs. */
  message?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Ephemeral messages come without `message` and with is_ephemeral: true. */
  isEphemeral?: boolean;
}

const userOf = (id: string, name: string | undefined, teamId: string) => ({
  id,
  username: name ?? `user-${id.toLowerCase()}`,
  name: name ?? `user-${id.toLowerCase()}`,
  team_id: teamId,
});
const payloadBody = (payload: object): string => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

export function blockActionBody(o: BlockActionOptions): string {
  const teamId = o.teamId ?? DEFAULT_TEAM;
  const messageTs = o.messageTs ?? o.message?.ts ?? actionTs();
  const blockId = o.blockId ?? 'actions';
  const message = o.isEphemeral
    ? undefined
    : (o.message ?? {
        type: 'message',
        subtype: 'bot_message',
        text: '',
        ts: messageTs,
        bot_id: 'B0FAKEBOT',
        user: 'U0FAKEBOT',
        team: teamId,
        blocks: [],
      });
  return payloadBody({
    type: 'block_actions',
    user: userOf(o.userId, o.userName, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: o.channelId,
      is_ephemeral: o.isEphemeral ?? false,
    },
    trigger_id: o.triggerId ?? newTriggerId(),
    team: { id: teamId, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: o.channelId, name: o.channelName ?? 'ops' },
    ...(message ? { message } : {}),
    state: { values: {} },
    response_url: o.responseUrl,
    actions: [
      {
        action_id: o.actionId,
        block_id: blockId,
        text: { type: 'plain_text', text: o.actionId, emoji: true },
        ...(o.value !== undefined ? { value: o.value } : {}),
        type: 'button',
        action_ts: actionTs(),
      },
    ],
  });
}

export interface ViewSubmissionOptions {
  callbackId: string;
  userId: string;
  userName?: string;
  teamId?: string;
  /** blockId → actionId → element state; a plain string becomes `{ type: 'plain_text_input', value }`. */
  values: Record<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  privateMetadata?: string;
  triggerId?: string;
  viewId?: string;
}

export function viewSubmissionBody(o: ViewSubmissionOptions): string {
  const teamId = o.teamId ?? DEFAULT_TEAM;
  const viewId = o.viewId ?? `V0FAKE${String(++seq).padStart(5, '0')}`;
  const values = Object.fromEntries(
    Object.entries(o.values).map(([blockId, actions]) => [
      blockId,
      Object.fromEntries(
        Object.entries(actions).map(([actionId, v]) => [
          actionId,
          typeof v === 'string' ? { type: 'plain_text_input', value: v } : v,
        ]),
      ),
    ]),
  );
  return payloadBody({
    type: 'view_submission',
    team: { id: teamId, domain: TEAM_DOMAIN },
    user: userOf(o.userId, o.userName, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: o.triggerId ?? newTriggerId(),
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: [],
      private_metadata: o.privateMetadata ?? '',
      callback_id: o.callbackId,
      state: { values },
      hash: `${Math.floor(Date.now() / 1000)}.fakehash`,
      title: { type: 'plain_text', text: 'opsbot', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: APP_ID,
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: 'B0FAKEBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

export interface ShortcutOptions {
  callbackId: string;
  userId: string;
  userName?: string;
  teamId?: string;
  triggerId?: string;
  /** A message shortcut: the message it was chosen on. Without it, a global shortcut. */
  message?: { channelId: string; ts: string; text: string; user?: string };
  responseUrl?: string;
}

/** A global (`shortcut`) or message (`message_action`) shortcut payload, as Slack sends it. */
export function shortcutBody(o: ShortcutOptions): string {
  const teamId = o.teamId ?? DEFAULT_TEAM;
  const common = {
    callback_id: o.callbackId,
    trigger_id: o.triggerId ?? newTriggerId(),
    user: userOf(o.userId, o.userName, teamId),
    team: { id: teamId, domain: TEAM_DOMAIN },
    token: VERIFICATION_TOKEN,
    action_ts: actionTs(),
    is_enterprise_install: false,
    enterprise: null,
  };
  if (!o.message) return payloadBody({ type: 'shortcut', ...common });
  const m = o.message;
  return payloadBody({
    type: 'message_action',
    ...common,
    channel: { id: m.channelId, name: 'ops' },
    message_ts: m.ts,
    message: { type: 'message', user: m.user ?? 'U0SOMEONE', ts: m.ts, text: m.text, team: teamId },
    response_url: o.responseUrl ?? 'https://hooks.slack.com/app/T0FAKETEAM/0/unused',
  });
}

export function eventBody(event: object, opts: { eventId?: string; teamId?: string } = {}): string {
  const teamId = opts.teamId ?? DEFAULT_TEAM;
  const now = Math.floor(Date.now() / 1000);
  const ev = event as Record<string, unknown>;
  return JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    api_app_id: APP_ID,
    event: { event_ts: ev.ts ?? actionTs(), ...ev },
    type: 'event_callback',
    event_id: opts.eventId ?? `Ev0FAKE${String(++seq).padStart(6, '0')}`,
    event_time: now,
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  });
}

export function urlVerificationBody(challenge: string): string {
  return JSON.stringify({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' });
}

export interface PostOptions {
  contentType?: string;
  timestamp?: number;
  retryNum?: number;
  retryReason?: string;
  badSignature?: boolean;
  path?: string;
}

export async function postToSlackEndpoint(
  baseUrl: string,
  signingSecret: string,
  rawBody: string,
  opts: PostOptions = {},
): Promise<{ status: number; body: string; ms: number }> {
  const headers: Record<string, string> = {
    'Content-Type': opts.contentType ?? 'application/x-www-form-urlencoded',
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...signSlackRequest(opts.badSignature ? `${signingSecret}-wrong` : signingSecret, rawBody, opts.timestamp),
  };
  if (opts.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = opts.retryReason;
  const url = `${baseUrl.replace(/\/+$/, '')}/${(opts.path ?? '/slack/events').replace(/^\/+/, '')}`;
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body: rawBody });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started };
}
