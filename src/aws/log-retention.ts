import type { AwsSession } from './session.js';
import { logs } from './sdk.js';

/** The SoleMate guide's CloudWatch retention: access logs 7 days, application logs 30, security logs 90. */
export const RECOMMENDED_RETENTION = { access: 7, application: 30, security: 90 } as const;
export type LogKind = keyof typeof RECOMMENDED_RETENTION;

/** The values PutRetentionPolicy accepts (CloudWatch Logs API reference). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export interface LogGroupRetention {
  group: string;
  /** Undefined: never expires. */
  retentionDays?: number;
  storedBytes?: number;
  kind: LogKind;
  recommendedDays: number;
  /** The group is not in CloudWatch Logs (a typo in ops.yml, or nothing has logged yet). */
  missing: boolean;
}

/** What a group holds, from its name: load balancer / nginx access logs, security and audit logs, else application. */
export function logKind(group: string): LogKind {
  if (/security|audit|auth/i.test(group)) return 'security';
  if (/access|nginx|alb|elb|cloudfront/i.test(group)) return 'access';
  return 'application';
}

/** Each configured group's retention, one DescribeLogGroups per group (by prefix, exact name kept). */
export async function describeRetention(s: AwsSession, groups: string[]): Promise<LogGroupRetention[]> {
  return Promise.all(
    groups.map(async (group) => {
      const out = await s.call('logs:DescribeLogGroups', (abortSignal) =>
        s.clients.logs.send(new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: group, limit: 50 }), {
          abortSignal,
        }),
      );
      const found = (out.logGroups ?? []).find((g) => g.logGroupName === group);
      const kind = logKind(group);
      return {
        group,
        retentionDays: found?.retentionInDays,
        storedBytes: found?.storedBytes,
        kind,
        recommendedDays: RECOMMENDED_RETENTION[kind],
        missing: !found,
      };
    }),
  );
}

export async function putRetention(s: AwsSession, group: string, days: number): Promise<void> {
  await s.call('logs:PutRetentionPolicy', (abortSignal) =>
    s.clients.logs.send(new logs.PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: days }), {
      abortSignal,
    }),
  );
}
