// Slack Web API method answers for the fake in fake-slack.ts. Shapes follow the
// documented responses closely enough for @slack/web-api and Bolt; errors use
// Slack's own error codes so app code paths for them can be exercised. Every message
// and view is checked against Block Kit's documented limits (block-kit-rules.ts).
import {
  BLOCK_KIT_LIMITS,
  checkMessage,
  checkView,
  invalidBlocksAnswer,
  invalidViewAnswer,
  type Surface,
} from '../../../views/block-kit-rules.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Args = Record<string, any>;
export type Answer = Record<string, any>;

export interface StoredMessage {
  ts: string;
  text?: string;
  blocks?: any[];
  attachments?: any[];
  thread_ts?: string;
  user: string;
  /** How many times chat.update touched this message. */
  updates: number;
  /** Message metadata given to chat.postMessage (returned by conversations.history with include_all_metadata). */
  metadata?: any;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  members: string[];
  topic: string;
  pins: string[];
}

export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  title?: string;
  channel_id?: string;
  thread_ts?: string;
  initial_comment?: string;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text?: string;
  blocks?: any[];
  message_ts: string;
}

/** Mutable workspace state the method handlers read and write. */
export class FakeState {
  messages: Record<string, StoredMessage[]> = {};
  ephemerals: EphemeralMessage[] = [];
  channels: Record<string, FakeChannel> = {};
  usergroups: Record<string, string[]> = {};
  /** Per-user overrides merged into users.info answers. */
  users: Record<string, Args> = {};
  uploads: Record<string, Buffer> = {};
  files: Record<string, FakeFile> = {};
  views: Record<string, Args> = {};
  reactions = new Set<string>();
  // Counters survive reset() so ids and ts never repeat within one fake.
  private seq = 0;
  private lastMicros = 0;
  /** Origin of the fake (http://127.0.0.1:port), set once listening. */
  url = '';

  constructor(
    readonly teamId: string,
    readonly botUserId: string,
    readonly botId: string,
  ) {}

  clear(): void {
    this.messages = {};
    this.ephemerals = [];
    this.channels = {};
    this.usergroups = {};
    this.users = {};
    this.uploads = {};
    this.files = {};
    this.views = {};
    this.reactions.clear();
  }

  /** Wall-clock based like real ts values, but strictly increasing. */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastMicros + 100);
    this.lastMicros = micros;
    const s = String(micros);
    return `${s.slice(0, -6)}.${s.slice(-6)}`;
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}0F${this.seq.toString(36).toUpperCase().padStart(7, '0')}`;
  }

  channel(id: string): FakeChannel {
    // Channels the fake never created (e.g. from a slash command payload) exist on demand.
    this.channels[id] ??= {
      id,
      name: `chan-${id.toLowerCase()}`,
      is_private: id.startsWith('G'),
      members: [this.botUserId],
      topic: '',
      pins: [],
    };
    return this.channels[id];
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.messages[channel]?.find((m) => m.ts === ts);
  }
}

const err = (error: string, extra: Answer = {}): Answer => ({ ok: false, error, ...extra });
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : String(v ?? '').split(',')).map((s) => s.trim()).filter(Boolean);

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

export type MethodHandler = (args: Args, s: FakeState) => Answer;

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

  'views.open': (a, s) => openView(a, s),
  'views.push': (a, s) => openView(a, s),
  'views.update': (a, s) => {
    const id = a.view_id ?? Object.keys(s.views).find((k) => a.external_id && s.views[k].external_id === a.external_id);
    if (!id || !s.views[id]) return err('not_found');
    const bad = checkViewArg(a.view, 'modal');
    if (bad) return bad;
    s.views[id] = { ...s.views[id], ...a.view, id, hash: `${Date.now()}.${id}` };
    return { ok: true, view: s.views[id] };
  },
  'views.publish': (a, s) => {
    if (!a.user_id)
      return err('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: user_id'] } });
    const bad = checkViewArg(a.view, 'home');
    if (bad) return bad;
    const id =
      Object.keys(s.views).find((k) => s.views[k].type === 'home' && s.views[k].user_id === a.user_id) ?? s.nextId('V');
    s.views[id] = {
      id,
      team_id: s.teamId,
      app_id: 'A0FAKEAPP',
      bot_id: s.botId,
      ...a.view,
      user_id: a.user_id,
      hash: `${Date.now()}.${id}`,
    };
    return { ok: true, view: s.views[id] };
  },

  'users.info': (a, s) => {
    const id = String(a.user ?? '');
    if (!id) return err('user_not_found');
    const name = id === s.botUserId ? 'opsbot' : `user-${id.toLowerCase()}`;
    const base = {
      id,
      team_id: s.teamId,
      name,
      deleted: false,
      real_name: name,
      tz: 'Europe/Paris',
      tz_offset: 3600,
      is_bot: id === s.botUserId,
      is_admin: false,
      is_restricted: false,
      profile: { real_name: name, display_name: name, email: `${name}@example.com`, team: s.teamId },
    };
    return { ok: true, user: { ...base, ...s.users[id] } };
  },
  'usergroups.users.list': (a, s) => {
    const users = s.usergroups[String(a.usergroup ?? '')];
    return users ? { ok: true, users: [...users] } : err('no_such_subteam');
  },

  // https://api.slack.com/methods/usergroups.users.update: users is a comma-separated list; the answer is the group.
  'usergroups.users.update': (a, s) => {
    const id = String(a.usergroup ?? '');
    if (!s.usergroups[id]) return err('no_such_subteam');
    const users = list(a.users);
    if (users.length === 0) return err('invalid_users');
    s.usergroups[id] = users;
    return {
      ok: true,
      usergroup: {
        id,
        team_id: s.teamId,
        is_usergroup: true,
        name: id.toLowerCase(),
        handle: id.toLowerCase(),
        users: [...users],
        user_count: String(users.length),
        date_update: Math.floor(Date.now() / 1000),
      },
    };
  },

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

function openView(a: Args, s: FakeState): Answer {
  if (!a.trigger_id && !a.interactivity_pointer)
    return err('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] },
    });
  const bad = checkViewArg(a.view, 'modal');
  if (bad) return bad;
  const id = s.nextId('V');
  s.views[id] = {
    id,
    team_id: s.teamId,
    type: 'modal',
    blocks: [],
    private_metadata: '',
    callback_id: '',
    external_id: '',
    state: { values: {} },
    clear_on_close: false,
    notify_on_close: false,
    root_view_id: id,
    previous_view_id: null,
    app_id: 'A0FAKEAPP',
    bot_id: s.botId,
    ...a.view,
    hash: `${Date.now()}.${id}`,
  };
  return { ok: true, view: s.views[id] };
}

function checkViewArg(view: unknown, surface: Surface): Answer | undefined {
  const problems = checkView(view, surface);
  return problems.length ? invalidViewAnswer(problems) : undefined;
}
