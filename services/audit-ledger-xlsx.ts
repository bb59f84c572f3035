import ExcelJS from 'exceljs';
import { ledgerTable, type Ledger } from './audit-ledger';
import { columnWidth } from './xlsx-columns';

/**
 * The ledger as an .xlsx workbook: sheet 资金流水 (the movements under the zh headers, the amount a
 * number cell shown #,##0.00, so SUM over the column gives the movements' sum), sheet 拒绝记录
 * (refusals, apart), sheet 合计 (the totals, exact as text, and the check against the fund's books).
 */
export const ledgerXlsx = async (l: Ledger): Promise<Buffer> => {
  const t = ledgerTable(l);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tuopin';
  const sheet = (name: string, header: readonly string[], rows: readonly (readonly string[])[], amountColumn?: number) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow([...header]).font = { bold: true };
    for (const r of rows) ws.addRow(r.map((c, i) => (i === amountColumn && c !== '' ? Number(c) : c)));
    if (amountColumn !== undefined) ws.getColumn(amountColumn + 1).numFmt = '#,##0.00';
    ws.columns.forEach((c, i) => {
      c.width = columnWidth([header[i] ?? '', ...rows.map((r) => r[i] ?? '')], 60);
    });
    return ws;
  };
  sheet('资金流水', t.header, t.rows, 2);
  sheet('拒绝记录', t.header, t.refusals);
  sheet('合计', ['项目', '金额（元）'], t.totals);
  return Buffer.from(await wb.xlsx.writeBuffer());
};
