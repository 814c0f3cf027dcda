import { z } from 'zod';
import { DEFAULT_SEVERITY_WORDS } from './defaults.js';

/**
 * `alerts.severityWords`: the words webhooks and Alertmanager labels use for severity (critical, high,
 * warning, …) as P-levels. What ops.yml gives is merged over DEFAULT_SEVERITY_WORDS (ESN's table), so a
 * team following SoleMate's numbering writes only the words that move: `{ critical: P1, high: P2, … }`.
 */
export const severityWordsSchema = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a severity word such as critical or sev1'),
    z.enum(['P0', 'P1', 'P2', 'P3', 'P4']),
  )
  .prefault({})
  .transform(
    (given) =>
      ({
        ...DEFAULT_SEVERITY_WORDS,
        ...Object.fromEntries(Object.entries(given).map(([word, level]) => [word.toLowerCase(), level])),
      }) as Record<string, 'P0' | 'P1' | 'P2' | 'P3' | 'P4'>,
  );

interface Labelled {
  alerts: { severityWords: Record<string, string> };
  incidents: { severities: Record<string, { label: string }> };
}

/**
 * The words and the severity labels must agree: when a label starts with a severity word ("Critical —
 * payment failures" on P1), that word must mean a level labelled so, or an alert saying "critical" would
 * land on another level than the incident labelled Critical. (Two levels may share a word: SoleMate's
 * numbering keeps P0 "Critical — complete outage" beside P1 "Critical — payment failures".)
 */
export function severityWordProblems(config: Labelled): { path: (string | number)[]; message: string }[] {
  const byWord = new Map<string, string[]>();
  for (const [level, { label }] of Object.entries(config.incidents.severities)) {
    const word = /^[A-Za-z]+/.exec(label.trim())?.[0]?.toLowerCase();
    if (word && config.alerts.severityWords[word]) byWord.set(word, [...(byWord.get(word) ?? []), level]);
  }
  return [...byWord].flatMap(([word, levels]) => {
    const mapped = config.alerts.severityWords[word];
    if (levels.includes(mapped)) return [];
    const label = config.incidents.severities[levels[0]].label;
    return [
      {
        path: ['alerts', 'severityWords', word],
        message: `"${word}" means ${mapped} here, but incidents.severities.${levels[0]} is labelled "${label}"; set alerts.severityWords.${word}: ${levels[0]} (or change the label) so alerts and incidents agree`,
      },
    ];
  });
}
