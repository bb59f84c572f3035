import { cellText, headerWithUnit, reportStamp, reportTables } from '../services/report-tables';
import type { Report } from '../services/report';
import { renderTable, type Column } from './table';

/** The report on a terminal: each table with its title and note, money in 万元, then the store stamp. */
export const reportLines = (rep: Report): string[] => {
  const out: string[] = [];
  for (const table of reportTables(rep)) {
    out.push(table.title);
    const columns: Column<readonly string[]>[] = table.header.map((_, i) => ({
      key: String(i),
      header: headerWithUnit(table, i, '万元'),
      value: (row) => row[i] ?? '',
      kind: i === 0 ? 'text' : 'number',
    }));
    out.push(
      ...renderTable(
        table.rows.map((row) => row.map(cellText)),
        columns,
      ),
    );
    if (table.note) out.push(`  ${table.note}`);
    out.push('');
  }
  out.push(...reportStamp(rep));
  return out;
};
