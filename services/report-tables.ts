import { ANOMALY_KIND_NAMES, type Name } from '../domain/names';
import { REPORT_YEARS, type Report } from './report';

/**
 * The report's tables, once, for every form it takes (the terminal, the HTML page, the workbook).
 * Money cells hold integer fen: each form writes them its own way (万元 on screen, 元 numbers in the
 * workbook so that a SUM over a column is the books' sum), never through a float of 万元.
 */
export type Cell = { readonly text: string } | { readonly count: number } | { readonly fen: number } | { readonly ratio: readonly [number, number] } | { readonly none: true };

export interface ReportTable {
  readonly id: string;
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** The last row is a total. */
  readonly totalRow: boolean;
  readonly note?: string;
}

const t = (text: string): Cell => ({ text });
const n = (count: number): Cell => ({ count });
const f = (fen: number): Cell => ({ fen });
/** An inspector reads the kind's zh name; a kind the table does not name yet keeps its id rather than vanish. */
const anomalyName = (kind: string): string => (ANOMALY_KIND_NAMES as Readonly<Record<string, Name | undefined>>)[kind]?.zh ?? kind;
const r = (a: number, b: number): Cell => (b === 0 ? { none: true } : { ratio: [a, b] });

export const reportTables = (rep: Report): ReportTable[] => {
  const byYear = REPORT_YEARS.map((year) => {
    const ys = rep.exits.filter((e) => e.year === year);
    const s = (k: 'households' | 'people' | 'returned' | 'net' | 'target' | 'villages' | 'villageTarget') => ys.reduce((a, e) => a + e[k], 0);
    return {
      year,
      hh: s('households'),
      people: s('people'),
      returned: s('returned'),
      net: s('net'),
      target: s('target'),
      villages: s('villages'),
      villageTarget: s('villageTarget'),
      counties: ys.filter((e) => e.countyExited).length,
    };
  });
  const sumY = (k: keyof (typeof byYear)[number]) => byYear.reduce((a, y) => a + y[k], 0);
  const exitYears: ReportTable = {
    id: 'exits-by-year',
    title: '脱贫退出（按年度，对照规划目标）',
    header: ['年度', '退出户', '退出人口', '返贫人口', '净脱贫人口', '规划目标人口', '完成率', '贫困村退出', '规划贫困村退出', '摘帽县'],
    rows: [
      ...byYear.map((y) => [t(String(y.year)), n(y.hh), n(y.people), n(y.returned), n(y.net), n(y.target), r(y.net, y.target), n(y.villages), n(y.villageTarget), n(y.counties)]),
      [
        t('合计'),
        n(sumY('hh')),
        n(sumY('people')),
        n(sumY('returned')),
        n(sumY('net')),
        n(sumY('target')),
        r(sumY('net'), sumY('target')),
        n(sumY('villages')),
        n(sumY('villageTarget')),
        n(sumY('counties')),
      ],
    ],
    totalRow: true,
    note: '人口目标按各县建档立卡贫困人口占全市比例（及模拟规模）折算，贫困村目标按各县贫困村占全市比例折算；2020年人口目标为兜底保障人口（6,070人）。',
  };
  const exitCounties: ReportTable = {
    id: 'exits-by-county',
    title: '脱贫退出（按县）',
    header: ['县（市、区）', '退出户', '净脱贫人口', '规划目标人口', '完成率', '贫困村退出', '摘帽年度'],
    rows: rep.scope.counties.map(({ countyId }) => {
      const cs = rep.exits.filter((e) => e.countyId === countyId);
      const s = (k: 'households' | 'net' | 'target' | 'villages') => cs.reduce((a, e) => a + e[k], 0);
      const exited = cs.find((e) => e.countyExited);
      return [t(cs[0]?.county ?? countyId), n(s('households')), n(s('net')), n(s('target')), r(s('net'), s('target')), n(s('villages')), exited ? t(String(exited.year)) : t('—')];
    }),
    totalRow: false,
  };
  const moneyHeader = ['', '资金笔数', '下达', '安排未拨付', '已拨付', '收回', '结余', '拨付率'];
  const moneyRows = (rows: Report['money']['bySource']) =>
    rows.map((m) => [
      t(m.name),
      n(m.funds),
      f(m.appropriatedFen),
      f(m.allocatedUnpaidFen),
      f(m.paidFen),
      f(m.returnedFen),
      f(m.availableFen),
      r(m.paidFen, m.paidFen + m.allocatedUnpaidFen),
    ]);
  const bySource: ReportTable = {
    id: 'money-by-source',
    title: '资金（按来源）',
    header: ['资金来源', ...moneyHeader.slice(1)],
    rows: [...moneyRows(rep.money.bySource), ...moneyRows([rep.money.total])],
    totalRow: true,
    note: '下达 = 结余 + 安排未拨付 + 已拨付 + 收回，逐笔资金到分。',
  };
  const byCounty: ReportTable = {
    id: 'money-by-county',
    title: '资金（按县）',
    header: ['县（市、区）', ...moneyHeader.slice(1)],
    rows: [...moneyRows(rep.money.byCounty), ...moneyRows([rep.money.total])],
    totalRow: true,
  };
  const cs = rep.categories;
  const planTotal = cs.reduce((a, c) => a + (c.planFen ?? 0), 0);
  const byCategory: ReportTable = {
    id: 'projects-by-category',
    title: '项目与资金（按类别，对照规划投资）',
    header: ['类别', '项目数', '已完结', '项目预算', '已拨付', '规划投资', '拨付占规划'],
    rows: [
      ...cs.map((c) => [
        t(c.name),
        n(c.projects),
        n(c.closed),
        f(c.budgetFen),
        f(c.paidFen),
        c.planFen === null ? ({ none: true } as Cell) : f(c.planFen),
        c.planFen === null ? ({ none: true } as Cell) : r(c.paidFen, c.planFen),
      ]),
      [
        t('合计'),
        n(cs.reduce((a, c) => a + c.projects, 0)),
        n(cs.reduce((a, c) => a + c.closed, 0)),
        f(cs.reduce((a, c) => a + c.budgetFen, 0)),
        f(cs.reduce((a, c) => a + c.paidFen, 0)),
        f(planTotal),
        r(
          cs.reduce((a, c) => a + c.paidFen, 0),
          planTotal,
        ),
      ],
    ],
    totalRow: true,
    note: '规划投资按各县贫困人口占全市比例（及模拟规模）折算；金融扶贫规划无合计金额。',
  };
  const bs = rep.benefits;
  const benefits: ReportTable = {
    id: 'benefits-by-programme',
    title: '到户补助（按项目）',
    header: ['补助项目', '发放批次', '受益户次', '已发放'],
    rows: [
      ...bs.map((b) => [t(b.name), n(b.rounds), n(b.households), f(b.paidFen)]),
      [t('合计'), n(bs.reduce((a, b) => a + b.rounds, 0)), n(bs.reduce((a, b) => a + b.households, 0)), f(bs.reduce((a, b) => a + b.paidFen, 0))],
    ],
    totalRow: true,
    note: bs.length === 0 ? '截至本库位置没有到户补助发放记录。' : '到户补助经各县补助批次发放到农户一卡通账户，已发放额含在上表资金的“已拨付”中。',
  };
  const anomalies: ReportTable = {
    id: 'anomalies',
    title: '异常情况',
    header: ['类型', '件数'],
    rows: [...rep.anomalies.map((a) => [t(anomalyName(a.kind)), n(a.count)]), [t('合计'), n(rep.anomalies.reduce((a, x) => a + x.count, 0))]],
    totalRow: true,
  };
  return [exitYears, exitCounties, bySource, byCounty, byCategory, benefits, anomalies];
};

