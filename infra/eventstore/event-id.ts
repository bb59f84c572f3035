import { createHash } from 'node:crypto';

/**
 * An event's id is derived from the workflow that decided it and the step it took, never drawn at
 * random: a retried activity re-appends the same ids, and the store answers with the first result.
 * The digest is laid out as a UUID (version nibble 8, "custom") so it fits a uuid column.
 */
export const eventIdFor = (workflowId: string, step: string, index = 0): string => {
  const h = createHash('sha256').update(`${workflowId}\u0000${step}\u0000${index}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
};
