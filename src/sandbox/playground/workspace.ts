// The playground's Slack workspace: channels, people, and each channel's
// timeline assembled from what the fake Web API recorded (bot posts and their
// updates), what people typed, and what the bot sent to response_urls.
import type { FakeSlack, ResponseUrlPost } from '../slack/fake-slack.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Person {
  id: string;
  name: string;
  realName: string;
  title: string;
}
export interface Channel {
  id: string;
  name: string;
}

export const PEOPLE: Person[] = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Martin', title: 'On-call engineer' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Chen', title: 'On-call engineer' },
  { id: 'U0CAROL', name: 'carol', realName: 'Carol Diaz', title: 'Developer (not on call)' },
];

export const CHANNELS: Channel[] = [
  { id: 'C0OPS', name: 'ops' },
  { id: 'C0ALERTS', name: 'alerts' },
  { id: 'C0INCIDENTS', name: 'incidents' },
];

/** Where a response_url post lands: the channel and person it answers, and the message a click came from. */
export interface ResponseTarget {
  channel: string;
  user: string;
  source?: EntryRef;
}
export type EntryRef = { kind: 'bot'; channel: string; ts: string } | { kind: 'reply'; id: string };

interface Typed {
  channel: string;
  ts: string;
  user: string;
  text: string;
}
interface Reply {
  id: string;
  channel: string;
  user: string;
  ts: string;
  ephemeral: boolean;
  body: any;
  deleted?: boolean;
}

export interface Entry {
  key: string;
  ts: string;
  author: string;
  bot: boolean;
  text?: string;
  blocks?: any[];
  attachments?: any[];
  ephemeral: boolean;
  edited: boolean;
  threadTs?: string;
  ref?: EntryRef;
}

export class Workspace {
  private typed: Typed[] = [];
  private replies: Reply[] = [];
  private targets = new Map<string, ResponseTarget>();
  private triggers = new Map<string, string>();
  private openViews = new Map<string, string>();
  private seq = 0;

  constructor(readonly fake: FakeSlack) {
    for (const c of CHANNELS) {
      fake.channel(c.id).name = c.name;
      // Everyone is in every channel, so the App Home's "firing alerts in your channels" shows the demo's alerts.
      fake.channel(c.id).members.push(...PEOPLE.map((p) => p.id));
    }
    for (const p of PEOPLE) {
      fake.users[p.id] = {
        name: p.name,
        real_name: p.realName,
        profile: {
          real_name: p.realName,
          display_name: p.name,
          title: p.title,
          email: `${p.name}@example.com`,
          team: fake.teamId,
        },
      };
    }
    fake.listeners.add((event) => {
      if (event.kind === 'response') this.onResponse(event.post);
      else if (event.call.method === 'views.open' && event.call.response?.ok) {
        const user = this.triggers.get(String(event.call.args.trigger_id));
        if (user) this.openViews.set(user, event.call.response.view.id);
      }
    });
  }

  person(id: string): Person {
    return PEOPLE.find((p) => p.id === id) ?? PEOPLE[0];
  }

  channelName(id: string): string {
    return this.fake.channels[id]?.name ?? id;
  }

  recordTyped(channel: string, user: string, text: string): void {
    this.typed.push({ channel, user, text, ts: this.fake.nextTs() });
  }

  /** A fresh response_url on the fake for an answer to `target`. */
  responseUrl(target: ResponseTarget): string {
    const id = `pg${++this.seq}`;
    this.targets.set(id, target);
    return this.fake.responseUrl(id);
  }

  trigger(user: string, triggerId: string): void {
    this.triggers.set(triggerId, user);
  }

  openView(user: string): any {
    const id = this.openViews.get(user);
    return id ? this.fake.views[id] : undefined;
  }

  closeView(user: string): void {
    this.openViews.delete(user);
  }

  /** The message a button lives in, as Slack puts it in a block_actions payload. */
  messageFor(ref: EntryRef): { message?: any; ephemeral: boolean } {
    if (ref.kind === 'bot') {
      const m = this.fake.message(ref.channel, ref.ts);
      return {
        message: m && {
          type: 'message',
          subtype: 'bot_message',
          ts: m.ts,
          text: m.text ?? '',
          blocks: m.blocks ?? [],
          attachments: m.attachments,
          bot_id: this.fake.botId,
          user: this.fake.botUserId,
        },
        ephemeral: false,
      };
    }
    const r = this.replies.find((x) => x.id === ref.id);
    return {
      message:
        r && !r.ephemeral
          ? {
              type: 'message',
              subtype: 'bot_message',
              ts: r.ts,
              text: r.body.text ?? '',
              blocks: r.body.blocks ?? [],
              bot_id: this.fake.botId,
            }
          : undefined,
      ephemeral: r?.ephemeral ?? true,
    };
  }

