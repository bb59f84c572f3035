import fc from 'fast-check';
import { checkCharacter, composeResidentId, isValidBirthDate, isValidRegionCode, validateResidentId } from './resident-id';

describe('resident ID number (GB 11643)', () => {
  it('accepts the standard’s published examples, including an X check character', () => {
    expect(validateResidentId('11010519491231002X')).toMatchObject({ ok: true, regionCode: '110105', birthDate: '1949-12-31', sex: 'female' });
    expect(validateResidentId('440524188001010014')).toMatchObject({ ok: false, failure: 'birth-date' }); // 1880: before 1900, out of scope here
    expect(validateResidentId('11010519491231002x')).toMatchObject({ ok: true, normalized: '11010519491231002X' });
  });
  it.each([
    ['', 'length'],
    ['41032519800101001', 'length'],
    ['4103251980010100123', 'length'],
    ['41032519800101001A', 'characters'],
    ['4103251980010X0012', 'characters'],
    ['990325198001010012', 'region'],
    ['410000198001010012', 'region'],
    ['410325198002300012', 'birth-date'],
    ['410325198013010012', 'birth-date'],
    ['410325198000010012', 'birth-date'],
    ['410325189912310012', 'birth-date'],
  ])('refuses %p (%s)', (input, failure) => {
    expect(validateResidentId(input)).toMatchObject({ ok: false, failure });
  });
  it('knows leap years: 2000-02-29 yes, 1900-02-29 no, 2016-02-29 yes, 2017-02-29 no', () => {
    expect(isValidBirthDate('20000229')).toBe(true);
    expect(isValidBirthDate('19000229')).toBe(false);
    expect(isValidBirthDate('20160229')).toBe(true);
    expect(isValidBirthDate('20170229')).toBe(false);
    expect(isValidBirthDate('20160430')).toBe(true);
    expect(isValidBirthDate('20160431')).toBe(false);
  });
  it('refuses a birth date after the given day, accepts the day itself', () => {
    expect(isValidBirthDate('20180601', '2018-05-31')).toBe(false);
    expect(isValidBirthDate('20180531', '2018-05-31')).toBe(true);
    expect(validateResidentId(composeResidentId('410325', '20180601', 1), '2018-05-31')).toMatchObject({ ok: false, failure: 'birth-date' });
  });
  it('region codes: Luoyang’s county-level units pass, a bare province or unknown province does not', () => {
    for (const c of ['410303', '410311', '410322', '410323', '410324', '410325', '410326', '410327', '410328', '410329', '410381']) expect(isValidRegionCode(c)).toBe(true);
    expect(isValidRegionCode('410000')).toBe(false);
    expect(isValidRegionCode('410025')).toBe(false);
    expect(isValidRegionCode('419001')).toBe(true);
    expect(isValidRegionCode('410300')).toBe(true);
    expect(isValidRegionCode('000325')).toBe(false);
    expect(isValidRegionCode('41032')).toBe(false);
  });
  it('every composed number is valid, and changing any one character breaks it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('410325', '410324', '410381', '110105', '650102'),
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 10 }),
        (region, date, seq, pos, delta) => {
          const ymd = date.toISOString().slice(0, 10).replaceAll('-', '');
          const id = composeResidentId(region, ymd, seq);
          expect(validateResidentId(id).ok).toBe(true);
          const chars = '0123456789X';
          const old = id[pos]!;
          const alphabet = pos === 17 ? chars : chars.slice(0, 10);
          const next = alphabet[(alphabet.indexOf(old) + delta) % alphabet.length]!;
          if (next === old) return;
          const mutated = id.slice(0, pos) + next + id.slice(pos + 1);
          expect(validateResidentId(mutated).ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
  it('the MOD 11-2 check character matches the definition for all residues', () => {
    // Σ a_i·w_i + check ≡ 1 (mod 11), with X standing for 10.
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
        const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const sum = [...first17].reduce((s, ch, i) => s + Number(ch) * weights[i]!, 0);
        const c = checkCharacter(first17);
        expect((sum + (c === 'X' ? 10 : Number(c))) % 11).toBe(1);
      }),
    );
  });
});
