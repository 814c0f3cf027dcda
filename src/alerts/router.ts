import type { OpsConfig } from '../config/schema.js';
import { globMatch, type NormalizedAlert, type Severity } from './types.js';

export type AlertRouteConfig = OpsConfig['alerts']['routes'][number];

export interface RouteDecision {
  /** Index into alerts.routes; undefined for the default (channels.alerts). */
  index?: number;
  channel?: string;
  severity: Severity;
  mentions: string[];
  runbook?: string;
  autoIncident: boolean;
}

function matches(route: AlertRouteConfig, alert: NormalizedAlert): boolean {
  const m = route.match;
  if (m.alarmName && !globMatch(m.alarmName, alert.alarmName ?? alert.title)) return false;
  if (m.namespace && !globMatch(m.namespace, alert.metric?.namespace)) return false;
  if (m.environment && !globMatch(m.environment, alert.environment)) return false;
  if (m.source && !globMatch(m.source, alert.source)) return false;
  if (m.severity && m.severity !== alert.severity) return false;
  return true;
}

/** An alarm with no severity of its own: the first of the guides' alarm-name patterns it matches. */
function patternSeverity(config: OpsConfig, alert: NormalizedAlert): Severity | undefined {
  const name = alert.alarmName ?? alert.title;
  return config.alerts.severityPatterns.find((p) => globMatch(p.alarmName, name))?.severity;
}

/**
 * First matching route in ops.yml alerts.routes wins; unmatched alerts go to channels.alerts.
 * Severity: the route's, else the alert's own, else an alarm-name pattern's, else alerts.defaultSeverity.
 */
export function routeAlert(config: OpsConfig, alert: NormalizedAlert): RouteDecision {
  const index = config.alerts.routes.findIndex((r) => matches(r, alert));
  const fallback = () => patternSeverity(config, alert) ?? config.alerts.defaultSeverity;
  if (index < 0) {
    return {
      channel: config.channels.alerts,
      severity: alert.severity ?? fallback(),
      mentions: [],
      autoIncident: false,
    };
  }
  const route = config.alerts.routes[index];
  return {
    index,
    channel: route.channel,
    severity: route.severity ?? alert.severity ?? fallback(),
    mentions: route.mention,
    runbook: route.runbook,
    autoIncident: route.autoIncident,
  };
}

/** The route a stored alert came through, for its mentions and runbook at render time. */
export function routeAt(config: OpsConfig, index: number | null | undefined): AlertRouteConfig | undefined {
  return index === null || index === undefined ? undefined : config.alerts.routes[index];
}

/** U…/W… → <@U…>, S… → <!subteam^S…>, here/channel → <!here>/<!channel>. */
export function mentionText(mentions: string[]): string {
  return mentions
    .map((m) => m.replace(/^@/, ''))
    .map((m) =>
      /^[UW][A-Z0-9]+$/.test(m)
        ? `<@${m}>`
        : /^S[A-Z0-9]+$/.test(m)
          ? `<!subteam^${m}>`
          : ['here', 'channel', 'everyone'].includes(m)
            ? `<!${m}>`
            : `@${m}`,
    )
    .join(' ');
}
