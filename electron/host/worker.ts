import { createWorkerState, handleWorkerMessage } from './workerRuntime.ts';

/**
 * Entry point of the host worker: Electron's main process starts it with utilityProcess.fork, so the
 * database and the handlers run off the UI thread. It runs under Node inside the utility process and
 * must not import 'electron'; Electron provides process.parentPort, typed here by the little we use.
 */
interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (parentPort === undefined || parentPort === null) {
  console.error('[worker] host-worker must be started by Electron (utilityProcess.fork); process.parentPort is missing');
  process.exit(1);
}
const port: ParentPortLike = parentPort;

const state = createWorkerState(
  (line) => console.error(line),
  undefined,
  (message) => port.postMessage(message),
);

port.on('message', (event) => {
  handleWorkerMessage(state, event.data)
    .then((reply) => {
      if (reply !== undefined) port.postMessage(reply);
      if (state.closed) process.exit(0);
    })
    .catch((error: unknown) => {
      state.log(`[worker] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
});
