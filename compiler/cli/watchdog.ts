/**
 * The time limit on a model file's own code. That code runs on this thread (the graph it builds
 * is used here, and a second thread would load matprop twice), and a thread busy in a loop that
 * never ends cannot stop itself: a small watchdog thread started for the duration can. At the
 * limit this thread's timer rejects the load — if this thread is free to run it; if it is stuck in
 * the model's code, the watchdog, a moment later, ends the JavaScript running here through the
 * inspector protocol (`Runtime.terminateExecution`, which unwinds that code and nothing after it),
 * and the overdue timer runs. The watchdog thread needs only Node's built-ins and costs a few
 * milliseconds when the model finishes in time.
 */
import { Worker } from "node:worker_threads";

/** How long after the limit the watchdog interrupts a thread its own timer could not reach. */
const GRACE_MS = 250;

const WATCHDOG = `
const { workerData, parentPort } = require("node:worker_threads");
const timer = setTimeout(() => {
  const { Session } = require("node:inspector");
  const session = new Session();
  session.connectToMainThread();
  session.post("Runtime.terminateExecution", () => session.disconnect());
}, workerData.ms);
parentPort.once("message", () => { clearTimeout(timer); parentPort.close(); });
`;

export class TimeLimit extends Error {
  constructor(readonly ms: number) {
    super(`did not finish within ${ms / 1000} s`);
  }
}

/** `work()`, or a TimeLimit rejection once `ms` have passed — even when `work` never yields. */
export async function withinTimeLimit<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const watchdog = new Worker(WATCHDOG, { eval: true, workerData: { ms: ms + GRACE_MS } });
  watchdog.unref();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeLimit(ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    watchdog.postMessage("done");
  }
}
