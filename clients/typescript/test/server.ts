// Starts the real Orchestra4j server jar on an ephemeral loopback port for the end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  apiKey: string;
  stop(): Promise<void>;
}

/** The server jar: ORCHESTRA4J_SERVER_JAR (set by the Maven build), else the reactor's path. */
function jarPath(): string {
  return process.env['ORCHESTRA4J_SERVER_JAR'] ?? join(process.cwd(), '..', '..', 'server', 'target', 'orchestra4j-server.jar');
}

function javaPath(): string {
  const home = process.env['JAVA_HOME'];
  return home === undefined || home === '' ? 'java' : join(home, 'bin', 'java');
}

export async function startServer(apiKey = 'test-key-' + Math.random().toString(36).slice(2)): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'o4j-ts-'));
  const child: ChildProcess = spawn(javaPath(), ['-jar', jarPath(), '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, API_KEY: apiKey, ORCHESTRATOR_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/+$/, ''));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    apiKey,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const forced = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(forced);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
