import type { Cursor } from './types';

/** Orders cursors as the store does: by transaction id, then position. */
export const compareCursors = (a: Cursor, b: Cursor): number => {
  const ta = BigInt(a.txId);
  const tb = BigInt(b.txId);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.position - b.position;
};
