import type { Logger } from '../log.js';
import type { Reply } from './reply.js';

/** One button click (or menu choice), reduced to what a handler needs. */
export interface Click {
  actionId: string;
  /** The button's value, or the selected option values joined by "," for menus and checkboxes. */
  value: string;
  /** For checkboxes: every selected option value. */
  selected?: string[];
  blockId?: string;
  userId: string;
  userName?: string;
  channelId?: string;
  messageTs?: string;
  /** Valid for 3 s: lets a click open a modal. */
  triggerId?: string;
  log: Logger;
}

/**
 * A button handler contributed by a feature (approvals, incidents, alerts…).
 * It may return a reply shown only to the clicker (a refusal, a result).
 */
export interface ActionListener {
  /** An exact action_id, or a prefix ending in "*" ("checklist.tick.*"). */
  actionId: string;
  handle(click: Click): Promise<Reply | undefined>;
}

/** A submitted modal: values flattened to { blockId: value }. */
export interface ViewSubmission {
  callbackId: string;
  userId: string;
  values: Record<string, string | string[] | undefined>;
  privateMetadata: string;
  log: Logger;
}

export interface ViewListener {
  callbackId: string;
  /** Returns field errors to keep the modal open ({ blockId: message }), or nothing to close it. */
  handle(submission: ViewSubmission): Promise<Record<string, string> | undefined>;
}

/** A shortcut someone chose: a global one (the composer's ⚡ menu) or one on a message's "More actions". */
export interface Shortcut {
  callbackId: string;
  kind: 'global' | 'message';
  userId: string;
  /** Valid for 3 s: lets the shortcut open a modal. */
  triggerId: string;
  /** Message shortcuts: where the message is and what it says. */
  channelId?: string;
  message?: { ts: string; text: string; user?: string };
  log: Logger;
}

/** A shortcut handler contributed by a feature; a reply is shown to the person only (a refusal, a result). */
export interface ShortcutListener {
  callbackId: string;
  handle(shortcut: Shortcut): Promise<Reply | undefined>;
}

/** An Events API event (reaction_added, …) contributed by a feature. */
export interface EventListener {
  event: string;
  handle(event: Record<string, unknown>, log: Logger): Promise<void>;
}
