import * as echarts from 'echarts';
import { REPORT_YEARS, type Report } from './report';
import { cellText, headerWithUnit, reportStamp, reportTables, type ReportTable } from './report-tables';
import { escapeMarkup } from './escape-markup';

/**
 * The report as one self-contained HTML page: its charts drawn by ECharts on the server as SVG (no
 * browser, no script on the page), its tables with money in 万元, and the store position and
 * digest it was computed at.
 */

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

const svgChart = (option: echarts.EChartsCoreOption, width = 760, height = 340): string => {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
};

/** 万元 as a chart's number: two decimals are what a bar can show; the tables keep the exact figure. */
const wan = (fen: number): number => Math.round(fen / 10_000) / 100;

export const reportCharts = (rep: Report): { title: string; svg: string }[] => {
  const years = REPORT_YEARS.map(String);
  const perYear = (k: 'net' | 'target') => REPORT_YEARS.map((y) => rep.exits.filter((e) => e.year === y).reduce((a, e) => a + e[k], 0));
  const exits = svgChart({
    title: { text: '净脱贫人口与规划目标（人）', left: 'center', textStyle: { fontSize: 14 } },
    legend: { top: 34, data: ['净脱贫人口', '规划目标'] },
    grid: { top: 72, left: 70, right: 20, bottom: 30 },
    xAxis: { type: 'category', data: years },
    yAxis: { type: 'value' },
    series: [
      { name: '净脱贫人口', type: 'bar', data: perYear('net'), label: { show: true, position: 'top' } },
      { name: '规划目标', type: 'line', data: perYear('target') },
    ],
  });
  const sources = rep.money.bySource;
  const money = svgChart({
    title: { text: '资金按来源（万元）', left: 'center', textStyle: { fontSize: 14 } },
    legend: { top: 34, data: ['已拨付', '安排未拨付', '结余', '收回'] },
    grid: { top: 72, left: 90, right: 20, bottom: 30 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: sources.map((s) => s.name) },
    series: [
      { name: '已拨付', type: 'bar', stack: 'm', data: sources.map((s) => wan(s.paidFen)) },
      { name: '安排未拨付', type: 'bar', stack: 'm', data: sources.map((s) => wan(s.allocatedUnpaidFen)) },
      { name: '结余', type: 'bar', stack: 'm', data: sources.map((s) => wan(s.availableFen)) },
      { name: '收回', type: 'bar', stack: 'm', data: sources.map((s) => wan(s.returnedFen)) },
    ],
  });
  const cats = rep.categories.filter((c) => c.projects > 0 || (c.planFen ?? 0) > 0);
  const categories = svgChart(
    {
      title: { text: '项目资金按类别：已拨付与规划投资（万元）', left: 'center', textStyle: { fontSize: 14 } },
      legend: { top: 34, data: ['已拨付', '规划投资'] },
      grid: { top: 72, left: 110, right: 20, bottom: 30 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: cats.map((c) => c.name) },
      series: [
        { name: '已拨付', type: 'bar', data: cats.map((c) => wan(c.paidFen)) },
        { name: '规划投资', type: 'bar', data: cats.map((c) => wan(c.planFen ?? 0)) },
      ],
    },
    760,
    Math.max(300, 90 + cats.length * 34),
  );
  return [
    { title: '脱贫退出', svg: exits },
    { title: '资金来源', svg: money },
    { title: '项目类别', svg: categories },
  ];
};

const tableHtml = (table: ReportTable): string => {
  const head = table.header.map((_, i) => `<th>${escapeMarkup(headerWithUnit(table, i, '万元'))}</th>`).join('');
  const body = table.rows
    .map((row, r) => {
      const total = table.totalRow && r === table.rows.length - 1;
      return `<tr${total ? ' class="total"' : ''}>${row.map((c, i) => `<td${i > 0 ? ' class="num"' : ''}>${escapeMarkup(cellText(c))}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<section id="${table.id}"><h2>${escapeMarkup(table.title)}</h2>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>${table.note ? `<p class="note">${escapeMarkup(table.note)}</p>` : ''}</section>`;
};

export interface ReportAbout {
  readonly title: string;
  readonly generatedAt: string;
  /** Lines that say what the figures are (a simulation's scale and time scale). */
  readonly notes?: readonly string[];
}

export const reportHtml = (rep: Report, opts: ReportAbout): string => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>${escapeMarkup(opts.title)}</title>
<style>
body { font-family: ${FONT}; margin: 24px auto; max-width: 1000px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; } th { background: #f3f5f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } tr.total td { font-weight: bold; background: #fafafa; }
.note, .stamp { color: #555; font-size: 12px; } .charts svg { display: block; margin: 12px auto; }
</style></head><body>
<h1>${escapeMarkup(opts.title)}</h1>
<p class="stamp">${[...(opts.notes ?? []), ...reportStamp(rep), `生成时间 ${opts.generatedAt}`].map(escapeMarkup).join('<br>')}</p>
<div class="charts">
${reportCharts(rep)
  .map((c) => `<figure aria-label="${escapeMarkup(c.title)}">${c.svg}</figure>`)
  .join('\n')}
</div>
${reportTables(rep).map(tableHtml).join('\n')}
</body></html>
`;
