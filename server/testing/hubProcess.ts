import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A real hub process for tests over HTTP(S): `npm run headoffice`'s command with the given environment. */
export interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** `npm run headoffice` as the lead wires it: node --import tsx server/main.ts. */
export async function startHub(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${output}`)), 60_000);
    const check = () => {
      const match = /listening on (\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        // the admin token is printed right after the listening line
        setTimeout(() => resolve(match[1] as string), 100);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => reject(new Error(`hub exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

export async function stopHub(hub: Running): Promise<number | null> {
  if (hub.child.exitCode !== null) return hub.child.exitCode;
  const exited = new Promise<number | null>((resolve) => hub.child.once('exit', (code) => resolve(code)));
  hub.child.kill('SIGTERM');
  return exited;
}
