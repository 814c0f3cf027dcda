/**
 * The IAM actions the risky /ops actions need beyond the read-only policy in
 * iam-actions.ts, per command, so docs/aws-permissions.md can say what each one needs.
 */
export const ACTION_IAM_ACTIONS = {
  rollback: {
    beanstalk: [
      'elasticbeanstalk:DescribeEnvironments',
      'elasticbeanstalk:DescribeApplicationVersions',
      'elasticbeanstalk:DescribeEvents',
      'elasticbeanstalk:UpdateEnvironment',
    ],
    ecs: [
      'ecs:DescribeServices',
      'ecs:ListTaskDefinitions',
      'ecs:DescribeTaskDefinition',
      'ecs:UpdateService',
      'ecs:ListTasks',
      'ecs:DescribeTasks',
    ],
  },
  restart: {
    beanstalk: [
      'elasticbeanstalk:RestartAppServer',
      'elasticbeanstalk:DescribeEnvironments',
      'elasticbeanstalk:DescribeEvents',
    ],
    ecs: ['ecs:UpdateService', 'ecs:DescribeServices', 'ecs:ListTasks', 'ecs:DescribeTasks'],
  },
  scale: {
    beanstalk: [
      'elasticbeanstalk:DescribeEnvironmentResources',
      'autoscaling:DescribeAutoScalingGroups',
      'elasticbeanstalk:UpdateEnvironment',
      'elasticbeanstalk:DescribeEnvironments',
    ],
    ecs: ['ecs:DescribeServices', 'ecs:UpdateService'],
  },
  rebuild: {
    beanstalk: [
      'elasticbeanstalk:RebuildEnvironment',
      'elasticbeanstalk:DescribeEnvironments',
      'elasticbeanstalk:DescribeEvents',
    ],
  },
  backup: {
    rds: ['rds:CreateDBSnapshot', 'rds:AddTagsToResource', 'rds:DescribeDBSnapshots'],
    /** pg_dump backups with database.backup.s3: the copy (multipart parts are PutObject), then S3 retention. */
    s3: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListBucket', 's3:DeleteObject'],
  },
  'backup list': { rds: ['rds:DescribeDBSnapshots'], s3: ['s3:ListBucket'] },
  restore: {
    rds: [
      'rds:DescribeDBSnapshots',
      'rds:DescribeDBInstances',
      'rds:RestoreDBInstanceFromDBSnapshot',
      'rds:AddTagsToResource',
      /** restore --to-time */
      'rds:DescribeDBInstanceAutomatedBackups',
      'rds:RestoreDBInstanceToPointInTime',
    ],
  },
  /** Sent in the target region; an encrypted snapshot's copy also needs the target key (kms: not an SDK call of opsbot's). */
  'backup copy': {
    rds: ['rds:DescribeDBSnapshots', 'rds:CopyDBSnapshot', 'rds:AddTagsToResource'],
    kms: ['kms:DescribeKey', 'kms:CreateGrant'],
  },
  'dr test': {
    rds: [
      'rds:DescribeDBSnapshots',
      'rds:DescribeDBInstances',
      'rds:DescribeDBInstanceAutomatedBackups',
      'rds:RestoreDBInstanceFromDBSnapshot',
      'rds:RestoreDBInstanceToPointInTime',
      'rds:AddTagsToResource',
      'rds:DeleteDBInstance',
    ],
  },
  'backup verify': {
    rds: [
      'rds:DescribeDBSnapshots',
      'rds:DescribeDBInstances',
      'rds:RestoreDBInstanceFromDBSnapshot',
      'rds:AddTagsToResource',
      'rds:DeleteDBInstance',
    ],
  },
  'db resize': { rds: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'] },
  /** FreeStorageSpace before and after comes from the read statement (cloudwatch:GetMetricData). */
  'db storage': { rds: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'] },
  'db param': { rds: ['rds:DescribeDBInstances', 'rds:DescribeDBParameters', 'rds:ModifyDBParameterGroup'] },
  /** A read, but StartQuery/StopQuery are not Describe/List/Get names, so they are listed here (and in the docs' read statement). */
  'logs insights': { logs: ['logs:StartQuery', 'logs:GetQueryResults', 'logs:StopQuery'] },
  /** With <days>; reading alone needs only logs:DescribeLogGroups (iam-actions.ts). */
  'logs retention': { logs: ['logs:DescribeLogGroups', 'logs:PutRetentionPolicy'] },
  'cdn invalidate': {
    cloudfront: ['cloudfront:GetDistribution', 'cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
  },
  /** With --min/--max; reading needs only the read-only policy. */
  autoscaling: {
    beanstalk: [
      'elasticbeanstalk:DescribeConfigurationSettings',
      'elasticbeanstalk:UpdateEnvironment',
      'elasticbeanstalk:DescribeEnvironments',
    ],
    ecs: [
      'application-autoscaling:DescribeScalableTargets',
      'application-autoscaling:RegisterScalableTarget',
      'ecs:DescribeServices',
    ],
  },
  /** With --create; the audit alone needs cloudwatch:DescribeAlarms and the load balancer reads (iam-actions.ts). */
  'alarms audit': { cloudwatch: ['cloudwatch:DescribeAlarms', 'cloudwatch:PutMetricAlarm'] },
} as const;

export function actionIamActions(): string[] {
  return [
    ...new Set(Object.values(ACTION_IAM_ACTIONS).flatMap((byPlatform) => Object.values(byPlatform).flat())),
  ].sort();
}
