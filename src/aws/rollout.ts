import type { UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { UserError } from '../errors.js';
import { describeEbEnvironment, describeEbVersions, type EbEvent } from './beanstalk.js';
import {
  describeEcsServices,
  describeTaskDefinition,
  listTaskDefinitionRevisions,
  parseTaskDefinition,
  shortTaskDefinition,
} from './ecs.js';
import { AwsError, type AwsSession } from './session.js';
import { beanstalk, ecs } from './sdk.js';

/** A rollback decided at request time: from what is running now to the version or revision named (or the previous one). */
export interface RollbackPlan {
  from: string;
  to: string;
}

export async function planEbRollback(
  s: AwsSession,
  application: string,
  environment: string,
  version: string | undefined,
): Promise<RollbackPlan> {
  const env = await describeEbEnvironment(s, application, environment);
  const from = env.versionLabel ?? '(none)';
  if (version) {
    const out = await s.call('elasticbeanstalk:DescribeApplicationVersions', (abortSignal) =>
      s.clients.beanstalk.send(
        new beanstalk.DescribeApplicationVersionsCommand({ ApplicationName: application, VersionLabels: [version] }),
        { abortSignal },
      ),
    );
    if (!out.ApplicationVersions?.length) {
      const recent = await describeEbVersions(s, application, 5);
      throw new UserError(
        `Application \`${application}\` has no version \`${version}\`.`,
        `Recent versions: ${recent.map((v) => `\`${v.label}\``).join(', ') || 'none'}. See them all with \`/ops deploy history\`.`,
      );
    }
    if (version === from)
      throw new UserError(
        `\`${environment}\` already runs \`${version}\`; there is nothing to roll back to.`,
        'Name another version, or see them with `/ops deploy history`.',
      );
    return { from, to: version };
  }
  const versions = await describeEbVersions(s, application, 50);
  const index = versions.findIndex((v) => v.label === from);
  const previous = index >= 0 ? versions[index + 1] : undefined;
  if (!previous) {
    throw new UserError(
      index < 0
        ? `I cannot tell which version came before \`${from}\` (it is not among the last ${versions.length} versions of \`${application}\`).`
        : `\`${from}\` is the oldest version of \`${application}\`; there is nothing before it.`,
      'Name the version to roll back to: `/ops rollback [env] <version>` (see `/ops deploy history`).',
    );
  }
  return { from, to: previous.label };
}

/** ECS: "41", "web:41" or a task definition ARN; default the newest ACTIVE revision older than the running one. */
export async function planEcsRollback(
  s: AwsSession,
  cluster: string,
  service: string,
  revision: string | undefined,
): Promise<RollbackPlan> {
  const { services, missing } = await describeEcsServices(s, cluster, [service], 0);
  const svc = services[0];
  if (!svc)
    throw new AwsError(
      `ECS has no service \`${service}\` in cluster \`${cluster}\` (${missing[0]?.reason ?? 'missing'}). Check \`ecs\` in ops.yml.`,
      'not-found',
      'ecs:DescribeServices',
    );
  const from = shortTaskDefinition(svc.taskDefinition);
  const { family, revision: current } = parseTaskDefinition(svc.taskDefinition);
  if (revision) {
    const wanted = /^\d+$/.test(revision) ? `${family}:${revision}` : shortTaskDefinition(revision);
    if (wanted === from)
      throw new UserError(
        `\`${service}\` already runs \`${from}\`; there is nothing to roll back to.`,
        'Name another revision, or see them with `/ops deploy history`.',
      );
    try {
      const td = await describeTaskDefinition(s, wanted);
      return { from, to: `${td.family}:${td.revision}` };
    } catch (err) {
      if (err instanceof AwsError && err.kind !== 'other' && err.kind !== 'not-found') throw err;
      throw new UserError(
        `ECS has no task definition \`${wanted}\`.`,
        `Name a revision of \`${family}\` (e.g. \`${Math.max(1, current - 1)}\`); see them with \`/ops deploy history\`.`,
      );
    }
  }
  const revisions = await listTaskDefinitionRevisions(s, family, 20);
  const previous = revisions.map(parseTaskDefinition).find((r) => r.revision < current);
  if (!previous)
    throw new UserError(
      `\`${family}\` has no ACTIVE revision older than ${current}.`,
      'Name the revision to roll back to: `/ops rollback [env] <revision> --service <name>`.',
    );
  return { from, to: `${previous.family}:${previous.revision}` };
}

export async function deployEbVersion(s: AwsSession, environment: string, version: string): Promise<void> {
  await s.call('elasticbeanstalk:UpdateEnvironment', (abortSignal) =>
    s.clients.beanstalk.send(
      new beanstalk.UpdateEnvironmentCommand({ EnvironmentName: environment, VersionLabel: version }),
      {
        abortSignal,
      },
    ),
  );
}

export async function restartEbAppServer(s: AwsSession, environment: string): Promise<void> {
  await s.call('elasticbeanstalk:RestartAppServer', (abortSignal) =>
    s.clients.beanstalk.send(new beanstalk.RestartAppServerCommand({ EnvironmentName: environment }), { abortSignal }),
  );
}

/** UpdateService; returns the id of the deployment it started (the PRIMARY one). */
export async function updateEcsService(
  s: AwsSession,
  input: UpdateServiceCommandInput,
): Promise<{ deploymentId?: string; taskDefinition?: string }> {
  const out = await s.call('ecs:UpdateService', (abortSignal) =>
    s.clients.ecs.send(new ecs.UpdateServiceCommand(input), { abortSignal }),
  );
  const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY');
  return {
    deploymentId: primary?.id,
    taskDefinition: primary?.taskDefinition ? shortTaskDefinition(primary.taskDefinition) : undefined,
  };
}

/** Beanstalk events since an action started, newest first: what went wrong, in AWS's words. */
export async function ebEventsSince(
  s: AwsSession,
  application: string,
  environment: string,
  since: Date,
  max = 8,
): Promise<EbEvent[]> {
  const out = await s.call('elasticbeanstalk:DescribeEvents', (abortSignal) =>
    s.clients.beanstalk.send(
      new beanstalk.DescribeEventsCommand({
        ApplicationName: application,
        EnvironmentName: environment,
        StartTime: since,
        MaxRecords: max,
      }),
      { abortSignal },
    ),
  );
  return (out.Events ?? []).slice(0, max).map((e) => ({
    at: e.EventDate,
    severity: e.Severity ?? 'INFO',
    message: e.Message ?? '',
    versionLabel: e.VersionLabel,
  }));
}
