import type { View } from '@slack/types';
import type { Reply } from './reply.js';

export interface PostedMessage {
  channel: string;
  ts: string;
}

/**
 * Posting and editing messages, for code outside a request (jobs, approvals,
 * checklists, incidents). The Slack messenger implements it; tests record calls.
 */
export interface Chat {
  /** `broadcast` also shows a thread reply in the channel (a louder reminder). */
  post(channel: string, reply: Reply, threadTs?: string, opts?: { broadcast?: boolean }): Promise<PostedMessage>;
  /** Posts, joining a public channel first when the bot is not a member yet. */
  postJoining(channel: string, reply: Reply): Promise<PostedMessage>;
  /** `wait: false` gives up on a rate limit instead of waiting (progress updates). */
  update(message: PostedMessage, reply: Reply, opts?: { wait?: boolean }): Promise<void>;
  /** Shown only to `user` in `channel`. */
  postEphemeral(channel: string, user: string, reply: Reply): Promise<void>;
  /** A direct message to one person. */
  postDirect(user: string, reply: Reply): Promise<PostedMessage>;
  /** Attaches the reply's files (in a thread when `threadTs` is given). */
  uploadFiles(channel: string, reply: Reply, threadTs?: string): Promise<void>;
  /**
   * A growing log streamed into the thread of `message` for `recipient` (chat.startStream); where the chat
   * cannot stream, absent. A job's message stays the source of truth; the stream is its running log.
   */
  openLogStream?(message: PostedMessage, recipient: string, first: string): Promise<LogStream>;
}

/** One streamed reply: append lines while it runs, stop it once (chat.appendStream / chat.stopStream). */
export interface LogStream {
  append(markdown: string): Promise<void>;
  stop(markdown?: string): Promise<void>;
}

/** The Slack calls an incident needs beyond posting: its own channel, invitations, topic, pins, modals. */
export interface IncidentChannels extends Chat {
  /** Creates a channel named by `nameFor(1)`; when the name is taken tries `nameFor(2)`, `nameFor(3)` … */
  createChannel(nameFor: (attempt: number) => string, isPrivate: boolean): Promise<{ id: string; name: string }>;
  /** Invites each person separately; returns the problems in words. */
  invite(channel: string, users: string[]): Promise<string[]>;
  setTopic(channel: string, topic: string): Promise<void>;
  postAndPin(channel: string, reply: Reply): Promise<{ message: PostedMessage; problem?: string }>;
  permalink(message: PostedMessage): Promise<string | undefined>;
  /** Posts and logs instead of failing: a lost side message must not undo a recorded transition. */
  postQuietly(channel: string | undefined, reply: Reply, threadTs?: string): Promise<PostedMessage | undefined>;
  updateQuietly(message: PostedMessage | undefined, reply: Reply): Promise<void>;
  openModal(triggerId: string, view: View): Promise<void>;
  /** The text of one message (top level or in a thread). */
  messageText(channel: string, ts: string): Promise<{ text: string; user?: string } | undefined>;
}

/**
 * The platform's error code ("not_in_channel", "missing_scope") when a chat call was refused.
 * Slack's Web API client reports refusals as `{ code: 'slack_webapi_platform_error', data: { error } }`.
 */
export function chatErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } } | undefined;
  return e?.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
}

/** A chat failure in words someone can act on; missing_scope names the scope to add to manifest.yml. */
export function describeChatFailure(err: unknown, what: string): string {
  const code = chatErrorCode(err);
  if (code === 'missing_scope') {
    const needed = (err as { data?: { needed?: string } }).data?.needed ?? 'unknown';
    return `Could not ${what}: opsbot's Slack app lacks the scope \`${needed}\`. Add \`${needed}\` under oauth_config.scopes.bot in manifest.yml and reinstall the app.`;
  }
  if (code) return `Could not ${what}: Slack answered \`${code}\`.`;
  return `Could not ${what}: ${(err as Error).message}.`;
}

/** The workspace calls on-call needs beyond messages: user groups, channel members and the App Home tab. */
export interface Workspace {
  /** Members of a Slack user group (usergroups.users.list). */
  usergroupMembers(usergroupId: string): Promise<string[]>;
  /** Replaces a user group's members (usergroups.users.update; needs the usergroups:write scope). */
  setUsergroupMembers(usergroupId: string, userIds: string[]): Promise<void>;
  /** Shows `view` (type "home") as this person's App Home tab (views.publish). */
  publishHome(userId: string, view: View): Promise<void>;
  /** Everyone in a channel the bot is in (conversations.members; channels:read / groups:read). */
  channelMembers(channelId: string): Promise<string[]>;
}
