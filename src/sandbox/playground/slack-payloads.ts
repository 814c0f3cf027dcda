// What Slack sends to an app, built and signed for the playground: slash
// commands, block_actions and view_submission, POSTed to /slack/events.
import { createHmac, randomBytes } from 'node:crypto';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const TEAM_ID = 'T0PLAYGROUND';
const TEAM_DOMAIN = 'playground';
const APP_ID = 'A0OPSBOT';

let seq = 0;
export function newTriggerId(): string {
  seq += 1;
  return `${Date.now()}${seq}.${4744562912 + seq}.${randomBytes(16).toString('hex')}`;
}

const actionTs = () => (Date.now() / 1000).toFixed(6);
const userOf = (id: string, name: string) => ({ id, username: name, name, team_id: TEAM_ID });
const payloadBody = (payload: object) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

export function slashCommand(o: {
  text: string;
  userId: string;
  userName: string;
  channelId: string;
  channelName: string;
  responseUrl: string;
  triggerId: string;
}): string {
  return new URLSearchParams({
    team_id: TEAM_ID,
    team_domain: TEAM_DOMAIN,
    channel_id: o.channelId,
    channel_name: o.channelName,
    user_id: o.userId,
    user_name: o.userName,
    command: '/ops',
    text: o.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: o.responseUrl,
    trigger_id: o.triggerId,
  }).toString();
}

export interface ActionInput {
  actionId: string;
  blockId?: string;
  type: string;
  value?: string;
  selectedOption?: any;
  selectedOptions?: any[];
  text?: string;
}

export function blockActions(o: {
  user: { id: string; name: string };
  channel?: { id: string; name: string };
  message?: any;
  ephemeral?: boolean;
  view?: any;
  responseUrl?: string;
  triggerId: string;
  action: ActionInput;
  stateValues?: any;
}): string {
  const a = o.action;
  const action: any = { action_id: a.actionId, block_id: a.blockId ?? 'actions', type: a.type, action_ts: actionTs() };
  if (a.text) action.text = { type: 'plain_text', text: a.text, emoji: true };
  if (a.value !== undefined) action.value = a.value;
  if (a.selectedOption) action.selected_option = a.selectedOption;
  if (a.selectedOptions) action.selected_options = a.selectedOptions;
  const container = o.view
    ? { type: 'view', view_id: o.view.id }
    : { type: 'message', message_ts: o.message?.ts, channel_id: o.channel?.id, is_ephemeral: Boolean(o.ephemeral) };
  return payloadBody({
    type: 'block_actions',
    user: userOf(o.user.id, o.user.name),
    api_app_id: APP_ID,
    container,
    trigger_id: o.triggerId,
    team: { id: TEAM_ID, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    ...(o.channel ? { channel: o.channel } : {}),
    ...(o.message && !o.ephemeral ? { message: o.message } : {}),
    ...(o.view ? { view: o.view } : {}),
    state: { values: o.stateValues ?? {} },
    ...(o.responseUrl ? { response_url: o.responseUrl } : {}),
    actions: [action],
  });
}

export function viewSubmission(o: {
  user: { id: string; name: string };
  view: any;
  values: any;
  triggerId: string;
}): string {
  return payloadBody({
    type: 'view_submission',
    team: { id: TEAM_ID, domain: TEAM_DOMAIN },
    user: userOf(o.user.id, o.user.name),
    api_app_id: APP_ID,
    trigger_id: o.triggerId,
    view: { ...o.view, state: { values: o.values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

export function viewClosed(o: { user: { id: string; name: string }; view: any }): string {
  return payloadBody({
    type: 'view_closed',
    team: { id: TEAM_ID, domain: TEAM_DOMAIN },
    user: userOf(o.user.id, o.user.name),
    api_app_id: APP_ID,
    view: o.view,
    is_cleared: false,
  });
}

/** POSTs a body to the bot's /slack/events, signed like Slack signs it. */
export async function postSigned(
  eventsUrl: string,
  signingSecret: string,
  body: string,
): Promise<{ status: number; text: string }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  const res = await fetch(eventsUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': `v0=${signature}`,
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}
