import { actionIamActions } from '../../src/aws/action-iam.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allIamActions, opsbotIamPolicy } from '../../src/aws/iam-actions.js';
import { awsSdkUses } from '../support/aws-sdk-uses.js';

const root = new URL('../..', import.meta.url).pathname;

/** IAM's service prefix for each SDK package. */
const PREFIX: Record<string, string> = {
  'client-ecs': 'ecs',
  'client-elastic-beanstalk': 'elasticbeanstalk',
  'client-rds': 'rds',
  'client-cloudwatch': 'cloudwatch',
  'client-cloudwatch-logs': 'logs',
  'client-auto-scaling': 'autoscaling',
  'client-elastic-load-balancing-v2': 'elasticloadbalancing',
  'client-cloudfront': 'cloudfront',
  'client-cost-explorer': 'ce',
  'client-application-auto-scaling': 'application-autoscaling',
  'client-s3': 's3',
};

/** Commands whose IAM action has another name (S3's ListObjectsV2 is authorised as s3:ListBucket). */
const ACTION_OF: Record<string, string> = { 's3:ListObjectsV2': 's3:ListBucket' };

/** Non-command classes that send S3 calls: lib-storage's Upload (PutObject or a multipart upload, aborted on failure). */
const CLASS_ACTIONS: Record<string, Record<string, string[]>> = {
  'lib-storage': { Upload: ['s3:PutObject', 's3:AbortMultipartUpload'] },
};

/** Every `XxxCommand` src/aws uses from an @aws-sdk client (imported or through src/aws/sdk.ts), as an IAM action. */
function usedActions(): string[] {
  const dir = join(root, 'src/aws');
  const actions = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const { pkg, names } of awsSdkUses(source)) {
      const classes = CLASS_ACTIONS[pkg];
      if (classes) {
        for (const name of names) for (const action of classes[name] ?? []) actions.add(action);
        continue;
      }
      const prefix = PREFIX[pkg];
      for (const name of names.filter((n) => /^\w+Command$/.test(n))) {
        expect(prefix, `unknown IAM prefix for @aws-sdk/${pkg}`).toBeDefined();
        const action = `${prefix}:${name.replace(/Command$/, '')}`;
        actions.add(ACTION_OF[action] ?? action);
      }
    }
  }
  return [...actions].sort();
}

describe('least-privilege IAM policy', () => {
  it('covers every SDK command class opsbot sends', async () => {
    const used = usedActions();
    expect(used.length).toBeGreaterThanOrEqual(13);
    const policy = JSON.parse(JSON.stringify(opsbotIamPolicy())) as ReturnType<typeof opsbotIamPolicy>;
    const granted = new Set(policy.Statement.flatMap((s) => s.Action));
    // The risky actions (rollback, scale, backup…) list their extra permissions on their own.
    for (const a of actionIamActions()) granted.add(a);
    expect(used.filter((a) => !granted.has(a))).toEqual([]);
  });

  it('grants nothing it does not use, and only reads', () => {
    const used = new Set(usedActions());
    // Beanstalk needs these to describe resources on opsbot's behalf: no SDK class of ours sends them.
    const beanstalkDownstream = allIamActions().filter((a) => !/^(ecs|elasticbeanstalk|rds|cloudwatch|logs):/.test(a));
    expect(allIamActions().filter((a) => !used.has(a) && !beanstalkDownstream.includes(a))).toEqual([]);
    for (const action of allIamActions()) expect(action).toMatch(/:(Describe|List|Get|Filter)/);
    expect(opsbotIamPolicy().Statement.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('keeps AWS SDK imports out of commands/ and views/', () => {
    for (const dir of ['commands', 'commands/deploy', 'views']) {
      for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts'))) {
        expect(readFileSync(join(root, dir, file), 'utf8'), `${dir}/${file}`).not.toMatch(/from '@aws-sdk\//);
      }
    }
  });
});
