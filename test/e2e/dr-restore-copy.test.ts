import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CopyDBSnapshotCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RestoreDBInstanceToPointInTimeCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { awsError, mockAws } from '../support/aws-mocks.js';
import * as fx from '../fixtures/aws-actions/responses.js';

const aws = mockAws();
const clock = () => new Date('2026-11-23T10:00:00Z');
const LATEST = new Date('2026-11-23T09:55:00Z');
const EARLIEST = new Date('2026-11-16T09:00:00Z');
const PITR_ID = 'expo-project-prod-db-pitr-202611230912';
const KEY = 'arn:aws:kms:us-west-2:123456789012:key/mrk-1234abcd';
const SNAP = 'opsbot-prod-20261123-0912';
const COPY = 'opsbot-prod-20261123-0912-us-west-2-20261123-1000';

const CONFIG = `
environments:
  prod:
    region: us-east-1
    rds: { instance: ${fx.RDS_INSTANCE} }
    actions: { pollInterval: 20ms, restoreTimeout: 10s, snapshotTimeout: 10s }
    backup: { copyKmsKey: { us-west-2: "${KEY}" } }
  plain:
    region: us-east-1
    rds: { instance: ${fx.RDS_INSTANCE} }
access:
  roles:
    oncall: { users: [U0ALICE, U0BOB] }
  rules:
    - commands: [restore, backup copy]
      allow: [oncall]
      approval: { approvers: [oncall], expires: 15m }
`;

/** The live instance with 7 days of automated backups; the new one appears (creating → available) after the restore. */
function simulatePitr(retentionDays = 7) {
  let restored = false;
  let polls = 0;
  aws.rds.on(DescribeDBInstanceAutomatedBackupsCommand).resolves({
    DBInstanceAutomatedBackups: [
      {
        DBInstanceIdentifier: fx.RDS_INSTANCE,
        Status: 'active',
        RestoreWindow: { EarliestTime: EARLIEST, LatestTime: LATEST },
      },
    ],
  });
  aws.rds.on(DescribeDBInstancesCommand).callsFake((input: { DBInstanceIdentifier: string }) => {
    if (input.DBInstanceIdentifier === fx.RDS_INSTANCE)
      return {
        DBInstances: [
          {
            ...fx.dbInstance(fx.RDS_INSTANCE, 'available'),
            BackupRetentionPeriod: retentionDays,
            LatestRestorableTime: retentionDays ? LATEST : undefined,
          },
        ],
      };
    if (!restored) throw awsError('DBInstanceNotFoundFault', `DBInstance ${input.DBInstanceIdentifier} not found.`);
    const ready = ++polls >= 3;
    return {
      DBInstances: [
        fx.dbInstance(
          input.DBInstanceIdentifier,
          ready ? 'available' : 'creating',
          ready ? { address: `${PITR_ID}.c9akciq32.us-east-1.rds.amazonaws.com`, port: 5432 } : undefined,
        ),
      ],
    };
  });
  aws.rds.on(RestoreDBInstanceToPointInTimeCommand).callsFake(() => {
    restored = true;
    return { DBInstance: fx.dbInstance(PITR_ID, 'creating') };
  });
}

/** An encrypted source snapshot in us-east-1; its copy in the target region goes creating → available. */
function simulateCopy(status = 'available') {
  let copied = false;
  let polls = 0;
  const copy = () => ({
    ...fx.snapshot(COPY, ++polls >= 3 ? 'available' : 'creating', polls >= 3 ? 100 : 40),
    DBSnapshotArn: `arn:aws:rds:us-west-2:123456789012:snapshot:${COPY}`,
    SourceDBSnapshotIdentifier: `arn:aws:rds:us-east-1:123456789012:snapshot:${SNAP}`,
    KmsKeyId: KEY,
  });
  aws.rds.on(DescribeDBSnapshotsCommand).callsFake((input: { DBSnapshotIdentifier?: string }) => {
    if (input.DBSnapshotIdentifier === SNAP)
      return { DBSnapshots: [fx.snapshot(SNAP, status, status === 'available' ? 100 : 35)] };
    if (input.DBSnapshotIdentifier === COPY) {
      if (!copied) throw awsError('DBSnapshotNotFoundFault', `DBSnapshot ${COPY} not found.`);
      return { DBSnapshots: [copy()] };
    }
    return { DBSnapshots: copied ? [copy()] : [] };
  });
  aws.rds.on(CopyDBSnapshotCommand).callsFake(() => {
    copied = true;
    return { DBSnapshot: fx.snapshot(COPY, 'pending', 0) };
  });
}

