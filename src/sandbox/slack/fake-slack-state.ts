// The fake Slack's workspace (messages, channels, views, users, files) and the shapes its Web API
// methods read and answer with; the methods live in fake-slack-methods.ts and its siblings.

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

/** Slack's error answer: `{ ok: false, error }`, with any extra fields Slack adds. */
export const err = (error: string, extra: Answer = {}): Answer => ({ ok: false, error, ...extra });

/** A list argument as Slack takes it: a JSON array or a comma-separated string. */
export const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : String(v ?? '').split(',')).map((s) => s.trim()).filter(Boolean);

export type MethodHandler = (args: Args, s: FakeState) => Answer;
