import { spawn, type ChildProcess } from 'node:child_process';
import { waitUntil } from './wait.js';

const root = new URL('../..', import.meta.url).pathname;

/** One JSON log line of the child (pino). */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/**
 * The real `opsbot` entry point as a child process (`serve` or `worker`), its JSON log parsed line by
 * line so a test can wait on what it says ("opsbot is listening") instead of sleeping.
 */
export class OpsbotProcess {
  readonly lines: LogLine[] = [];
  stderr = '';
  exitCode: number | null = null;
  signal: NodeJS.Signals | null = null;
  private buffer = '';

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.lines.push({ msg: line });
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.signal = signal;
    });
  }

  /** `entry`: node's arguments before the subcommand; tsx on the sources unless a test runs compiled JS. */
  static start(args: string[], env: NodeJS.ProcessEnv, entry = ['--import', 'tsx', 'src/main.ts']): OpsbotProcess {
    const child = spawn(process.execPath, [...entry, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new OpsbotProcess(child);
  }

  get running(): boolean {
    return this.exitCode === null && this.signal === null;
  }

  logged(msg: string | RegExp): LogLine[] {
    return this.lines.filter((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(String(l.msg ?? ''))));
  }

  /** Waits for the HTTP port from "opsbot is listening"; fails early with the output if the process exits. */
  async listening(timeoutMs = 30_000): Promise<string> {
    const line = await waitUntil(
      'opsbot to log "opsbot is listening"',
      () => {
        if (!this.running) throw new Error(`opsbot exited (${this.exitCode ?? this.signal}): ${this.stderr}`);
        return this.logged('opsbot is listening')[0];
      },
      { timeoutMs },
    );
    return `http://127.0.0.1:${String(line.port)}`;
  }

  /** Sends the signal and waits (bounded) for the process to end. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    try {
      await waitUntil(`opsbot to exit after ${signal}`, () => !this.running, { timeoutMs });
    } catch (err) {
      this.child.kill('SIGKILL');
      throw err;
    }
  }
}
