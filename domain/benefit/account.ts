import { z } from 'zod';
import { hmacSha256Hex, MIN_SALT_LENGTH } from '../household/member-key';

/**
 * A 一卡通 (惠农一卡通/社保卡) account number: a bank card or passbook number, 12–19 digits
 * (spaces and dashes as printed are dropped). It is parsed at the boundary and turned at once into
 * a salted key and a masked form; the number itself is never stored in an event or a log.
 */
export const accountNumberSchema = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .refine((s) => /^\d{12,19}$/.test(s), { error: 'must be a bank account number of 12-19 digits (一卡通账号)' });

/** The account's key: what events, read models and the rail carry (`ykt-<32 hex>`), stable for one number and salt. */
export const accountKeyOf = (accountNumber: string, salt: string): string => {
  if (salt.length < MIN_SALT_LENGTH) throw new RangeError(`the key salt must be at least ${MIN_SALT_LENGTH} characters`);
  return `ykt-${hmacSha256Hex(salt, `ykt:${accountNumber}`).slice(0, 32)}`;
};

/** First four and last four digits, the rest starred: what an official sees (6217********1234). */
export const maskAccount = (accountNumber: string): string => `${accountNumber.slice(0, 4)}${'*'.repeat(accountNumber.length - 8)}${accountNumber.slice(-4)}`;
