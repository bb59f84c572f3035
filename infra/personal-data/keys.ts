import { createHmac } from 'node:crypto';

/**
 * Salted keys that stand for a personal number in events, read models and the rail, so the number itself
 * is never stored: HMAC-SHA256 under a secret salt from configuration. Without the salt the keys cannot be
 * reversed by enumerating the (small) space of valid ID or account numbers, which a plain hash would allow.
 * The domain takes these keys as command data and never computes them (it holds no salt).
 */

export const MIN_SALT_LENGTH = 16;

/** RFC 2104 HMAC with SHA-256, hex. */
export const hmacSha256Hex = (key: string, message: string): string => createHmac('sha256', key).update(message, 'utf8').digest('hex');

/**
 * The duplicate-index key of one person ("is this person already registered anywhere?"). Same number and
 * salt → same key; x/X and surrounding spaces do not matter. A short salt is a configuration mistake, so it
 * throws rather than refuses.
 */
export const memberKey = (residentIdNumber: string, salt: string): string => {
  if (salt.length < MIN_SALT_LENGTH) throw new RangeError(`the member-key salt must be at least ${MIN_SALT_LENGTH} characters`);
  return `mk1-${hmacSha256Hex(salt, residentIdNumber.trim().toUpperCase())}`;
};

/** A 一卡通 account's key: what events, read models and the rail carry (`ykt-<32 hex>`), stable for one number and salt. */
export const accountKeyOf = (accountNumber: string, salt: string): string => {
  if (salt.length < MIN_SALT_LENGTH) throw new RangeError(`the key salt must be at least ${MIN_SALT_LENGTH} characters`);
  return `ykt-${hmacSha256Hex(salt, `ykt:${accountNumber}`).slice(0, 32)}`;
};
