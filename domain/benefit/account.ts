import { z } from 'zod';

/**
 * A 一卡通 (惠农一卡通/社保卡) account number: a bank card or passbook number, 12–19 digits
 * (spaces and dashes as printed are dropped). It is parsed at the boundary and turned at once into
 * a salted key (infra/personal-data/keys.ts) and a masked form; the number itself is never stored in an event or a log.
 */
export const accountNumberSchema = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .refine((s) => /^\d{12,19}$/.test(s), { error: 'must be a bank account number of 12-19 digits (一卡通账号)' });

/** First four and last four digits, the rest starred: what an official sees (6217********1234). */
export const maskAccount = (accountNumber: string): string => `${accountNumber.slice(0, 4)}${'*'.repeat(accountNumber.length - 8)}${accountNumber.slice(-4)}`;
