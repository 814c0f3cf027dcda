import type { OpsConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { UserDirectory } from '../access/user-directory.js';
import type { Incident, IncidentRepository } from '../store/incidents.js';
import { renderIncidentCard, incidentRef, type SeverityInfo } from '../../views/incident-card.js';
import type { Reply } from '../core/reply.js';
import { incidentChannelName } from './args.js';
import { describeChatFailure, type IncidentChannels } from '../core/chat.js';
import { responseTarget } from '../config/response-targets.js';

const isSlackUser = (id: string | undefined): id is string => Boolean(id && /^[UW][A-Z0-9]+$/.test(id));

/**
 * Everything people see of an incident in Slack: its channel, the pinned card
 * and the announcement (kept in step with Postgres), and the messages posted
 * as things happen. Without a Slack client (terminal use) it does nothing.
 */
export class IncidentPresenter {
  constructor(
    private readonly config: OpsConfig,
    private readonly repo: IncidentRepository,
    readonly slack: IncidentChannels | undefined,
    private readonly directory: UserDirectory | undefined,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {}

  /** The incident's severity label and response target, due as counted from its declaration (business calendar included). */
  severity(i: Pick<Incident, 'severity' | 'declaredAt'>): SeverityInfo {
    return responseTarget(this.config, i.severity, i.declaredAt);
  }

  card(i: Incident): Reply {
    return renderIncidentCard(i, this.severity(i), this.clock(), { announcement: i.announcement?.permalink });
  }

  /**
   * Creates the channel, invites people, sets the topic, posts and pins the
   * card, announces. Each step is skipped when already done (a retried setup
   * job) and a failing step is reported, not fatal: the incident exists anyway.
   */
  async setUp(incident: Incident): Promise<{ incident: Incident; problems: string[] }> {
    const slack = this.slack;
    if (!slack) return { incident, problems: ['Slack is not connected, so no channel was created.'] };
    const problems: string[] = [];
    let i = incident;
    const { incidents } = this.config;
    if (!i.channelId) {
      try {
        const channel = await slack.createChannel(
          (n) => incidentChannelName(incidents.channelPrefix, i.declaredAt, i.title, this.config.timezone, n),
          incidents.privateChannels,
        );
        i = await this.repo.set(i.id, { channel_id: channel.id, channel_name: channel.name });
      } catch (err) {
        this.log.warn({ err, incident: i.id }, 'could not create the incident channel');
        problems.push(describeChatFailure(err, 'create the incident channel'));
      }
    }
    if (i.channelId) {
      const people = await this.responders(i);
      problems.push(...(await slack.invite(i.channelId, people)));
      await this.setTopic(i).catch((err) => problems.push(describeChatFailure(err, 'set the channel topic')));
    }
    if (!i.announcement && this.config.channels.incidents) {
      try {
        const posted = await slack.postJoining(this.config.channels.incidents, this.card(i));
        i = await this.repo.set(i.id, { announcement: { ...posted, permalink: await slack.permalink(posted) } });
      } catch (err) {
        problems.push(describeChatFailure(err, `announce the incident in <#${this.config.channels.incidents}>`));
      }
    }
    const cardChannel = i.channelId ?? (i.announcement ? undefined : i.originChannelId);
    if (!i.card && cardChannel) {
      try {
        const { message, problem } = await slack.postAndPin(cardChannel, this.card(i));
        if (problem) problems.push(problem);
        i = await this.repo.set(i.id, { card: message });
      } catch (err) {
        problems.push(describeChatFailure(err, 'post the incident card'));
      }
    }
    return { incident: i, problems };
  }

  /** Brings the pinned card, the announcement and the channel topic up to date with the row. */
  async refresh(i: Incident, { topic = false } = {}): Promise<void> {
    if (!this.slack) return;
    const card = this.card(i);
    await this.slack.updateQuietly(i.card, card);
    await this.slack.updateQuietly(i.announcement, card);
    if (topic && i.channelId)
      await this.setTopic(i).catch((err) => this.log.warn({ err }, 'could not update the incident topic'));
  }

  /** A message in the incident channel, and with `thread` also under the announcement. */
  async event(i: Incident, reply: Reply, { thread = false } = {}): Promise<void> {
    if (!this.slack) return;
    await this.slack.postQuietly(i.channelId ?? i.card?.channel, reply);
    if (thread && i.announcement) await this.slack.postQuietly(i.announcement.channel, reply, i.announcement.ts);
  }

  /** The incidents channel itself (top level), for what everyone must see: escalations. */
  async broadcast(reply: Reply): Promise<void> {
    await this.slack?.postQuietly(this.config.channels.incidents, reply);
  }

  /** Mentions for the on-call role: its users and its Slack user groups. */
  oncallMentions(): string {
    const role = this.oncallRole();
    if (!role) return '';
    return [...role.users.map((u) => `<@${u}>`), ...role.usergroups.map((g) => `<!subteam^${g}>`)].join(' ');
  }

  private oncallRole() {
    const name = this.config.incidents.oncallRole ?? (this.config.access.roles.oncall ? 'oncall' : undefined);
    return name ? this.config.access.roles[name] : undefined;
  }

  /** Display names for a postmortem; empty without Slack. */
  async displayNames(userIds: string[]): Promise<Record<string, string>> {
    return (await this.directory?.displayNames?.(userIds)) ?? {};
  }

  /** Declarer, owner and the on-call role (user groups expanded), Slack users only. */
  private async responders(i: Incident): Promise<string[]> {
    const role = this.oncallRole();
    const people = [i.declaredBy, i.ownerId, ...(role?.users ?? [])];
    for (const group of role?.usergroups ?? []) {
      try {
        people.push(...((await this.directory?.usergroupMembers(group)) ?? []));
      } catch (err) {
        this.log.warn({ err, group }, 'could not list the on-call user group');
      }
    }
    return [...new Set(people.filter(isSlackUser))];
  }

  private async setTopic(i: Incident): Promise<void> {
    if (!this.slack || !i.channelId) return;
    const status = i.status === 'open' ? 'investigating' : i.status;
    await this.slack.setTopic(
      i.channelId,
      `${i.severity} · ${incidentRef(i)} · ${i.title} · owner: ${i.ownerId ? `<@${i.ownerId}>` : 'none'} · ${status}`,
    );
  }
}
