/**
 * The 18-character resident identity number (GB 11643-1999): 6-digit region code, 8-digit birth
 * date, 3-digit sequence (odd for men), and an ISO 7064 MOD 11-2 check character (0-9 or X).
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The first two digits of a region code: the provinces, regions and municipalities of GB/T 2260. */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export type ResidentIdFailure = 'length' | 'characters' | 'region' | 'birth-date' | 'check-digit';

export type ResidentIdResult =
  { ok: true; normalized: string; regionCode: string; birthDate: string; sex: 'male' | 'female' } | { ok: false; failure: ResidentIdFailure; reason: string };

/** The check character for the first 17 digits; throws only on a programming error (bad input shape). */
export const checkCharacter = (first17: string): string => {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('checkCharacter needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
};

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number): number => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;

/** A real calendar date from 1900 on, and not after `notAfter` (YYYY-MM-DD) when given. */
export const isValidBirthDate = (yyyymmdd: string, notAfter?: string): boolean => {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return false;
  return notAfter === undefined || `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}` <= notAfter;
};

/**
 * The shape of a region code: a known province and a prefecture part that is not 00 (province-
 * administered counties use 90, e.g. 济源 419001). A prefecture-level code (xxyy00) is accepted:
 * numbers issued before a city's districts had codes carry one.
 */
export const isValidRegionCode = (code: string): boolean => /^\d{6}$/.test(code) && PROVINCE_CODES.has(code.slice(0, 2)) && code.slice(2, 4) !== '00';

/**
 * Validates a resident ID number. `notAfter` (YYYY-MM-DD, the command's date) rejects birth dates
 * in the future; the domain has no clock of its own. A lower-case x is accepted and normalized.
 */
export const validateResidentId = (input: string, notAfter?: string): ResidentIdResult => {
  const s = input.trim().toUpperCase();
  if (s.length !== 18) return { ok: false, failure: 'length', reason: `must be 18 characters, got ${s.length}` };
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, failure: 'characters', reason: 'must be 17 digits and a digit or X' };
  const region = s.slice(0, 6);
  if (!isValidRegionCode(region)) return { ok: false, failure: 'region', reason: `region code ${region} is not a county-level code of a known province` };
  const birth = s.slice(6, 14);
  if (!isValidBirthDate(birth, notAfter)) return { ok: false, failure: 'birth-date', reason: `birth date ${birth} is not a valid date` };
  if (checkCharacter(s.slice(0, 17)) !== s[17]) return { ok: false, failure: 'check-digit', reason: 'the check character does not match (GB 11643 MOD 11-2)' };
  return {
    ok: true,
    normalized: s,
    regionCode: region,
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    sex: Number(s[16]) % 2 === 1 ? 'male' : 'female',
  };
};

/** Builds a valid number from its parts (for the synthetic registry and tests). */
export const composeResidentId = (regionCode: string, yyyymmdd: string, sequence: number): string => {
  const first17 = `${regionCode}${yyyymmdd}${String(sequence).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
};
