import type { CommandContext } from '../../src/core/context.js';
import { AWS_DEADLINE_MS, AwsSession, POLICY_HINT } from '../../src/aws/session.js';
import { listSnapshots } from '../../src/aws/snapshots.js';
import { renderRegionCopies } from '../../views/backup-copy.js';

/** `/ops backup list --region`: the instance's snapshots in that region (copies keep the source instance's name). */
export async function listRegionCopies(ctx: CommandContext, instance: string, region: string) {
  const s = new AwsSession(ctx.services.aws.forRegion(region), {
    deadlineMs: AWS_DEADLINE_MS,
    policyHint: POLICY_HINT,
  });
  const snapshots = await listSnapshots(s, instance);
  return renderRegionCopies({ env: ctx.envName, instance, region, snapshots, now: ctx.services.clock() });
}
