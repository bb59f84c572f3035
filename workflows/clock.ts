/**
 * The workflows' business time: when a step is taken, as its command's `meta.now` records it.
 * Inside Temporal's sandbox `Date` is the start time of the current workflow task, written in the
 * history, so a replay reads the same instant; no workflow reads a wall clock or takes a time from
 * its caller (a client's clock would be neither trusted nor replayed). Notices and deadlines
 * count from the same instant (`Date.now()` in the sandbox).
 */
export const now = (): string => new Date().toISOString();
