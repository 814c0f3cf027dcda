/** Something a plan acts on, named concretely: an instance id, a version label, a pid with its backend_start. */
export interface PlanTarget {
  /** e.g. "eb-environment", "ecs-service", "app-version", "task-definition", "rds-snapshot", "pg-backend". */
  kind: string;
  id: string;
  /** More that identifies it (a pid's backend_start, an instance class). */
  detail?: string;
}

/** What must still be true when the plan runs; the command's execute checks it against live state. */
export interface Precondition {
  /** Human wording: "expo-project-prod-env runs". */
  what: string;
  /** The value seen at request time: "app-v42". */
  expected: string | number | boolean | null;
}

/**
 * A gated command planned once, at request time. Serialisable (JSON): the
 * approval row stores it, the card renders it, the job data carries its
 * `data`, and Approve executes exactly this and nothing else.
 */
export interface Plan<D = Record<string, unknown>> {
  command: string;
  env: string;
  /** The resolved arguments, as bound when it was asked for. */
  args: Record<string, unknown>;
  /** One line for the card's headline: "Roll back expo-project-prod-env from app-v42 to app-v41". */
  summary: string;
  /** The concrete effect, one line each. */
  effects: string[];
  targets: PlanTarget[];
  preconditions: Precondition[];
  /** What execute needs, concretely: the frozen targets and the values the preconditions compare with. */
  data: D;
  plannedAt: string;
}
