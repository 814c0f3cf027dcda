import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitUntil } from './wait.js';

const run = promisify(execFile);

export interface RedisCluster {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real 3-node Redis Cluster on the given ports (no replicas), as in /work/shared/STACK.md; stop() ends
 * the servers this started (by their pid files) and removes their files.
 */
export async function startRedisCluster(ports = [7201, 7202, 7203]): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-cluster-'));
  const pidFile = (p: number) => join(dir, `${p}.pid`);
  for (const p of ports) {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(p),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${p}.conf`),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'yes',
        '--pidfile',
        pidFile(p),
      ],
      { stdio: 'ignore' },
    );
    await new Promise((resolve) => child.on('exit', resolve));
  }
  const stop = async () => {
    for (const p of ports) {
      try {
        process.kill(Number(readFileSync(pidFile(p), 'utf8').trim()), 'SIGTERM');
      } catch {
        /* not running */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil('the cluster nodes to answer PING', async () => {
      for (const p of ports) {
        const { stdout } = await run('redis-cli', ['-p', String(p), 'ping']);
        if (stdout.trim() !== 'PONG') return false;
      }
      return true;
    });
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitUntil(
      'cluster_state:ok on every node',
      async () => {
        for (const p of ports) {
          const { stdout } = await run('redis-cli', ['-p', String(p), 'cluster', 'info']);
          if (!stdout.includes('cluster_state:ok')) return false;
        }
        return true;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, stop };
}
