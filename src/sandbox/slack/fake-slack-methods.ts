// Slack Web API method answers for the fake in fake-slack.ts. Shapes follow the
// documented responses closely enough for @slack/web-api and Bolt; errors use
// Slack's own error codes so app code paths for them can be exercised. Every message
// and view is checked against Block Kit's documented limits (block-kit-rules.ts).
import { BLOCK_KIT_LIMITS, checkMessage, invalidBlocksAnswer } from '../../../views/block-kit-rules.js';
import {
  err,
  list,
  type Answer,
  type Args,
  type EphemeralMessage,
  type FakeChannel,
  type FakeState,
  type MethodHandler,
  type StoredMessage,
} from './fake-slack-state.js';
import { USER_METHODS } from './fake-slack-users.js';
import { VIEW_METHODS } from './fake-slack-views.js';

function channelInfo(s: FakeState, c: FakeChannel): Answer {
  return {
    id: c.id,
    name: c.name,
    is_channel: !c.is_private,
    is_group: c.is_private,
    is_im: false,
    is_private: c.is_private,
    is_archived: false,
    is_member: c.members.includes(s.botUserId),
    created: 1700000000,
    creator: s.botUserId,
    num_members: c.members.length,
    topic: { value: c.topic, creator: c.topic ? s.botUserId : '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
  };
}

function messageAnswer(s: FakeState, m: StoredMessage): Answer {
  return { type: 'message', bot_id: s.botId, team: s.teamId, ...m, updates: undefined };
}

/** Slack's own payload checks, which real apps trip over: the answer to send back, if any. */
function checkContent(a: Args, requireContent: boolean): Answer | undefined {
  if (requireContent && !a.text && !a.blocks && !a.attachments) return err('no_text');
  if (a.blocks !== undefined && !Array.isArray(a.blocks)) return err('invalid_blocks_format');
  if (typeof a.text === 'string' && a.text.length > BLOCK_KIT_LIMITS.messageText.max) return err('msg_too_long');
  const problems = checkMessage(a);
  return problems.length ? invalidBlocksAnswer(problems) : undefined;
}

export const METHODS: Record<string, MethodHandler> = {
  'api.test': (a) => ({ ok: true, args: a }),
  'auth.test': (_a, s) => ({
    ok: true,
    url: 'https://fake-workspace.slack.com/',
    team: 'Fake Workspace',
    user: 'opsbot',
    team_id: s.teamId,
    user_id: s.botUserId,
    bot_id: s.botId,
    is_enterprise_install: false,
  }),

  'chat.postMessage': (a, s) => {
    if (!a.channel) return err('channel_not_found');
    const bad = checkContent(a, true);
    if (bad) return bad;
    if (a.thread_ts !== undefined && !/^\d+\.\d+$/.test(String(a.thread_ts))) return err('invalid_thread_ts');
    const m: StoredMessage = {
      ts: s.nextTs(),
      text: a.text,
      blocks: a.blocks,
      attachments: a.attachments,
      thread_ts: a.thread_ts,
      user: s.botUserId,
      updates: 0,
      metadata: a.metadata,
    };
    (s.messages[a.channel] ??= []).push(m);
    return { ok: true, channel: a.channel, ts: m.ts, message: messageAnswer(s, m) };
  },
  // Newest first, top-level messages after `oldest`, pages by an offset cursor.
  'conversations.history': (a, s) => {
    const oldest = Number(a.oldest ?? 0);
    const all = (s.messages[String(a.channel)] ?? []).filter((m) => !m.thread_ts && Number(m.ts) > oldest).reverse();
    const start = Number(a.cursor || 0);
    const end = start + Number(a.limit ?? 100);
    const messages = all.slice(start, end).map((m) => ({
      type: 'message',
      ts: m.ts,
      text: m.text,
      user: m.user,
      bot_id: s.botId,
      ...(a.include_all_metadata && m.metadata ? { metadata: m.metadata } : {}),
    }));
    const more = end < all.length;
    return { ok: true, messages, has_more: more, response_metadata: { next_cursor: more ? String(end) : '' } };
  },
  'chat.update': (a, s) => {
    const m = s.find(String(a.channel), String(a.ts));
    if (!m) return err('message_not_found');
    const bad = checkContent(a, false);
    if (bad) return bad;
    // Like Slack: omitted blocks/attachments are kept, an empty array removes them.
    if (a.text !== undefined) m.text = a.text;
    if (a.blocks !== undefined) m.blocks = a.blocks;
    if (a.attachments !== undefined) m.attachments = a.attachments;
    m.updates += 1;
    return { ok: true, channel: a.channel, ts: m.ts, text: m.text ?? '', message: messageAnswer(s, m) };
  },
  'chat.postEphemeral': (a, s) => {
    if (!a.channel) return err('channel_not_found');
    if (!a.user) return err('user_not_in_channel');
    const bad = checkContent(a, true);
    if (bad) return bad;
    const e: EphemeralMessage = {
      channel: a.channel,
      user: a.user,
      text: a.text,
      blocks: a.blocks,
      message_ts: s.nextTs(),
    };
    s.ephemerals.push(e);
    return { ok: true, message_ts: e.message_ts };
  },
  'chat.delete': (a, s) => {
    const msgs = s.messages[String(a.channel)] ?? [];
    const i = msgs.findIndex((m) => m.ts === String(a.ts));
    if (i < 0) return err('message_not_found');
    msgs.splice(i, 1);
    return { ok: true, channel: a.channel, ts: a.ts };
  },
  'chat.getPermalink': (a, s) =>
    s.find(String(a.channel), String(a.message_ts))
      ? {
          ok: true,
          channel: a.channel,
          permalink: `https://fake-workspace.slack.com/archives/${a.channel}/p${String(a.message_ts).replace('.', '')}`,
        }
      : err('message_not_found'),

  'conversations.create': (a, s) => {
    const name = String(a.name ?? '');
    if (!name) return err('invalid_name_required');
    if (name.length > 80) return err('invalid_name_maxlength');
    if (!/^[a-z0-9_-]+$/.test(name)) return err('invalid_name_specials');
    if (Object.values(s.channels).some((c) => c.name === name)) return err('name_taken');
    const isPrivate = a.is_private === true || a.is_private === 'true';
    const c: FakeChannel = {
      id: s.nextId(isPrivate ? 'G' : 'C'),
      name,
      is_private: isPrivate,
      members: [s.botUserId],
      topic: '',
      pins: [],
    };
    s.channels[c.id] = c;
    return { ok: true, channel: channelInfo(s, c) };
  },
  'conversations.info': (a, s) =>
    a.channel ? { ok: true, channel: channelInfo(s, s.channel(String(a.channel))) } : err('channel_not_found'),
  'conversations.join': (a, s) => {
    if (!a.channel) return err('channel_not_found');
    const c = s.channel(String(a.channel));
    const already = c.members.includes(s.botUserId);
    if (!already) c.members.push(s.botUserId);
    return {
      ok: true,
      channel: channelInfo(s, c),
      ...(already ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } } : {}),
    };
  },
  'conversations.invite': (a, s) => {
    if (!a.channel) return err('channel_not_found');
    const users = list(a.users);
    if (users.length === 0) return err('no_user');
    if (users.includes(s.botUserId)) return err('cant_invite_self');
    const c = s.channel(String(a.channel));
    const fresh = users.filter((u) => !c.members.includes(u));
    if (fresh.length === 0) return err('already_in_channel');
    c.members.push(...fresh);
    return { ok: true, channel: channelInfo(s, c) };
  },
  'conversations.setTopic': (a, s) => {
    if (!a.channel) return err('channel_not_found');
    if (String(a.topic ?? '').length > 250) return err('too_long');
    const c = s.channel(String(a.channel));
    c.topic = String(a.topic ?? '');
    return { ok: true, channel: channelInfo(s, c) };
  },
  'conversations.members': (a, s) =>
    a.channel
      ? { ok: true, members: [...s.channel(String(a.channel)).members], response_metadata: { next_cursor: '' } }
      : err('channel_not_found'),

  'pins.add': (a, s) => {
    if (!a.channel || !a.timestamp) return err('no_item_specified');
    const c = s.channel(String(a.channel));
    if (c.pins.includes(String(a.timestamp))) return err('already_pinned');
    c.pins.push(String(a.timestamp));
    return { ok: true };
  },
  'reactions.add': (a, s) => {
    if (!a.name) return err('invalid_name');
    if (!a.channel || !a.timestamp) return err('no_item_specified');
    const key = `${a.channel}/${a.timestamp}/${a.name}`;
    if (s.reactions.has(key)) return err('already_reacted');
    s.reactions.add(key);
    return { ok: true };
  },
  ...VIEW_METHODS,
  ...USER_METHODS,

  'files.getUploadURLExternal': (a, s) => {
    if (!a.filename) return err('invalid_arguments');
    const length = Number(a.length);
    if (!Number.isFinite(length) || length <= 0) return err('invalid_arguments');
    const id = s.nextId('F');
    s.files[id] = { id, filename: String(a.filename), length };
    return { ok: true, upload_url: `${s.url}/upload/${id}`, file_id: id };
  },
  'files.completeUploadExternal': (a, s) => {
    const files: Args[] = Array.isArray(a.files) ? a.files : [];
    if (files.length === 0) return err('invalid_arguments');
    if (files.some((f) => !s.files[f.id] || !s.uploads[f.id])) return err('file_not_found');
    const out = files.map((f) => {
      const rec = Object.assign(s.files[f.id], {
        title: f.title ?? s.files[f.id].filename,
        channel_id: a.channel_id,
        thread_ts: a.thread_ts,
        initial_comment: a.initial_comment,
      });
      return {
        id: rec.id,
        name: rec.filename,
        title: rec.title,
        size: s.uploads[f.id].length,
        mimetype: 'text/plain',
        permalink: `https://fake-workspace.slack.com/files/${s.botUserId}/${rec.id}/${rec.filename}`,
      };
    });
    return { ok: true, files: out };
  },
};
