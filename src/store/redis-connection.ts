import { Cluster, Redis, type RedisOptions } from 'ioredis';

/**
 * REDIS_URL names one Redis (`redis://`, `rediss://`) or a Redis Cluster: `redis+cluster://host:port,host:port`
 * (or `rediss+cluster://` for TLS, as ElastiCache Serverless and Valkey cluster mode require), any of its nodes
 * as seeds, credentials as in a plain URL (`redis+cluster://user:pass@host:port,host:port`). One variable keeps
 * the runtime contract small and a deployment switches by changing one value.
 */
export function isClusterUrl(url: string): boolean {
  return /^rediss?\+cluster:\/\//.test(url);
}

export function clusterNodes(url: string): { host: string; port: number }[] {
  const rest = url.replace(/^rediss?\+cluster:\/\//, '');
  const at = rest.lastIndexOf('@');
  const hosts = (at >= 0 ? rest.slice(at + 1) : rest).replace(/\/.*$/, '');
  return hosts.split(',').map((hp) => {
    const [host, port] = hp.split(':');
    return { host: host || '127.0.0.1', port: Number(port || 6379) };
  });
}

function clusterAuth(url: string): { username?: string; password?: string; tls?: object } {
  const rest = url.replace(/^rediss?\+cluster:\/\//, '');
  const at = rest.lastIndexOf('@');
  const auth: { username?: string; password?: string; tls?: object } = url.startsWith('rediss') ? { tls: {} } : {};
  if (at < 0) return auth;
  const [user, pass] = rest.slice(0, at).split(':');
  if (pass !== undefined)
    return { ...auth, username: decodeURIComponent(user) || undefined, password: decodeURIComponent(pass) };
  return { ...auth, password: decodeURIComponent(user) };
}

/**
 * A connection for REDIS_URL. A Cluster client is returned typed as Redis: ioredis gives both the same command
 * API, which is all opsbot and BullMQ use (BullMQ accepts either).
 */
export function connectRedis(url: string, options: RedisOptions): Redis {
  if (!isClusterUrl(url)) return new Redis(url, options);
  const { lazyConnect, ...redisOptions } = options;
  const cluster = new Cluster(clusterNodes(url), {
    lazyConnect,
    redisOptions: { ...redisOptions, ...clusterAuth(url) },
    maxRedirections: 16,
    retryDelayOnFailover: 200,
  });
  return cluster as unknown as Redis;
}
