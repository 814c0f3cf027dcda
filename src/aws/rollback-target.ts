/**
 * What a rollback would go back to. Pure, so `/ops deploy history` shows exactly
 * what `/ops rollback` without a version would pick.
 */

/** The newest Beanstalk version created before the live one (versions newest first). */
export function previousEbVersion<V extends { label: string; createdAt?: Date }>(
  versions: V[],
  live: string | undefined,
): V | undefined {
  const index = versions.findIndex((v) => v.label === live);
  if (index === -1) return undefined;
  const liveAt = versions[index].createdAt?.getTime();
  return versions.slice(index + 1).find((v) => liveAt === undefined || (v.createdAt?.getTime() ?? 0) <= liveAt);
}

/** The highest ACTIVE revision below the running one (revisions in any order). */
export function previousRevision<R extends { revision: number }>(revisions: R[], current: number): R | undefined {
  return revisions.filter((r) => r.revision < current).sort((a, b) => b.revision - a.revision)[0];
}
