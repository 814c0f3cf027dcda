// Elastic Beanstalk (Query protocol) over the simulated fleet; its Auto Scaling group is in autoscaling-group.ts,
// its option settings in beanstalk-settings.ts.
import { AwsFault, list, num } from './protocol.js';
import { shortId, type Fleet } from './fleet.js';
import { incidentAt, incidentErrorShare } from './signals.js';
import { setCapacity } from './autoscaling-group.js';
import { describeConfigurationSettings, requireEnv, type Handler } from './beanstalk-settings.js';

export type { Handler };
export { autoscaling } from './autoscaling-group.js';

/** Colour and status while Ready follow the incident (as enhanced health does); while updating, the update's. */
function environmentHealth(fleet: Fleet): { Health: string; HealthStatus: string } {
  const e = fleet.eb;
  if (e.status !== 'Ready') return { Health: e.health, HealthStatus: e.healthStatus ?? 'Info' };
  const degraded = incidentAt(fleet.now(), fleet.startedAt) !== undefined;
  return degraded
    ? { Health: 'Red', HealthStatus: 'Degraded' }
    : { Health: e.health, HealthStatus: e.healthStatus ?? 'Ok' };
}

function describeEnv(fleet: Fleet) {
  const n = fleet.names;
  const e = fleet.eb;
  return {
    EnvironmentName: n.environment,
    EnvironmentId: e.id,
    ApplicationName: n.application,
    VersionLabel: e.version,
    SolutionStackName: '64bit Amazon Linux 2023 v6.4.1 running Node.js 20',
    PlatformArn: `arn:aws:elasticbeanstalk:${n.region}::platform/Node.js 20 running on 64bit Amazon Linux 2023/6.4.1`,
    EndpointURL: `awseb-e-${e.id.slice(2, 8)}-stack-awsebloa-${e.id.slice(-6)}.${n.region}.elb.amazonaws.com`,
    CNAME: `${n.environment}.${n.region}.elasticbeanstalk.com`,
    DateCreated: e.created,
    DateUpdated: e.updated,
    Status: e.status,
    AbortableOperationInProgress: e.status === 'Updating',
    // The same colour DescribeEnvironmentHealth reports, so the two never disagree.
    ...environmentHealth(fleet),
    Tier: { Name: 'WebServer', Type: 'Standard', Version: '1.0' },
    EnvironmentArn: `arn:aws:elasticbeanstalk:${n.region}:${n.account}:environment/${n.application}/${n.environment}`,
  };
}

/** An update: Updating/Grey at once, a few events on the way, Ready/Green at the end. */
function runUpdate(
  fleet: Fleet,
  steps: { atMs: number; message: string; apply?: () => void }[],
  totalMs: number,
): void {
  const e = fleet.eb;
  e.status = 'Updating';
  e.health = 'Grey';
  e.healthStatus = 'Info';
  e.updated = new Date(fleet.now());
  for (const step of steps)
    fleet.after(step.atMs, () => {
      step.apply?.();
      fleet.ebEvent(step.message);
    });
  fleet.after(totalMs, () => {
    e.status = 'Ready';
    e.health = 'Green';
    e.healthStatus = 'Ok';
    e.updated = new Date(fleet.now());
  });
}

function mustBeReady(fleet: Fleet): void {
  if (fleet.eb.status !== 'Ready') {
    throw new AwsFault(
      'InvalidParameterValue',
      `Environment named ${fleet.names.environment} is in an invalid state for this operation. Must be Ready.`,
    );
  }
}

