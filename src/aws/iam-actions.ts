/**
 * Every IAM action opsbot's AWS calls need, in one place: opsbotIamPolicy()
 * builds the read-only policy from this list, and a unit test checks that each
 * SDK command used under src/aws appears here. docs/aws-permissions.md has the
 * whole policy, written out by hand.
 */
export const IAM_ACTIONS = {
  /** /ops status, /ops deploy history, /ops metrics (Elastic Beanstalk). */
  elasticbeanstalk: [
    'elasticbeanstalk:DescribeEnvironments',
    'elasticbeanstalk:DescribeEnvironmentHealth',
    'elasticbeanstalk:DescribeEvents',
    'elasticbeanstalk:DescribeApplicationVersions',
    'elasticbeanstalk:DescribeEnvironmentResources',
    /** /ops config (environment variable names only). */
    'elasticbeanstalk:DescribeConfigurationSettings',
  ],
  /** /ops status, /ops deploy history, /ops metrics (ECS). */
  ecs: [
    'ecs:DescribeServices',
    'ecs:ListTasks',
    'ecs:DescribeTasks',
    'ecs:ListTaskDefinitions',
    'ecs:DescribeTaskDefinition',
  ],
  /** /ops status, /ops metrics; /ops db params (DescribeDBParameters); the restorable window of /ops restore --to-time and /ops dr test. */
  rds: ['rds:DescribeDBInstances', 'rds:DescribeDBParameters', 'rds:DescribeDBInstanceAutomatedBackups'],
  /** /ops alarms, /ops metrics, /ops status (free storage). */
  cloudwatch: ['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData'],
  /** /ops logs; /ops logs retention; /ops logs insights results (StartQuery/StopQuery: action-iam.ts). */
  logs: ['logs:FilterLogEvents', 'logs:DescribeLogGroups', 'logs:GetQueryResults'],
  /** /ops targets (DescribeLoadBalancers also resolves "app/<name>/<id>" to an ARN). */
  elasticloadbalancing: [
    'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetHealth',
  ],
  /** /ops cdn (GetInvalidation: following /ops cdn invalidate; CreateInvalidation is in action-iam.ts). */
  cloudfront: ['cloudfront:GetDistribution', 'cloudfront:GetMonitoringSubscription', 'cloudfront:GetInvalidation'],
  /** /ops cost and the weekly cost report (Cost Explorer, us-east-1; each request is charged $0.01). */
  ce: ['ce:GetCostAndUsage'],
  /** /ops autoscaling (ECS services' scalable targets, policies and recent activities). */
  'application-autoscaling': [
    'application-autoscaling:DescribeScalableTargets',
    'application-autoscaling:DescribeScalingPolicies',
    'application-autoscaling:DescribeScalingActivities',
  ],
} as const;

/**
 * Elastic Beanstalk describes an environment's resources with the caller's own
 * permissions on the services underneath (it answers InsufficientPrivileges otherwise).
 */
export const EB_DOWNSTREAM_ACTIONS = [
  'cloudformation:DescribeStackResource',
  'cloudformation:DescribeStackResources',
  'autoscaling:DescribeAutoScalingGroups',
  'elasticloadbalancing:DescribeLoadBalancers',
  'ec2:DescribeInstances',
] as const;

export function allIamActions(): string[] {
  return [...Object.values(IAM_ACTIONS).flat(), ...EB_DOWNSTREAM_ACTIONS];
}

/** The least-privilege policy document for opsbot's role (read-only: nothing here changes AWS). */
export function opsbotIamPolicy(): {
  Version: string;
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string }[];
} {
  return {
    Version: '2012-10-17',
    Statement: [
      // These Describe/List/Get actions do not support resource-level restrictions (or only partly), hence "*".
      { Sid: 'OpsbotReadOnly', Effect: 'Allow', Action: Object.values(IAM_ACTIONS).flat(), Resource: '*' },
      {
        Sid: 'BeanstalkDescribesResourcesOnOurBehalf',
        Effect: 'Allow',
        Action: [...EB_DOWNSTREAM_ACTIONS],
        Resource: '*',
      },
    ],
  };
}
