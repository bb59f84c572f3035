import { RegistryError } from './errors';

/**
 * Import files, one per village or county, in two shapes that carry the same fields:
 * - CSV with a header; members as `idNumber:relation|…`, causes as `cause|…`, booleans `true/false`,
 *   income in whole fen (no decimals: money is never a float);
 * - JSON: an array of RegisterHousehold data objects, or `{ "households": [...] }`.
 * Parsing here only splits the text into raw rows with their line numbers; zod checks the values.
 */
export interface RawRow {
  readonly line: number;
  readonly row: number;
  readonly value: unknown;
}

export const CSV_COLUMNS = [
  'householdId',
  'countyId',
  'villageId',
  'registeredYear',
  'members',
  'causes',
  'perCapitaIncomeFen',
  'stableIncomeSource',
  'food',
  'clothing',
  'compulsoryEducation',
  'medicalInsurance',
  'safeHousing',
] as const;

const bool = (s: string): unknown => (s === 'true' ? true : s === 'false' ? false : s);
const int = (s: string): unknown => (/^-?\d+$/.test(s) ? Number(s) : s);

/** A CSV cell back into the JSON shape, leaving anything odd as a string for zod to name. */
const fromCells = (cells: Record<string, string>): unknown => ({
  householdId: cells.householdId,
  countyId: cells.countyId,
  villageId: cells.villageId,
  registeredYear: int(cells.registeredYear ?? ''),
  members: (cells.members ?? '')
    .split('|')
    .filter((m) => m !== '')
    .map((m) => {
      const [idNumber, relation, ...more] = m.split(':');
      return more.length > 0 ? m : { idNumber, relation };
    }),
  causes: (cells.causes ?? '').split('|').filter((c) => c !== ''),
  perCapitaIncome: int(cells.perCapitaIncomeFen ?? ''),
  stableIncomeSource: bool(cells.stableIncomeSource ?? ''),
  guarantees: {
    food: bool(cells.food ?? ''),
    clothing: bool(cells.clothing ?? ''),
    compulsoryEducation: bool(cells.compulsoryEducation ?? ''),
    medicalInsurance: bool(cells.medicalInsurance ?? ''),
    safeHousing: bool(cells.safeHousing ?? ''),
  },
});

export const parseCsv = (text: string): RawRow[] => {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new RegistryError('REGISTRY_FILE_INVALID', `line 1: the header lacks ${missing.join(', ')} (expected ${CSV_COLUMNS.join(',')})`);
  const rows: RawRow[] = [];
  lines.slice(1).forEach((l, i) => {
    if (l.trim() === '') return;
    const cells = l.split(',');
    const line = i + 2;
    const row = rows.length + 1;
    if (cells.length !== header.length) {
      rows.push({ line, row, value: { __columns: `has ${cells.length} columns, the header ${header.length}` } });
      return;
    }
    rows.push({ line, row, value: fromCells(Object.fromEntries(header.map((h, k) => [h, cells[k]!.trim()]))) });
  });
  return rows;
};

/** The line each top-level item of the households array starts on, found by a scan outside strings. */
const itemLines = (text: string, arrayStart: number): number[] => {
  const out: number[] = [];
  let line = 1 + (text.slice(0, arrayStart).match(/\n/g)?.length ?? 0);
  let depth = 0;
  let inString = false;
  let expectItem = true;
  for (let i = arrayStart; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (depth === 1 && expectItem && !/[\s,\]]/.test(ch)) {
      out.push(line);
      expectItem = false;
    }
    if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectItem = true;
    if (depth === 0 && i > arrayStart) break;
  }
  return out;
};

export const parseJson = (text: string): RawRow[] => {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new RegistryError('REGISTRY_FILE_INVALID', `not valid JSON: ${(e as Error).message}`);
  }
  const items = Array.isArray(doc) ? doc : (doc as { households?: unknown })?.households;
  if (!Array.isArray(items)) throw new RegistryError('REGISTRY_FILE_INVALID', 'expected an array of households or { "households": [...] }');
  const start = Array.isArray(doc) ? text.indexOf('[') : text.indexOf('[', text.indexOf('"households"'));
  const lines = itemLines(text, start);
  return items.map((value, i) => ({ line: lines[i] ?? 1, row: i + 1, value }));
};

export const parseImportFile = (name: string, text: string): RawRow[] => {
  if (/\.csv$/i.test(name)) return parseCsv(text);
  if (/\.json$/i.test(name)) return parseJson(text);
  throw new RegistryError('REGISTRY_FILE_INVALID', `${name}: an import file must end in .csv or .json`);
};

/** The CSV line of one household, as the generator writes it (same columns as the header). */
export const toCsvLine = (h: {
  householdId: string;
  countyId: string;
  villageId: string;
  registeredYear: number;
  members: readonly { idNumber: string; relation: string }[];
  causes: readonly string[];
  perCapitaIncome: number;
  stableIncomeSource: boolean;
  guarantees: Record<string, boolean>;
}): string =>
  [
    h.householdId,
    h.countyId,
    h.villageId,
    h.registeredYear,
    h.members.map((m) => `${m.idNumber}:${m.relation}`).join('|'),
    h.causes.join('|'),
    h.perCapitaIncome,
    h.stableIncomeSource,
    h.guarantees.food,
    h.guarantees.clothing,
    h.guarantees.compulsoryEducation,
    h.guarantees.medicalInsurance,
    h.guarantees.safeHousing,
  ].join(',');