export const beanstalk: Record<string, Handler> = {
  DescribeEnvironments: (input, fleet) => {
    const names = list<string>(input.EnvironmentNames);
    const appOk = input.ApplicationName === undefined || input.ApplicationName === fleet.names.application;
    const match = appOk && (names.length === 0 || names.includes(fleet.names.environment));
    return { Environments: match ? [describeEnv(fleet)] : [] };
  },
  DescribeEnvironmentHealth: (input, fleet) => {
    requireEnv(fleet, input.EnvironmentName);
    const e = fleet.eb;
    const now = fleet.now();
    const firing = incidentAt(now, fleet.startedAt) !== undefined;
    const count = e.asg.instances.length;
    const degraded = firing && e.status === 'Ready';
    const requests = Math.round(220 + 80 * Math.random());
    const s5xx = degraded ? Math.round(requests * incidentErrorShare(now)) : Math.round(Math.random() * 2);
    return {
      EnvironmentName: fleet.names.environment,
      HealthStatus: e.status === 'Updating' ? 'Info' : degraded ? 'Degraded' : 'Ok',
      Status: e.status,
      Color: e.status === 'Updating' ? 'Grey' : degraded ? 'Red' : 'Green',
      Causes:
        e.status === 'Updating'
          ? ['Command is executing on all instances.']
          : degraded
            ? [
                `${((100 * s5xx) / requests).toFixed(1)} % of the requests are failing with HTTP 5xx.`,
                'ELB processes are not healthy on 1 out of ' + count + ' instances.',
              ]
            : [],
      ApplicationMetrics: {
        Duration: 10,
        RequestCount: requests,
        StatusCodes: { Status2xx: requests - s5xx - 7, Status3xx: 2, Status4xx: 5, Status5xx: s5xx },
        Latency: {
          P999: degraded ? 5.2 : 0.9,
          P99: degraded ? 4.1 : 0.42,
          P95: degraded ? 2.2 : 0.21,
          P90: 0.15,
          P85: 0.12,
          P75: 0.09,
          P50: 0.05,
          P10: 0.01,
        },
      },
      InstancesHealth: {
        NoData: 0,
        Unknown: 0,
        Pending: e.status === 'Updating' ? count : 0,
        Ok: e.status === 'Updating' ? 0 : count - (degraded ? 1 : 0),
        Info: 0,
        Warning: 0,
        Degraded: degraded ? 1 : 0,
        Severe: 0,
      },
      RefreshedAt: new Date(now),
    };
  },
  DescribeEnvironmentResources: (input, fleet) => {
    requireEnv(fleet, input.EnvironmentName);
    const e = fleet.eb;
    return {
      EnvironmentResources: {
        EnvironmentName: fleet.names.environment,
        AutoScalingGroups: [{ Name: e.asg.name }],
        Instances: e.asg.instances.map((Id) => ({ Id })),
        LaunchConfigurations: [],
        LaunchTemplates: [{ Id: `lt-0${shortId(16)}` }],
        LoadBalancers: [{ Name: e.loadBalancer }],
        Triggers: [],
        Queues: [],
      },
    };
  },
  DescribeEvents: (input, fleet) => {
    const start = input.StartTime ? new Date(String(input.StartTime)).getTime() : 0;
    const max = num(input.MaxRecords) ?? 100;
    // Newest first, as AWS answers.
    const events = [...fleet.eb.events]
      .sort((x, y) => y.date.getTime() - x.date.getTime())
      .filter((e) => e.date.getTime() >= start)
      .filter((e) => !input.VersionLabel || e.versionLabel === input.VersionLabel)
      .slice(0, max)
      .map((e) => ({
        EventDate: e.date,
        Message: e.message,
        ApplicationName: fleet.names.application,
        EnvironmentName: fleet.names.environment,
        VersionLabel: e.versionLabel,
        Severity: e.severity,
      }));
    return { Events: events };
  },
  DescribeApplicationVersions: (input, fleet) => {
    const labels = list<string>(input.VersionLabels);
    const max = num(input.MaxRecords) ?? 1000;
    const versions = [...fleet.eb.versions]
      .sort((a, b) => b.created.getTime() - a.created.getTime())
      .filter((v) => labels.length === 0 || labels.includes(v.label))
      .slice(0, max)
      .map((v) => ({
        ApplicationName: fleet.names.application,
        VersionLabel: v.label,
        Description: v.description,
        DateCreated: v.created,
        DateUpdated: v.created,
        Status: 'PROCESSED',
        SourceBundle: {
          S3Bucket: `elasticbeanstalk-${fleet.names.region}-${fleet.names.account}`,
          S3Key: `${fleet.names.application}/${v.label}.zip`,
        },
        ApplicationVersionArn: `arn:aws:elasticbeanstalk:${fleet.names.region}:${fleet.names.account}:applicationversion/${fleet.names.application}/${v.label}`,
      }));
    return { ApplicationVersions: versions };
  },
  DescribeConfigurationSettings: describeConfigurationSettings,
  UpdateEnvironment: (input, fleet) => {
    requireEnv(fleet, input.EnvironmentName);
    mustBeReady(fleet);
    const e = fleet.eb;
    const label = input.VersionLabel as string | undefined;
    if (label !== undefined && !e.versions.some((v) => v.label === label)) {
      throw new AwsFault('InvalidParameterValue', `No Application Version named '${label}' found.`);
    }
    const settings = list<{ Namespace?: string; OptionName?: string; Value?: string }>(input.OptionSettings);
    const asgSetting = (name: string) =>
      num(settings.find((s) => s.Namespace === 'aws:autoscaling:asg' && s.OptionName === name)?.Value);
    const [min, max] = [asgSetting('MinSize'), asgSetting('MaxSize')];
    fleet.ebEvent('Environment update is starting.');
    if (label) {
      const count = e.asg.instances.length;
      const steps = [{ atMs: 2000, message: 'Deploying new version to instance(s).' }];
      e.asg.instances.forEach((id, i) =>
        steps.push({ atMs: 4000 + i * 4000, message: `Instance deployment completed successfully on ${id}.` }),
      );
      const done = 5000 + count * 4000;
      steps.push(
        { atMs: done - 500, message: 'New application version was deployed to running EC2 instances.' },
        { atMs: done, message: 'Environment update completed successfully.' },
      );
      fleet.after(done - 600, () => {
        e.version = label;
      });
      runUpdate(fleet, steps, done);
    } else if (min !== undefined || max !== undefined) {
      runUpdate(
        fleet,
        [
          {
            atMs: 3000,
            message: 'Updating Auto Scaling group named: ' + e.asg.name + '.',
            apply: () => setCapacity(fleet, min, max),
          },
          { atMs: 9000, message: 'Environment update completed successfully.' },
        ],
        9000,
      );
    } else {
      runUpdate(fleet, [{ atMs: 4000, message: 'Environment update completed successfully.' }], 4000);
    }
    return describeEnv(fleet);
  },
  RestartAppServer: (input, fleet) => {
    requireEnv(fleet, input.EnvironmentName);
    mustBeReady(fleet);
    fleet.ebEvent('restartAppServer is starting.');
    runUpdate(fleet, [{ atMs: 7000, message: 'restartAppServer completed successfully.' }], 7000);
    return undefined;
  },
  // RebuildEnvironment: every resource recreated, minutes of Updating/Grey (scaled), then Ready/Green; no result.
  RebuildEnvironment: (input, fleet) => {
    if (input.EnvironmentName === undefined && input.EnvironmentId === undefined)
      throw new AwsFault('MissingRequiredParameter', 'Either EnvironmentName or EnvironmentId must be specified.');
    if (input.EnvironmentId !== undefined && input.EnvironmentId !== fleet.eb.id)
      throw new AwsFault(
        'InvalidParameterValue',
        `No Environment found for EnvironmentId = '${String(input.EnvironmentId)}'.`,
      );
    requireEnv(fleet, input.EnvironmentName);
    mustBeReady(fleet);
    fleet.ebEvent('rebuildEnvironment is starting.');
    runUpdate(
      fleet,
      [
        { atMs: 3000, message: `Terminating instance(s): ${fleet.eb.asg.instances.join(', ')}.` },
        { atMs: 8000, message: `Created Auto Scaling group named: ${fleet.eb.asg.name}.` },
        { atMs: 14000, message: 'Instance deployment completed successfully.' },
        { atMs: 16000, message: 'rebuildEnvironment completed successfully.' },
      ],
      16000,
    );
    return undefined;
  },
  DescribeInstancesHealth: (input, fleet) => {
    requireEnv(fleet, input.EnvironmentName);
    return {
      InstanceHealthList: fleet.eb.asg.instances.map((InstanceId) => ({
        InstanceId,
        HealthStatus: fleet.eb.status === 'Updating' ? 'Pending' : 'Ok',
        Color: fleet.eb.status === 'Updating' ? 'Grey' : 'Green',
        Causes: [],
        LaunchedAt: fleet.eb.created,
        InstanceType: 't3.small',
      })),
      RefreshedAt: new Date(fleet.now()),
    };
  },
};
