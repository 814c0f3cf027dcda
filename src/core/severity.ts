/** Incident and alert severity, P0 (most severe) to P4: the vocabulary config, alerts and incidents share. */
export type Severity = 'P0' | 'P1' | 'P2' | 'P3' | 'P4';

export const SEVERITIES: Severity[] = ['P0', 'P1', 'P2', 'P3', 'P4'];

export function isSeverity(word: string | undefined): word is Severity {
  return SEVERITIES.includes(word?.toUpperCase() as Severity);
}
