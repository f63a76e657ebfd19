/**
 * The time limit on a model file's own code. That code runs on this thread (the graph it builds
 * is used here, and a second thread would load matprop twice), and a thread busy in a loop that
 * never ends cannot stop itself: a small watchdog thread started for the duration can. At the
 * limit this thread's timer rejects the load — if this thread is free to run it. If it is stuck in
 * the model's code, the watchdog, a moment later, ends the JavaScript running here through the
 * inspector protocol (`Runtime.terminateExecution`, which unwinds the running code and the
 * microtasks queued behind it, and nothing after) and says so by message, which rejects the load.
 *
 * Exactly one side decides the outcome, through a shared flag set once by compare-and-swap: this
 * thread when the work settles or its timer fires, or the watchdog when it starts to terminate. The
 * termination reaches whatever JavaScript this thread runs next; so when the work settles just
 * after the watchdog has decided, and before the termination has arrived, this thread waits for it
 * right there (`awaitTermination`, in the promise job that would have returned the result), and
 * the result is dropped: the load fails as timed out and no code after it is ever interrupted. (It
 * waits only in a promise job: ending a timer's or an immediate's callback this way corrupts Node's
 * async-context stack.) The watchdog thread needs only Node's built-ins and costs a few
 * milliseconds of CPU when the model finishes in time.
 */
import { Worker } from "node:worker_threads";

/** How long after the limit the watchdog interrupts a thread its own timer could not reach. */
const GRACE_MS = 250;
/** The flag: RUNNING until one side decides; then MAIN (this thread, final) or WATCHDOG, then TERMINATED once that is done. */
const RUNNING = 0;
const MAIN = 1;
const WATCHDOG = 2;
const TERMINATED = 3;

const WATCHDOG_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const flag = new Int32Array(workerData.flag);
const timer = setTimeout(() => {
  if (Atomics.compareExchange(flag, 0, ${RUNNING}, ${WATCHDOG}) !== ${RUNNING}) return;
  const { Session } = require("node:inspector");
  const session = new Session();
  session.connectToMainThread();
  session.post("Runtime.terminateExecution", () => {
    Atomics.store(flag, 0, ${TERMINATED});
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

/** Runs nothing else until the termination the watchdog has started arrives (it ends this loop). */
function awaitTermination(flag: Int32Array): void {
  // Atomics.wait wakes for V8 interrupts, and the loop's back edge checks them too.
  while (Atomics.load(flag, 0) === WATCHDOG) Atomics.wait(flag, 0, WATCHDOG, 1);
}

/** `work()`, or a TimeLimit rejection once `ms` have passed — even when `work` never yields. */
export async function withinTimeLimit<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const watchdog = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { ms: ms + GRACE_MS, flag: flag.buffer } });
  /** Whether this thread decides the outcome (in a promise job, `wait` for a termination under way). */
  const decide = (wait: boolean): boolean => {
    const was = Atomics.compareExchange(flag, 0, RUNNING, MAIN);
    if (was === WATCHDOG && wait) awaitTermination(flag);
    return was === RUNNING;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      timer = setTimeout(() => decide(false) && reject(new TimeLimit(ms)), ms);
      watchdog.once("message", () => reject(new TimeLimit(ms)));
      work().then(
        (value) => decide(true) && resolve(value),
        (error: unknown) => decide(true) && reject(error),
      );
    });
  } finally {
    clearTimeout(timer);
    watchdog.postMessage("done");
    watchdog.unref();
  }
}
