import type { SilenceRepository, Silence } from '../store/silences.js';
import type { AlertRepository, StoredAlert } from '../store/alerts.js';
import { globMatch, type NormalizedAlert } from './types.js';

/** A silence matches a dedupe key exactly, or as a glob over the key, title and alarm name. */
export function silenceMatches(matcher: string, alert: Pick<NormalizedAlert, 'key' | 'title' | 'alarmName'>): boolean {
  if (matcher === alert.key) return true;
  if (!/[*?]/.test(matcher)) return matcher === alert.title || matcher === alert.alarmName;
  return globMatch(matcher, alert.key) || globMatch(matcher, alert.title) || globMatch(matcher, alert.alarmName);
}

export interface SilenceEnd {
  silence: Silence;
  held: StoredAlert[];
  stillFiring: StoredAlert[];
}

/** Silences: matching, creating (applied to what fires now), and ending (what was held back). */
export class SilenceBook {
  constructor(
    readonly repo: SilenceRepository,
    private readonly alerts: AlertRepository,
  ) {}

  async matching(alert: NormalizedAlert): Promise<Silence | undefined> {
    const active = await this.repo.active();
    return active.find((s) => silenceMatches(s.matcher, alert));
  }

  /** Creates the silence and applies it to alerts firing now; returns those. */
  async add(input: {
    matcher: string;
    reason?: string;
    createdBy: string;
    channelId?: string;
    durationMs: number;
  }): Promise<{ silence: Silence; applied: StoredAlert[] }> {
    const silence = await this.repo.create(input);
    const firing = (await this.alerts.firing()).filter((a) => !a.silenceId && silenceMatches(silence.matcher, a));
    const applied = firing.length
      ? await this.alerts.setSilence(
          firing.map((a) => a.id),
          silence.id,
        )
      : [];
    return { silence, applied };
  }

  /** Releases the alerts a finished silence held; the caller posts the summary and shows still-firing ones again. */
  async release(silence: Silence): Promise<SilenceEnd> {
    const held = await this.alerts.silencedBy(silence.id);
    const stillFiring = held.filter((a) => a.state === 'firing');
    if (held.length)
      await this.alerts.setSilence(
        held.map((a) => a.id),
        null,
      );
    return { silence, held, stillFiring };
  }
}
