import { z } from 'zod';

/**
 * An opaque id chosen by the caller (allocation, payment, milestone, finding, payee account):
 * derived from workflow ids and steps so a retry carries the same one; never a name.
 */
export const opaqueIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._:-]{2,127}$/, { error: 'must be 3-128 of a-z 0-9 . _ : - (an opaque id)' });

/** An ISO-8601 instant, as carried by CommandMeta.now. */
export const instantSchema = z.iso.datetime({ offset: true });

/** A calendar day, for dates written on paper records (a meeting, a disclosure). */
export const daySchema = z.iso.date();

const DAY_MS = 86_400_000;
export const addSeconds = (instant: string, seconds: number): string => new Date(Date.parse(instant) + seconds * 1000).toISOString();
export const addDays = (instant: string, days: number): string => new Date(Date.parse(instant) + days * DAY_MS).toISOString();
export const addMonths = (instant: string, months: number): string => {
  const d = new Date(Date.parse(instant));
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
};
export const notBefore = (a: string, b: string): boolean => Date.parse(a) >= Date.parse(b);
