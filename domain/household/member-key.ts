import { sha256HexBytes } from './sha256';

/**
 * A key for the duplicate index ("is this person already registered anywhere?") that does not hold
 * the ID number: HMAC-SHA256 of the normalized number under a secret salt. The salt lives in
 * configuration, outside the domain; without it the keys cannot be reversed by enumerating the
 * (small) space of valid ID numbers, which a plain unsalted hash would allow.
 */
const BLOCK = 64;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const hexToBytes = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** RFC 2104 HMAC with SHA-256, hex. */
export const hmacSha256Hex = (key: string, message: string): string => {
  let k = utf8(key);
  if (k.length > BLOCK) k = hexToBytes(sha256HexBytes(k));
  const ipad = new Uint8Array(BLOCK).map((_, i) => (k[i] ?? 0) ^ 0x36);
  const opad = new Uint8Array(BLOCK).map((_, i) => (k[i] ?? 0) ^ 0x5c);
  const inner = sha256HexBytes(concat(ipad, utf8(message)));
  return sha256HexBytes(concat(opad, hexToBytes(inner)));
};

export const MIN_SALT_LENGTH = 16;

/**
 * The duplicate-index key of one person. Same number and salt → same key; x/X and surrounding
 * spaces do not matter. A short salt is a configuration mistake, so it throws rather than refuses.
 */
export const memberKey = (residentIdNumber: string, salt: string): string => {
  if (salt.length < MIN_SALT_LENGTH) throw new RangeError(`the member-key salt must be at least ${MIN_SALT_LENGTH} characters`);
  return `mk1-${hmacSha256Hex(salt, residentIdNumber.trim().toUpperCase())}`;
};

/**
 * Which members are already in the duplicate index (one person, one file). The index holds keys
 * only; the caller reads it and passes it in, so this stays pure. Returns member positions.
 */
export const alreadyRegistered = (idNumbers: readonly string[], salt: string, index: { has: (key: string) => boolean }): number[] =>
  idNumbers.flatMap((id, i) => (index.has(memberKey(id, salt)) ? [i] : []));
