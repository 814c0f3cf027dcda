import type { View } from '@slack/types';
import { describeChatFailure, type IncidentChannels, type PostedMessage } from '../core/chat.js';
import { slackErrorCode, type SlackMessenger } from './messenger.js';
import type { Logger } from '../log.js';
import type { Reply } from '../core/reply.js';

const NAME_ATTEMPTS = 8;

/**
 * The Slack calls an incident needs beyond posting: a channel with a unique
 * name, invitations, topic, pins, modals, reading a pinned message. Each call
 * goes through the messenger's client, which has its own timeout.
 */
export class SlackIncidentChannels implements IncidentChannels {
  constructor(
    readonly messenger: SlackMessenger,
    private readonly log: Logger,
  ) {}

  /** Creates a channel named by `nameFor(1)`; on name_taken tries `nameFor(2)`, `nameFor(3)` … */
  async createChannel(nameFor: (attempt: number) => string, isPrivate: boolean): Promise<{ id: string; name: string }> {
    for (let attempt = 1; ; attempt++) {
      const name =
        attempt <= NAME_ATTEMPTS
          ? nameFor(attempt)
          : `${nameFor(1).slice(0, 70)}-${Math.random().toString(36).slice(2, 7)}`;
      try {
        const result = await this.messenger.client.conversations.create({ name, is_private: isPrivate });
        return { id: String(result.channel?.id), name: String(result.channel?.name ?? name) };
      } catch (err) {
        if (slackErrorCode(err) !== 'name_taken' || attempt > NAME_ATTEMPTS + 2) throw err;
      }
    }
  }

  /** Invites each person separately, so one deactivated account does not keep the others out. */
  async invite(channel: string, users: string[]): Promise<string[]> {
    const problems: string[] = [];
    for (const user of users) {
      try {
        await this.messenger.client.conversations.invite({ channel, users: user });
      } catch (err) {
        const code = slackErrorCode(err);
        if (code === 'already_in_channel' || code === 'cant_invite_self') continue;
        problems.push(describeChatFailure(err, `invite <@${user}>`));
        if (code === 'missing_scope') break;
      }
    }
    return problems;
  }

  post(...args: Parameters<SlackMessenger['post']>): Promise<PostedMessage> {
    return this.messenger.post(...args);
  }

  postJoining(channel: string, reply: Reply): Promise<PostedMessage> {
    return this.messenger.postJoining(channel, reply);
  }

  update(...args: Parameters<SlackMessenger['update']>): Promise<void> {
    return this.messenger.update(...args);
  }

  postEphemeral(channel: string, user: string, reply: Reply): Promise<void> {
    return this.messenger.postEphemeral(channel, user, reply);
  }

  postDirect(user: string, reply: Reply): Promise<PostedMessage> {
    return this.messenger.postDirect(user, reply);
  }

  uploadFiles(channel: string, reply: Reply, threadTs?: string): Promise<void> {
    return this.messenger.uploadFiles(channel, reply, threadTs);
  }

  async setTopic(channel: string, topic: string): Promise<void> {
    await this.messenger.client.conversations.setTopic({ channel, topic: topic.slice(0, 250) });
  }

  async postAndPin(channel: string, reply: Reply): Promise<{ message: PostedMessage; problem?: string }> {
    const message = await this.messenger.post(channel, reply);
    try {
      await this.messenger.client.pins.add({ channel, timestamp: message.ts });
      return { message };
    } catch (err) {
      if (slackErrorCode(err) === 'already_pinned') return { message };
      return { message, problem: describeChatFailure(err, 'pin the incident card') };
    }
  }

  async permalink(message: PostedMessage): Promise<string | undefined> {
    try {
      const result = await this.messenger.client.chat.getPermalink({
        channel: message.channel,
        message_ts: message.ts,
      });
      return result.permalink ? String(result.permalink) : undefined;
    } catch (err) {
      this.log.debug({ err }, 'no permalink for the announcement');
      return undefined;
    }
  }

  /** Posts and logs instead of failing: a lost side message must not undo a recorded transition. */
  async postQuietly(channel: string | undefined, reply: Reply, threadTs?: string): Promise<PostedMessage | undefined> {
    if (!channel) return undefined;
    try {
      return await this.messenger.post(channel, reply, threadTs);
    } catch (err) {
      this.log.warn({ err, channel }, 'could not post an incident message');
      return undefined;
    }
  }

  async updateQuietly(message: PostedMessage | undefined, reply: Reply): Promise<void> {
    if (!message) return;
    await this.messenger
      .update(message, reply)
      .catch((err) => this.log.warn({ err, message }, 'could not update an incident card'));
  }

  async openModal(triggerId: string, view: View): Promise<void> {
    await this.messenger.client.views.open({ trigger_id: triggerId, view });
  }

  /** The text of one message (top level or in a thread), for a :pushpin: reaction. */
  async messageText(channel: string, ts: string): Promise<{ text: string; user?: string } | undefined> {
    const history = await this.messenger.client.conversations.history({
      channel,
      latest: ts,
      inclusive: true,
      limit: 1,
    });
    let message = history.messages?.find((m) => m.ts === ts);
    if (!message) {
      const replies = await this.messenger.client.conversations.replies({
        channel,
        ts,
        latest: ts,
        inclusive: true,
        limit: 1,
      });
      message = replies.messages?.find((m) => m.ts === ts);
    }
    if (!message) return undefined;
    const text = message.text || (message.files?.map((f) => f.name).join(', ') ?? '');
    return { text, user: message.user };
  }
}