/** Where the report stands: the store position and digest, so the figures can be checked against the books. */
export const reportStamp = (rep: Report): string[] => [
  `库位置 store position ${rep.store.position}${rep.store.position < rep.store.head ? `（当前 ${rep.store.head}）` : ''}，${rep.store.streams} 个流 ${rep.store.events} 个事件`,
  `库摘要 store digest ${rep.store.digest}`,
  ...(rep.store.recordedAt ? [`截至 as of ${rep.store.recordedAt}`] : []),
];

/** 万元, exact (up to six decimals, none lost), with thousands separators: how the screen and the page write money. */
export const wanText = (fen: number): string => {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const whole = Math.trunc(abs / 1_000_000).toLocaleString('en-US');
  const frac = String(abs % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
};

/** A cell as people read it: counts with separators, money in 万元, ratios as percentages. */
export const cellText = (c: Cell): string => {
  if ('text' in c) return c.text;
  if ('count' in c) return c.count.toLocaleString('en-US');
  if ('fen' in c) return wanText(c.fen);
  if ('ratio' in c) return `${((100 * c.ratio[0]) / c.ratio[1]).toFixed(1)}%`;
  return '—';
};

/** Money columns are headed with their unit where people read them. */
export const headerWithUnit = (table: ReportTable, i: number, unit: string): string =>
  table.rows.some((row) => row[i] !== undefined && 'fen' in row[i]!) ? `${table.header[i]}（${unit}）` : table.header[i]!;
