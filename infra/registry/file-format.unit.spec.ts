import { parseCsv, parseJson, parseImportFile, CSV_COLUMNS } from './file-format';
import { RegistryError } from './errors';

describe('import file formats', () => {
  it('CSV rows carry their physical line (header is line 1, blank lines skipped) and the JSON shape', () => {
    const row = 'hh-song-1,song,vil-song-1,2015,410325197503120011:householder|410325197806200022:spouse,illness|other,250000,false,true,true,true,true,false';
    const rows = parseCsv([CSV_COLUMNS.join(','), row, '', row.replace('hh-song-1', 'hh-song-2')].join('\n'));
    expect(rows.map((r) => [r.line, r.row])).toEqual([
      [2, 1],
      [4, 2],
    ]);
    expect(rows[0]!.value).toEqual({
      householdId: 'hh-song-1',
      countyId: 'song',
      villageId: 'vil-song-1',
      registeredYear: 2015,
      members: [
        { idNumber: '410325197503120011', relation: 'householder' },
        { idNumber: '410325197806200022', relation: 'spouse' },
      ],
      causes: ['illness', 'other'],
      perCapitaIncome: 250000,
      stableIncomeSource: false,
      guarantees: { food: true, clothing: true, compulsoryEducation: true, medicalInsurance: true, safeHousing: false },
    });
  });

  it('a decimal income stays a string for zod to refuse, never a float', () => {
    const row = 'hh-song-1,song,vil-song-1,2015,x:householder,illness,2500.5,false,true,true,true,true,false';
    expect((parseCsv([CSV_COLUMNS.join(','), row].join('\n'))[0]!.value as { perCapitaIncome: unknown }).perCapitaIncome).toBe('2500.5');
  });

  it('a CSV without the needed columns is refused as a file', () => {
    expect(() => parseCsv('householdId,countyId\nx,y')).toThrow(RegistryError);
  });

  it('JSON items are found on the line they start, in an array or under "households", strings with brackets included', () => {
    const text = '{\n "households": [\n  {"a": "[{,"},\n\n  {"b": 1},\n  {"c": {"d": [1, 2]}}\n ]\n}';
    expect(parseJson(text).map((r) => [r.row, r.line])).toEqual([
      [1, 3],
      [2, 5],
      [3, 6],
    ]);
    expect(parseJson('[{"x":1},\n{"y":2}]').map((r) => r.line)).toEqual([1, 2]);
  });

  it('the file name picks the format', () => {
    expect(() => parseImportFile('village.xlsx', '')).toThrow(/must end in .csv or .json/);
  });
});
