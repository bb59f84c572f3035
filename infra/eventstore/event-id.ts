import { hash } from 'node:crypto';

/** The variant's top bits 10 over the digest's nibble: its two low bits pick 8, 9, a or b. */
const VARIANT = '89ab';

/**
 * An event's id is derived from the workflow that decided it and the step it took, never drawn at
 * random: a retried activity re-appends the same ids, and the store answers with the first result.
 * The digest is laid out as a UUID (version nibble 8, "custom") so it fits a uuid column.
 * One-shot `hash` to hex, the two nibbles set in the text: a Hash object, a Buffer and its hex took
 * ~6.5 µs an id against ~1.2 µs, with one id an event (a village's step: ~190).
 */
export const eventIdFor = (workflowId: string, step: string, index = 0): string => {
  const x = hash('sha256', `${workflowId}\u0000${step}\u0000${index}`, 'hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-8${x.slice(13, 16)}-${VARIANT[parseInt(x[16]!, 16) & 3]}${x.slice(17, 20)}-${x.slice(20, 32)}`;
};
