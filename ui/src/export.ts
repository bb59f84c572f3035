/** A table as people read it: zh headers, amounts in 元 as numbers with two decimals, nothing in fen. */
export interface Sheet {
  readonly name: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

const csvCell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const download = (blob: Blob, filename: string): void => {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
};

/** CSV as Excel opens it on a Chinese Windows: UTF-8 with BOM, CRLF. */
export const toCsv = (sheet: Sheet): string => `\uFEFF${[sheet.headers, ...sheet.rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

export const downloadCsv = (sheet: Sheet, filename: string): void => download(new Blob([toCsv(sheet)], { type: 'text/csv;charset=utf-8' }), filename);

/** .xlsx through exceljs, loaded only when someone exports. */
export const downloadXlsx = async (sheet: Sheet, filename: string, amountColumns: readonly number[] = []): Promise<void> => {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet.name);
  ws.addRow([...sheet.headers]).font = { bold: true };
  for (const r of sheet.rows) ws.addRow([...r]);
  for (const c of amountColumns) ws.getColumn(c + 1).numFmt = '#,##0.00';
  ws.columns.forEach((col) => {
    col.width = 18;
  });
  const buf = await wb.xlsx.writeBuffer();
  download(new Blob([buf], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), filename);
};

/** Fen as 元 for a spreadsheet cell: a number with two decimals, exact for any sum below 2^53 fen. */
export const yuanCell = (fen: number | null | undefined): number | null => (fen === null || fen === undefined ? null : Number((fen / 100).toFixed(2)));
