import ExcelJS from 'exceljs';
import type { Report } from './report';
import type { ReportAbout } from './report-html';
import { headerWithUnit, reportStamp, reportTables, type Cell } from './report-tables';
import { columnWidth } from './xlsx-columns';

/**
 * The report as an .xlsx workbook in the shape of the half-yearly county report: one sheet per
 * table, money as 元 numbers shown #,##0.00 (a SUM over a column gives the books' figure to the fen),
 * ratios as percentages, and a sheet 说明 with the store position and digest.
 */
const value = (c: Cell): string | number | null => {
  if ('text' in c) return c.text;
  if ('count' in c) return c.count;
  if ('fen' in c) return c.fen / 100;
  if ('ratio' in c) return c.ratio[0] / c.ratio[1];
  return null;
};

export const reportXlsx = async (rep: Report, opts: ReportAbout): Promise<Buffer> => {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tuopin';
  const about = wb.addWorksheet('说明');
  about.addRow([opts.title]).font = { bold: true, size: 14 };
  for (const line of [...(opts.notes ?? []), ...reportStamp(rep)]) about.addRow([line]);
  about.addRow([`生成时间 ${opts.generatedAt}`]);
  about.addRow(['金额单位：元（两位小数）；各表合计行等于各行之和，到分。']);
  about.getColumn(1).width = 100;
  for (const table of reportTables(rep)) {
    const ws = wb.addWorksheet(table.title.replace(/[\\/?*[\]:]/g, '').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    const header = table.header.map((_, i) => headerWithUnit(table, i, '元'));
    ws.addRow(header).font = { bold: true };
    table.rows.forEach((row, r) => {
      const added = ws.addRow(row.map(value));
      if (table.totalRow && r === table.rows.length - 1) added.font = { bold: true };
      row.forEach((c, i) => {
        const cell = added.getCell(i + 1);
        if ('fen' in c) cell.numFmt = '#,##0.00';
        else if ('ratio' in c) cell.numFmt = '0.0%';
        else if ('count' in c) cell.numFmt = '#,##0';
      });
    });
    if (table.note) ws.addRow([table.note]).font = { italic: true, color: { argb: 'FF555555' } };
    ws.columns.forEach((col, i) => {
      col.width = columnWidth([header[i] ?? '', ...table.rows.map((row) => String(value(row[i] ?? { none: true }) ?? ''))], 40);
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
};
