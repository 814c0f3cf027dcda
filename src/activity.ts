import type { Logger } from './log.js';

/** Something that happened in a channel: a command and its outcome, an approval step, an alert routed there. */
export interface ChannelActivity {
  channelId: string;
  kind: 'command' | 'approval' | 'alert' | 'job' | 'note';
  actorId?: string;
  text: string;
  at: Date;
  detail?: Record<string, unknown>;
}

/** Records what happened in a channel, for whoever follows it (the incident timeline). */
export interface ActivityRecorder {
  record(activity: Omit<ChannelActivity, 'at'> & { at?: Date }): Promise<void>;
}

export type ActivitySink = (activity: ChannelActivity) => Promise<void>;

/**
 * Fans channel activity out to whoever cares (the incident timeline records
 * what happens in incident channels). Sinks fail alone: a broken sink never
 * fails the command that produced the activity.
 */
export class ActivityLog implements ActivityRecorder {
  private readonly sinks: ActivitySink[] = [];

  constructor(private readonly log: Logger) {}

  addSink(sink: ActivitySink): void {
    this.sinks.push(sink);
  }

  async record(activity: Omit<ChannelActivity, 'at'> & { at?: Date }): Promise<void> {
    const entry = { ...activity, at: activity.at ?? new Date() };
    await Promise.all(
      this.sinks.map((sink) =>
        sink(entry).catch((err) => this.log.warn({ err, kind: entry.kind }, 'activity sink failed')),
      ),
    );
  }
}
