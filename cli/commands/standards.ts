import { usageRefusal, takeSwitch } from '../args';
import { writeRows, type Column } from '../table';
import { formatWan, formatYuan } from '../../domain/shared/money';
import { listStandards, type StandardRow } from '../../services/standards';

type Out = (line?: string) => void;

// Per-km and per-station rates read as the plan writes them (35万); per-m² and per-person ones in 元.
const money = (fen: number): string => (fen >= 1_000_000 ? formatWan(fen) : formatYuan(fen));
const rate = (r: StandardRow): string => (r.rateBp !== null ? `${r.rateBp / 100}%` : r.rateFen !== null ? money(r.rateFen) : '');

const COLUMNS: readonly Column<StandardRow>[] = [
  { key: 'id', header: '编号 id', value: (r) => r.id },
  { key: 'zh', header: '名称', value: (r) => r.zh },
  { key: 'rate', header: '标准', value: (r) => rate(r), kind: 'number' },
  { key: 'unit', header: '单位', value: (r) => `${r.unit.zh.replace(/^元/, '')}${r.floor ? '（不低于）' : ''}` },
  { key: 'quantity', header: '工程量计', value: (r) => r.quantity?.zh ?? '' },
  { key: 'previous', header: '原标准', value: (r) => (r.previousRateFen === null ? '' : money(r.previousRateFen)), kind: 'number' },
  { key: 'full', header: '省级全额补助专项', value: (r) => r.fullSubsidyItems.join(',') },
  { key: 'source', header: '依据', value: (r) => r.source },
];

/** `tuopin standards [--json]`: what GET /standards answers, as a table. */
export const runStandards = (argv: string[], out: Out): void => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  if (rest.length > 0) throw usageRefusal('tuopin standards');
  const { items, fullSubsidyItems } = listStandards();
  if (json) {
    out(JSON.stringify({ items, fullSubsidyItems }, null, 2));
    return;
  }
  writeRows(out, items, COLUMNS);
  out('');
  out('省级全额补助专项 (the province pays the whole cost of these parts; plan:343-351):');
  for (const i of fullSubsidyItems) out(`  ${i.id}: ${i.zh} — covers ${i.covers.join(', ')} (${i.source})`);
  out(`${items.length} standard(s); a project subsidy caps the provincial money a project may take, not its budget`);
};
