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
  /** A read, but StartQuery/StopQuery are not Describe/List/Get names, so they are listed here (and in the docs' read statement). */
  'logs insights': { logs: ['logs:StartQuery', 'logs:GetQueryResults', 'logs:StopQuery'] },
  /** With <days>; reading alone needs only logs:DescribeLogGroups (iam-actions.ts). */
  'logs retention': { logs: ['logs:DescribeLogGroups', 'logs:PutRetentionPolicy'] },
} as const;

export function actionIamActions(): string[] {
  return [
    ...new Set(Object.values(ACTION_IAM_ACTIONS).flatMap((byPlatform) => Object.values(byPlatform).flat())),
  ].sort();
}
