import { z } from 'zod';

/**
 * br-<county>-<year>-<serial>: one benefit round (programme × township × period). Readable, free of
 * personal data, safe as a stream id, a workflow id and a fund allocation's target.
 */
export const benefitRoundIdSchema = z.string().regex(/^br-[a-z]+-\d{4}-[a-z0-9-]{2,60}$/, { error: 'must look like br-<county>-<year>-<serial>' });
export type BenefitRoundId = z.infer<typeof benefitRoundIdSchema>;

/** twp-<county>-<serial>: a township (乡镇), the unit a round's list is drawn up for. */
export const townshipIdSchema = z.string().regex(/^twp-[a-z]+-[a-z0-9]{1,32}$/, { error: 'must look like twp-<county>-<serial>' });
export type TownshipId = z.infer<typeof townshipIdSchema>;

/** A salted member key (mk1-…, infra/personal-data/keys.ts): who a line pays for, without an ID number. */
export const memberKeySchema = z.string().regex(/^mk1-[0-9a-f]{64}$/, { error: 'must be a member key (mk1-<64 hex>)' });

/** A 一卡通 account as events carry it: a salted key (the rail's account id) and a masked form; never the number. */
export const accountKeySchema = z.string().regex(/^ykt-[0-9a-f]{32}$/, { error: 'must be an account key (ykt-<32 hex>)' });

/**
 * The period a payment is for: a year, a semester of a school year (`2018-s1` = autumn 2018,
 * `2018-s2` = spring 2019), a month, or `once` for one-off subsidies (housing, relocation) within a year.
 */
export const periodSchema = z
  .string()
  .regex(/^(20[1-3]\d)(-s[12]|-(0[1-9]|1[0-2])|-once)?$/, { error: 'must be a year (2018), a semester (2018-s1), a month (2018-07) or a one-off (2018-once)' });
export type Period = z.infer<typeof periodSchema>;

export const yearOfPeriod = (p: string): number => Number(p.slice(0, 4));
