/**
 * One timer for the deadlines of every call under way (see {@link watchDeadline}), rather
 * than a timer per call, which measured 3–8 % of a loopback request at 32 in flight.
 */

/** The longest delay `setTimeout` takes as given (a longer one fires after 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The deadlines of the calls under way, in a list sorted by deadline and watched by one shared
 * timer set for the first of them, rather than a timer per call (which measured 3–8 % of a
 * loopback request at 32 in flight). With a steady timeout a new deadline goes at the end of the
 * list and the timer is left alone. The timer keeps the process alive only while a call is under way.
 */
export interface Deadline {
  at: number;
  expire: () => void;
  prev: Deadline | undefined;
  next: Deadline | undefined;
}
let firstDeadline: Deadline | undefined;
let lastDeadline: Deadline | undefined;
let wake: ReturnType<typeof setTimeout> | undefined;
/** When `wake` fires (`Infinity`: not set); never later than the first deadline. */
let wakeAt = Number.POSITIVE_INFINITY;
/** The `setTimeout` that set `wake`: when a test installs or removes fake timers, it is set again. */
let wakeWith: typeof setTimeout | undefined;

function armWake(at: number): void {
  if (wake !== undefined) clearTimeout(wake);
  wakeAt = at;
  wakeWith = setTimeout;
  wake = setTimeout(onWake, Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS));
}

/** Whether `wake` keeps the process alive (fake timers may lack `ref`/`unref`). */
function refWake(on: boolean): void {
  const handle = wake as { ref?: () => void; unref?: () => void } | undefined;
  if (on) handle?.ref?.();
  else handle?.unref?.();
}

function onWake(): void {
  wake = undefined;
  wakeAt = Number.POSITIVE_INFINITY;
  const now = Date.now();
  for (let due = firstDeadline; due !== undefined && due.at <= now; due = firstDeadline) {
    unwatchDeadline(due);
    try {
      due.expire();
    } catch {
      // an expiry only rejects its own call; never let one stop the others
    }
  }
  if (firstDeadline !== undefined) armWake(firstDeadline.at);
}

export function watchDeadline(entry: Deadline): void {
  // sorted insertion, from the end: deadlines mostly come in order
  let before = lastDeadline;
  while (before !== undefined && before.at > entry.at) before = before.prev;
  const after = before === undefined ? firstDeadline : before.next;
  entry.prev = before;
  entry.next = after;
  if (before === undefined) firstDeadline = entry;
  else before.next = entry;
  if (after === undefined) lastDeadline = entry;
  else after.prev = entry;
  if (entry.at < wakeAt || wakeWith !== setTimeout) armWake((firstDeadline as Deadline).at);
  else if (before === undefined && after === undefined) refWake(true); // the first call under way
}

export function unwatchDeadline(entry: Deadline): void {
  if (entry.prev !== undefined) entry.prev.next = entry.next;
  else if (firstDeadline === entry) firstDeadline = entry.next;
  else return; // not in the list (any more)
  if (entry.next !== undefined) entry.next.prev = entry.prev;
  else lastDeadline = entry.prev;
  entry.prev = undefined;
  entry.next = undefined;
  if (firstDeadline === undefined) refWake(false);
}
