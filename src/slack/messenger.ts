import { WebClient, ErrorCode, type ChatPostMessageArguments, type WebAPICallResult } from '@slack/web-api';
import type { Reply } from '../core/reply.js';
import { redactSecrets } from '../redact.js';
import type { Logger } from '../log.js';
import { toSlackMessage } from './render.js';

import type { View } from '@slack/types';
import type { Chat, LogStream, PostedMessage, Workspace } from '../core/chat.js';

export type { PostedMessage } from '../core/chat.js';

/**
 * The bot's outgoing Slack calls outside a request (job progress, follow-ups).
 * Rate-limited calls are not retried inside the client (that would stall every
 * call behind one 429); callers decide: progress updates skip, final ones wait.
 */
export class SlackMessenger implements Chat, Workspace {
  constructor(
    readonly client: WebClient,
    private readonly log: Logger,
  ) {}

  static create(token: string, apiUrl: string | undefined, log: Logger): SlackMessenger {
    const client = new WebClient(token, {
      slackApiUrl: apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 },
      timeout: 10_000,
    });
    return new SlackMessenger(client, log);
  }

  /** `broadcast` also shows a thread reply in the channel (a louder reminder). */
  async post(channel: string, reply: Reply, threadTs?: string, { broadcast = false } = {}): Promise<PostedMessage> {
    const args = {
      channel,
      thread_ts: threadTs,
      ...(broadcast && threadTs ? { reply_broadcast: true } : {}),
      ...toSlackMessage(reply),
    } as ChatPostMessageArguments;
    const result = await this.call(() => this.client.chat.postMessage(args));
    const posted = { channel: String(result.channel ?? channel), ts: String(result.ts) };
    await this.uploadFiles(posted.channel, reply, posted.ts);
    return posted;
  }

  /** Posts, joining a public channel first when the bot is not a member yet. */
  async postJoining(channel: string, reply: Reply): Promise<PostedMessage> {
    try {
      return await this.post(channel, reply);
    } catch (err) {
      if (slackErrorCode(err) !== 'not_in_channel') throw err;
      await this.client.conversations.join({ channel });
      return this.post(channel, reply);
    }
  }

  async postEphemeral(channel: string, user: string, reply: Reply): Promise<void> {
    const { text, blocks, attachments } = toSlackMessage(reply);
    await this.call(() => this.client.chat.postEphemeral({ channel, user, text, blocks, attachments }));
  }

  async postDirect(user: string, reply: Reply): Promise<PostedMessage> {
    return this.post(user, reply);
  }

  async update(message: PostedMessage, reply: Reply, { wait = true } = {}): Promise<void> {
    const send = () => this.client.chat.update({ channel: message.channel, ts: message.ts, ...toSlackMessage(reply) });
    if (wait) await this.call(send);
    else await send();
    if (reply.files?.length) await this.uploadFiles(message.channel, reply, message.ts);
  }

  /** chat.startStream in the thread of `message`: outside a DM Slack wants the recipient and their team. */
  async openLogStream(message: PostedMessage, recipient: string, first: string): Promise<LogStream> {
    const team = await this.teamId();
    const started = await this.call(() =>
      this.client.chat.startStream({
        channel: message.channel,
        thread_ts: message.ts,
        recipient_user_id: recipient,
        recipient_team_id: team,
        markdown_text: redactSecrets(first),
      }),
    );
    const stream = { channel: String(started.channel ?? message.channel), ts: String(started.ts) };
    return {
      append: async (markdown) =>
        void (await this.call(() =>
          this.client.chat.appendStream({ ...stream, markdown_text: redactSecrets(markdown) }),
        )),
      stop: async (markdown) =>
        void (await this.call(() =>
          this.client.chat.stopStream({ ...stream, ...(markdown ? { markdown_text: redactSecrets(markdown) } : {}) }),
        )),
    };
  }

  private team?: Promise<string>;
  private teamId(): Promise<string> {
    this.team ??= this.call(() => this.client.auth.test()).then((r) => String(r.team_id));
    this.team.catch(() => (this.team = undefined));
    return this.team;
  }

  async uploadFiles(channel: string, reply: Reply, threadTs?: string): Promise<void> {
    for (const file of reply.files ?? []) {
      const content = typeof file.content === 'string' ? redactSecrets(file.content) : file.content;
      const destination = threadTs ? { channel_id: channel, thread_ts: threadTs } : { channel_id: channel };
      const body = typeof content === 'string' ? { content } : { file: content };
      await this.call(() =>
        this.client.files.uploadV2({
          ...destination,
          ...body,
          filename: file.filename,
          title: file.title ?? file.filename,
        }),
      );
    }
  }

  async usergroupMembers(usergroupId: string): Promise<string[]> {
    const result = await this.call(() => this.client.usergroups.users.list({ usergroup: usergroupId }));
    return (result.users ?? []).map(String);
  }

  /** Slack refuses an empty list (invalid_users): a group is never emptied, the caller says why. */
  async setUsergroupMembers(usergroupId: string, userIds: string[]): Promise<void> {
    await this.call(() => this.client.usergroups.users.update({ usergroup: usergroupId, users: userIds.join(',') }));
  }

  async publishHome(userId: string, view: View): Promise<void> {
    await this.call(() => this.client.views.publish({ user_id: userId, view: view as never }));
  }

  /** Follows the cursor up to 10 pages of 1000 (channels past 10 000 members are cut there, and logged). */
  async channelMembers(channelId: string): Promise<string[]> {
    const members: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await this.call(() =>
        this.client.conversations.members({ channel: channelId, limit: 1000, cursor }),
      );
      members.push(...(result.members ?? []).map(String));
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return members;
    }
    this.log.warn({ channelId, members: members.length }, 'channel members cut at 10 pages');
    return members;
  }

  /** Honours Retry-After on 429 up to three times, then gives up with the rate-limit error. */
  private async call<T extends WebAPICallResult>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const retryAfter =
          (err as { code?: string; retryAfter?: number }).code === ErrorCode.RateLimitedError
            ? (err as { retryAfter: number }).retryAfter
            : undefined;
        if (retryAfter === undefined || attempt >= 3) throw err;
        this.log.warn({ retryAfter }, 'slack rate limited; waiting');
        await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      }
    }
  }
}

/** The Slack error string ("not_in_channel", "missing_scope") of a platform error, if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  return e.code === ErrorCode.PlatformError ? e.data?.error : undefined;
}
