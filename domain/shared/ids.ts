import { z } from 'zod';

/**
 * An opaque id chosen by the caller (allocation, payment, milestone, finding, payee account):
 * derived from workflow ids and steps so a retry carries the same one; never a name.
 */
export const opaqueIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._:-]{2,127}$/, { error: 'must be 3-128 of a-z 0-9 . _ : - (an opaque id)' });

/** An objection's id, chosen by whoever raises it during a notice (公示异议). */
export const objectionIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/, { error: 'must be 1-64 of a-z 0-9 -' });

/** An ISO-8601 instant, as carried by CommandMeta.now. */
export const instantSchema = z.iso.datetime({ offset: true });

/**
 * A calendar day, for dates written on paper records (a meeting, a disclosure). A pattern and a
 * check rather than z.iso.date(): in the workflow sandbox's bundle that schema refused every
 * string as "expected date" (a HandOverAsset step could not be taken); this one reads the same everywhere.
 */
export const daySchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'must be a date YYYY-MM-DD' })
  // zod runs this check even when the pattern failed: an unparseable text must be refused, not thrown on.
  .refine(
    (d) => {
      const t = Date.parse(`${d}T00:00:00Z`);
      return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
    },
    { error: 'must be a date that exists' },
  );

const DAY_MS = 86_400_000;
export const addSeconds = (instant: string, seconds: number): string => new Date(Date.parse(instant) + seconds * 1000).toISOString();
export const addDays = (instant: string, days: number): string => new Date(Date.parse(instant) + days * DAY_MS).toISOString();
export const addMonths = (instant: string, months: number): string => {
  const d = new Date(Date.parse(instant));
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
};
export const notBefore = (a: string, b: string): boolean => Date.parse(a) >= Date.parse(b);