  private onResponse(post: ResponseUrlPost): void {
    const target = this.targets.get(post.id);
    if (!target || typeof post.body !== 'object' || post.body === null) return;
    const body = post.body as any;
    const replace = body.replace_original === true || body.replace_original === 'true';
    const remove = body.delete_original === true || body.delete_original === 'true';
    if ((replace || remove) && target.source) {
      if (target.source.kind === 'bot') {
        const list = this.fake.messages[target.source.channel] ?? [];
        const i = list.findIndex((m) => target.source!.kind === 'bot' && m.ts === target.source!.ts);
        if (i >= 0 && remove) list.splice(i, 1);
        else if (i >= 0)
          Object.assign(list[i], {
            text: body.text ?? list[i].text,
            blocks: body.blocks ?? [],
            attachments: body.attachments ?? [],
            updates: list[i].updates + 1,
          });
      } else {
        const reply = this.replies.find((r) => target.source!.kind === 'reply' && r.id === target.source!.id);
        if (reply && remove) reply.deleted = true;
        else if (reply) reply.body = { ...body, response_type: reply.ephemeral ? 'ephemeral' : 'in_channel' };
      }
      return;
    }
    this.replies.push({
      id: post.id,
      channel: target.channel,
      user: target.user,
      ts: this.fake.nextTs(),
      ephemeral: body.response_type !== 'in_channel',
      body,
    });
  }

  /** Every channel the bot knows (the usual ones first, then those incidents created). */
  channels(): Channel[] {
    const known = new Set(CHANNELS.map((c) => c.id));
    const created = Object.values(this.fake.channels)
      .filter((c) => !known.has(c.id) && !c.name.startsWith('chan-'))
      .map((c) => ({ id: c.id, name: c.name }));
    return [...CHANNELS.map((c) => ({ id: c.id, name: this.channelName(c.id) })), ...created];
  }

  /** What `viewer` sees in a channel, oldest first (ephemeral answers only their own). */
  timeline(channel: string, viewer: string, max = 80): Entry[] {
    const bot = 'opsbot';
    const entries: Entry[] = [
      ...(this.fake.messages[channel] ?? []).map((m) => ({
        key: `b:${m.ts}`,
        ts: m.ts,
        author: bot,
        bot: true,
        text: m.text,
        blocks: m.blocks,
        attachments: m.attachments,
        ephemeral: false,
        edited: m.updates > 0,
        threadTs: m.thread_ts,
        ref: { kind: 'bot', channel, ts: m.ts } as EntryRef,
      })),
      ...this.typed
        .filter((t) => t.channel === channel)
        .map((t) => ({
          key: `t:${t.ts}`,
          ts: t.ts,
          author: this.person(t.user).realName,
          bot: false,
          text: `/ops ${t.text}`,
          ephemeral: false,
          edited: false,
        })),
      ...this.replies
        .filter((r) => r.channel === channel && !r.deleted && (!r.ephemeral || r.user === viewer))
        .map((r) => ({
          key: `r:${r.id}`,
          ts: r.ts,
          author: bot,
          bot: true,
          text: r.body.text,
          blocks: r.body.blocks,
          attachments: r.body.attachments,
          ephemeral: r.ephemeral,
          edited: false,
          ref: { kind: 'reply', id: r.id } as EntryRef,
        })),
      ...this.fake.ephemerals
        .filter((e) => e.channel === channel && e.user === viewer)
        .map((e) => ({
          key: `e:${e.message_ts}`,
          ts: e.message_ts,
          author: bot,
          bot: true,
          text: e.text,
          blocks: e.blocks,
          ephemeral: true,
          edited: false,
        })),
    ];
    return entries.sort((a, b) => Number(a.ts) - Number(b.ts)).slice(-max);
  }

  /** Keep a long-running demo's recordings small. */
  trim(): void {
    if (this.fake.calls.length > 2000) this.fake.calls.splice(0, this.fake.calls.length - 500);
    if (this.fake.responses.length > 2000) this.fake.responses.splice(0, this.fake.responses.length - 500);
  }
}
