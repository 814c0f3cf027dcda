export function pitrJobTitle(env: string, at: string): string {
  return `Restore ${env}: point in time ${at} to a new instance`;
}

/** The Approve card's effect line: which time, into which new instance, within which window. */
export function pitrEffect(view: {
  live: string;
  newId: string;
  at: string;
  range: string;
  instanceClass?: string;
}): string {
  return `RDS: RestoreDBInstanceToPointInTime of \`${view.live}\` as of *${view.at}* into a *new* instance \`${view.newId}\`${view.instanceClass ? ` (${view.instanceClass})` : ''}. Restorable range now: ${view.range}. The live instance \`${view.live}\` is not touched.`;
}
