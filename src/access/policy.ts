import type { AccessRule, OpsConfig } from '../config/schema.js';
import type { UserDirectory } from './user-directory.js';

export type AccessDecision =
  { allowed: true; rule?: AccessRule } | { allowed: false; rule: AccessRule; reason: string };

/** A rule naming "db" covers every "db …" command; "*" covers all. */
export function ruleCovers(rule: AccessRule, commandName: string): boolean {
  return rule.commands.some(
    (pattern) => pattern === '*' || pattern === commandName || commandName.startsWith(`${pattern} `),
  );
}

/**
 * access.rules, first match wins. Read commands are open unless a rule names
 * them; a rule's `allow` lists roles; roles are users and Slack user groups.
 */
/** Who may run what, and who belongs to a role. */
export interface AccessControl {
  ruleFor(commandName: string): AccessRule | undefined;
  check(userId: string, commandName: string): Promise<AccessDecision>;
  membership(userId: string, roleNames: string[]): Promise<{ member: boolean; problems: string[] }>;
  roleUsers(roleNames: string[]): string[];
}

export class AccessPolicy implements AccessControl {
  constructor(
    private readonly config: OpsConfig,
    private readonly directory: UserDirectory | undefined,
  ) {}

  ruleFor(commandName: string): AccessRule | undefined {
    return this.config.access.rules.find((rule) => ruleCovers(rule, commandName));
  }

  async check(userId: string, commandName: string): Promise<AccessDecision> {
    const rule = this.ruleFor(commandName);
    if (!rule?.allow) return { allowed: true, rule };
    const { member, problems } = await this.membership(userId, rule.allow);
    if (member) return { allowed: true, rule };
    const roles = rule.allow.map((r) => `\`${r}\``).join(' or ');
    const extra = problems.length ? ` (could not check: ${problems.join('; ')})` : '';
    return {
      allowed: false,
      rule,
      reason: `\`${commandName}\` is limited to the ${roles} role${rule.allow.length > 1 ? 's' : ''}, and you are not in it${extra}. Ask someone in ${roles}, or an admin to add you under access.roles in ops.yml.`,
    };
  }

  /** True when the user belongs to any of the roles. */
  async membership(userId: string, roleNames: string[]): Promise<{ member: boolean; problems: string[] }> {
    const problems: string[] = [];
    for (const name of roleNames) {
      const role = this.config.access.roles[name];
      if (!role) continue;
      if (role.users.includes(userId)) return { member: true, problems };
      for (const group of role.usergroups) {
        if (!this.directory) {
          problems.push(`user group ${group} needs Slack`);
          continue;
        }
        try {
          if ((await this.directory.usergroupMembers(group)).includes(userId)) return { member: true, problems };
        } catch (err) {
          problems.push(`user group ${group}: ${(err as Error).message}`);
        }
      }
    }
    return { member: false, problems };
  }

  /** Role members listed by id, for messages such as "ask @a or @b". */
  roleUsers(roleNames: string[]): string[] {
    return [...new Set(roleNames.flatMap((name) => this.config.access.roles[name]?.users ?? []))];
  }
}
