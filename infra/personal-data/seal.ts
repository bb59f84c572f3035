import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM, as `iv (12) ‖ tag (16) ‖ ciphertext`. The associated data binds each ciphertext to
 * its row (household, member), so a sealed number copied onto another row does not open.
 */
const IV = 12;
const TAG = 16;

export const seal = (key: Buffer, plain: Buffer, aad: string): Buffer => {
  const iv = randomBytes(IV);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
};

export const open = (key: Buffer, sealed: Buffer, aad: string): Buffer => {
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV));
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(sealed.subarray(IV, IV + TAG));
  return Buffer.concat([d.update(sealed.subarray(IV + TAG)), d.final()]);
};

/** The associated data of a household's wrapped data key and of one member's sealed number. */
export const dataKeyAad = (householdId: string): string => `tuopin-data-key-1:${householdId}`;
export const idNumberAad = (householdId: string, memberKey: string): string => `tuopin-id-number-1:${householdId}:${memberKey}`;

export const newDataKey = (): Buffer => randomBytes(32);
