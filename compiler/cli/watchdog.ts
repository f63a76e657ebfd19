/**
 * The time limit on a model file's own code. That code runs on this thread (the graph it builds
 * is used here, and a second thread would load matprop twice), and a thread busy in a loop that
 * never ends cannot stop itself: a small watchdog thread started for the duration can. At the
 * limit this thread's timer rejects the load — if this thread is free to run it. If it is stuck in
 * the model's code, the watchdog, a moment later, ends the JavaScript running here through the
 * inspector protocol (`Runtime.terminateExecution`, which unwinds that code and nothing after it)
 * and says so by message, which rejects the load. A shared flag decides who acts, so the watchdog
 * never interrupts this thread once it is handling the limit itself. The watchdog thread needs
 * only Node's built-ins and costs a few milliseconds of CPU when the model finishes in time.
 */
import { Worker } from "node:worker_threads";

/** How long after the limit the watchdog interrupts a thread its own timer could not reach. */
const GRACE_MS = 250;
/** flag[0]: 0 while the model runs; 1 once this thread acts (done, or its timer fired); 2 once the watchdog does. */
const RUNNING = 0;
const MAIN = 1;

const WATCHDOG = `
const { workerData, parentPort } = require("node:worker_threads");
const flag = new Int32Array(workerData.flag);
const timer = setTimeout(() => {
  if (Atomics.compareExchange(flag, 0, ${RUNNING}, 2) !== ${RUNNING}) return;
  const { Session } = require("node:inspector");
  const session = new Session();
  session.connectToMainThread();
  session.post("Runtime.terminateExecution", () => {
    session.disconnect();
    parentPort.postMessage("terminated");
  });
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
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const watchdog = new Worker(WATCHDOG, { eval: true, workerData: { ms: ms + GRACE_MS, flag: flag.buffer } });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          if (Atomics.compareExchange(flag, 0, RUNNING, MAIN) === RUNNING) reject(new TimeLimit(ms));
        }, ms);
        watchdog.once("message", () => reject(new TimeLimit(ms)));
      }),
    ]);
  } finally {
    Atomics.store(flag, 0, MAIN);
    clearTimeout(timer);
    watchdog.postMessage("done");
    watchdog.unref();
  }
}