describe('point-in-time restore and cross-region copies through Slack', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG, clock, progressIntervalMs: 20 });
  });
  afterAll(async () => {
    await app?.stop();
    aws.restore();
  });
  beforeEach(() => aws.reset());

  async function approve(text: string, channel: string, mustShow: string): Promise<string> {
    const reply = await app.ask(text, { userId: 'U0ALICE', channelId: channel });
    expect(replyText(reply)).toContain('needs approval');
    const [card] = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === channel &&
        JSON.stringify(c.args).includes('approval.approve'),
    );
    const json = JSON.stringify(card.args);
    expect(json).toContain(mustShow);
    await app.click('approval.approve', /"value":"([0-9a-f-]{36})"/.exec(json)![1], {
      userId: 'U0BOB',
      channelId: channel,
    });
    return waitUntil(
      `the job in ${channel} to finish`,
      () => {
        const m = app.fake.lastMessage(channel);
        const out = m ? JSON.stringify([m.blocks, m.attachments]) : '';
        return out.includes('done in') || out.includes('— failed') ? out : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 30 },
    );
  }

  it('restore --to-time: the card names the time and the restorable range; approved, it restores into a new instance and says how to repoint the app', async () => {
    simulatePitr();
    const final = await approve(
      'restore prod --to-time "2026-11-23T09:12:00Z"',
      'C0PITR1',
      'Restorable range now: 2026-11-16 09:00 UTC – 2026-11-23 09:55 UTC',
    );
    expect(aws.rds).toHaveReceivedCommandWith(RestoreDBInstanceToPointInTimeCommand, {
      SourceDBInstanceIdentifier: fx.RDS_INSTANCE,
      TargetDBInstanceIdentifier: PITR_ID,
      RestoreTime: new Date('2026-11-23T09:12:00Z'),
      DBSubnetGroupName: 'expo-project-db-subnets',
    });
    expect(final).toContain(
      `Restored \`${fx.RDS_INSTANCE} as of 2026-11-23 09:12 UTC\` to the new instance \`${PITR_ID}\``,
    );
    expect(final).toContain(`${PITR_ID}.c9akciq32.us-east-1.rds.amazonaws.com:5432`);
    expect(final).toContain('To point the app at it');
  });

  it('refuses times outside the window, unreadable times and instances without point-in-time restore, saying what to type', async () => {
    simulatePitr();
    const late = replyText(await app.ask('restore prod --to-time "2026-11-23T09:58:00Z"'));
    expect(late).toContain(
      '2026-11-23 09:58 UTC is after the latest restorable time of `expo-project-prod-db` (2026-11-23 09:55 UTC)',
    );
    expect(late).toContain('Pick a time from 2026-11-16 09:00 UTC to 2026-11-23 09:55 UTC');
    expect(replyText(await app.ask('restore prod --to-time "2026-11-01 08:00"'))).toContain(
      'is before the earliest restorable time',
    );
    expect(replyText(await app.ask('restore prod --to-time yesterday'))).toContain(
      '`yesterday` is not a time opsbot can restore to',
    );
    expect(replyText(await app.ask('restore prod'))).toContain(
      'Name the snapshot to restore, or a point in time with `--to-time`',
    );
    aws.reset();
    simulatePitr(0);
    expect(replyText(await app.ask('restore prod --to-time latest'))).toContain(
      'Point-in-time restore is not enabled on `expo-project-prod-db`',
    );
    expect(aws.rds).not.toHaveReceivedCommand(RestoreDBInstanceToPointInTimeCommand);
  });

  it.each([
    ['InvalidRestoreFault', 'RDS refused the point-in-time restore of `expo-project-prod-db`'],
    ['PointInTimeRestoreNotEnabledFault', 'RDS says point-in-time restore is not enabled for `expo-project-prod-db`'],
  ])('an approved restore that RDS refuses with %s fails with what to do', async (fault, said) => {
    simulatePitr();
    aws.rds.on(RestoreDBInstanceToPointInTimeCommand).rejects(awsError(fault, 'The restore time is not valid.'));
    const final = await approve('restore prod --to-time "2026-11-23T09:12:00Z"', `C0PITR${fault.length}`, PITR_ID);
    expect(final).toContain('— failed');
    expect(final).toContain(said);
  });

  it("backup copy: an encrypted snapshot is copied in the target region with the source ARN and the region's KMS key, followed until available, and listed there", async () => {
    simulateCopy();
    const final = await approve(
      `backup copy prod ${SNAP} --to us-west-2`,
      'C0COPY1',
      `re-encrypted with KMS key \`${KEY}\``,
    );
    expect(final).toContain(`Copied \`${SNAP}\` to us-west-2* as \`${COPY}\``);
    const [call] = aws.rds.commandCalls(CopyDBSnapshotCommand);
    expect(call.args[0].input).toMatchObject({
      SourceDBSnapshotIdentifier: `arn:aws:rds:us-east-1:123456789012:snapshot:${SNAP}`,
      TargetDBSnapshotIdentifier: COPY,
      KmsKeyId: KEY,
    });
    expect(await (call.thisValue as RDSClient).config.region()).toBe('us-west-2');
    const listing = replyText(await app.ask('backup list prod --region us-west-2'));
    expect(listing).toContain('Copies of expo-project-prod-db in us-west-2 (prod)');
    expect(listing).toContain(`\`${COPY}\``);
    expect(listing).toContain('from us-east-1');
  });

  it('backup copy refuses an encrypted snapshot without a KMS key, a snapshot still being created and the same region; a key RDS cannot use fails the job', async () => {
    simulateCopy();
    const noKey = replyText(await app.ask(`backup copy plain ${SNAP} --to us-west-2`));
    expect(noKey).toContain(`Snapshot \`${SNAP}\` is encrypted, so its copy in us-west-2 needs a KMS key of us-west-2`);
    expect(noKey).toContain('Set backup.copyKmsKey under environments.plain');
    expect(replyText(await app.ask(`backup copy prod ${SNAP} --to us-east-1`))).toContain(
      'a DR copy goes to another region',
    );
    expect(replyText(await app.ask(`backup copy prod ${SNAP} --to mars`))).toContain(
      'must be an AWS region such as us-west-2',
    );
    aws.reset();
    simulateCopy('creating');
    expect(replyText(await app.ask(`backup copy prod ${SNAP} --to us-west-2`))).toContain(
      `Snapshot \`${SNAP}\` is creating, not available`,
    );
    expect(aws.rds).not.toHaveReceivedCommand(CopyDBSnapshotCommand);

    aws.reset();
    simulateCopy();
    aws.rds
      .on(CopyDBSnapshotCommand)
      .rejects(awsError('KMSKeyNotAccessibleFault', 'The specified KMS key is not accessible.'));
    const final = await approve(`backup copy prod ${SNAP} --to us-west-2`, 'C0COPY2', COPY);
    expect(final).toContain('RDS cannot use the KMS key for the copy in us-west-2');
  });
});
