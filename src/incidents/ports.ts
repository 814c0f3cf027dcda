import type { Incident, Severity } from '../store/incidents.js';
import type { TimelineEntry } from '../store/timeline.js';

/** What the incident workflow offers commands, alerts and on-call (implemented by service.ts). */

export interface DeclareInput {
  /** Idempotency key: the slash command's trigger_id or the modal's; none for system declarations. */
  key?: string;
  title: string;
  severity: Severity;
  env?: string;
  description?: string;
  ownerId?: string;
  actorId: string;
  originChannelId?: string;
}

export interface Declared {
  incident: Incident;
  duplicate: boolean;
  problems: string[];
}

/** A transition's result; `effects` are the Slack messages, which modal handlers need not wait for. */
export interface Changed {
  incident: Incident;
  effects: Promise<void>;
}

/** The incident workflow as commands and alerts use it. */
export interface Incidents {
  declare(input: DeclareInput, opts?: { setUp?: boolean }): Promise<Declared>;
  /** The incident a command is about: by id, else the one whose channel this is. */
  target(where: { id?: number; channelId?: string }): Promise<Incident>;
  acknowledge(id: number, actorId: string): Promise<Changed>;
  assign(id: number, actorId: string, ownerId: string): Promise<Changed>;
  setSeverity(id: number, actorId: string, severity: Severity): Promise<Changed>;
  update(id: number, actorId: string, text: string, opts?: { mitigated?: boolean }): Promise<Changed>;
  note(id: number, actorId: string, text: string): Promise<Incident>;
  resolve(id: number, actorId: string, summary: string): Promise<Changed>;
  postmortem(incident: Incident): Promise<string>;
  timeline(id: number): Promise<TimelineEntry[]>;
  listOpen(): Promise<Incident[]>;
}

/** On-call paging's view of incidents (src/oncall): a declared P0/P1 pages; acknowledging or resolving stops it. */
export interface IncidentPaging {
  /** Whether an escalation policy pages incidents of this severity (then the one-shot escalation is off). */
  covers(severity: string): boolean;
  declared(incident: Incident, key?: string): Promise<void>;
  acknowledged(incident: Incident, actorId: string): Promise<void>;
  resolved(incident: Incident, actorId: string): Promise<void>;
}
