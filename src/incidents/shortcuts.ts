import type { AccessControl } from '../access/policy.js';
import type { OpsConfig } from '../config/schema.js';
import type { Feature } from '../core/feature.js';
import type { Shortcut } from '../core/interactions.js';
import type { Reply } from '../core/reply.js';
import { SEVERITIES } from '../core/severity.js';
import { renderIncidentRefusal } from '../../views/incident-messages.js';
import { renderDeclareModal } from '../../views/incident-modals.js';
import { stripEmphasis } from '../../views/plain-text.js';
import type { DeclareModalMetadata } from './feature.js';
import type { IncidentService } from './service.js';

/** callback_ids in manifest.yml (features.shortcuts). */
export const DECLARE_SHORTCUT = 'incident.declare_shortcut';
export const MESSAGE_INCIDENT_SHORTCUT = 'incident.from_message';

/** A message's first line as an incident title: mentions and links read as text, at most 150 characters. */
export function titleFrom(text: string): string {
  const line =
    stripEmphasis(text)
      .replace(/<[@#!]?[^|>]*\|([^>]+)>/g, '$1')
      .replace(/<([^>]+)>/g, '$1')
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  return line.length > 150 ? `${line.slice(0, 149)}…` : line;
}

/**
 * The global shortcut "Declare incident" and the message shortcut "Open incident from this message":
 * both open the declaration modal (the message one filled in with the message's text and link) under
 * the same access rule as `/ops incident declare`, checked before the form opens, as the alert card's
 * Open incident button does. Submitting the form declares through the modal's usual path
 * (IncidentFeature), which links the message in the new incident's timeline.
 */
export function incidentShortcuts(service: IncidentService, config: OpsConfig, access: AccessControl): Feature {
  const open = async (s: Shortcut): Promise<Reply | undefined> => {
    const decision = await access.check(s.userId, 'incident declare');
    if (!decision.allowed) return renderIncidentRefusal(decision.reason);
    const slack = service.presenter.slack;
    if (!slack) return renderIncidentRefusal('Slack is not connected; use `/ops incident declare P2 <title>`.');
    const meta: DeclareModalMetadata = { key: `shortcut:${s.triggerId}`, channel: s.channelId };
    let prefill: { title?: string; description?: string } = {};
    if (s.kind === 'message' && s.message && s.channelId) {
      const permalink = await slack.permalink({ channel: s.channelId, ts: s.message.ts });
      meta.source = { channel: s.channelId, ts: s.message.ts, permalink };
      const said = s.message.text.trim();
      const by = s.message.user ? `<@${s.message.user}>` : 'someone';
      prefill = {
        title: titleFrom(said) || undefined,
        description: `${by} wrote${said ? `:\n${said.slice(0, 2500)}` : ' a message without text'}${permalink ? `\n${permalink}` : ''}`,
      };
    }
    const severities = SEVERITIES.map((level) => ({ level, label: config.incidents.severities[level].label }));
    await slack.openModal(
      s.triggerId,
      renderDeclareModal(severities, Object.keys(config.environments), JSON.stringify(meta), prefill),
    );
    return undefined;
  };
  return {
    name: 'incident-shortcuts',
    shortcuts: [
      { callbackId: DECLARE_SHORTCUT, handle: open },
      { callbackId: MESSAGE_INCIDENT_SHORTCUT, handle: open },
    ],
  };
}
