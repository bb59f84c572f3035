import { ALL_EVENTS } from '../event-types';
import { ROLES } from '../shared/actor';
import { COUNTY_IDS } from '../reference/counties';
import { PROJECT_CATEGORIES } from '../project/ids';
import { PROJECT_STATUSES } from '../project/state';
import { DEADLINE_KINDS } from '../project/next-actor';
import { FUND_SOURCES, MILESTONE_KINDS } from '../fund/ids';
import { CHECKLIST_ITEMS } from '../village/checklist';
import { ACTIONS } from '../access/actions';
import * as names from './index';
import type { NameTable } from './name';

const HAN = /\p{Script=Han}/u;
const tables = Object.entries(names).filter((e): e is [string, NameTable<string>] => e[0].endsWith('_NAMES'));

describe('names as people say them', () => {
  it.each(tables)('%s: every entry has a Chinese name and an English one, and no two share a Chinese name', (_, table) => {
    const entries = Object.entries(table);
    expect(entries.length).toBeGreaterThan(0);
    for (const [id, n] of entries) {
      expect({ id, zhHasHan: HAN.test(n.zh), en: n.en.trim().length > 0 }).toEqual({ id, zhHasHan: true, en: true });
    }
    const zh = entries.map(([, n]) => n.zh);
    // The process tables share phase names across processes, never within one table.
    expect(new Set(zh).size).toBe(zh.length);
  });

  it('names every id the domain lists', () => {
    const covered = (table: NameTable<string>, ids: readonly string[]) => ids.filter((id) => !Object.hasOwn(table, id));
    expect(
      covered(
        names.EVENT_NAMES,
        ALL_EVENTS.map((e) => e.type),
      ),
    ).toEqual([]);
    expect(covered(names.ROLE_NAMES, ROLES)).toEqual([]);
    expect(covered(names.COUNTY_NAMES, COUNTY_IDS)).toEqual([]);
    expect(covered(names.CATEGORY_NAMES, PROJECT_CATEGORIES)).toEqual([]);
    expect(covered(names.STAGE_NAMES, PROJECT_STATUSES)).toEqual([]);
    expect(covered(names.DEADLINE_NAMES, DEADLINE_KINDS)).toEqual([]);
    expect(covered(names.FUND_SOURCE_NAMES, FUND_SOURCES)).toEqual([]);
    expect(covered(names.MILESTONE_NAMES, MILESTONE_KINDS)).toEqual([]);
    expect(
      covered(
        names.CHECKLIST_ITEM_NAMES,
        CHECKLIST_ITEMS.map((i) => i.id),
      ),
    ).toEqual([]);
    expect(covered(names.ACTION_NAMES, ACTIONS)).toEqual([]);
  });

  it('takes the plan’s own words where the plan has them', () => {
    expect(names.COUNTY_NAMES.song.zh).toBe('嵩县');
    expect(names.CATEGORY_NAMES.transport.zh).toBe('交通');
    expect(names.CATEGORY_NAMES['housing-renovation'].zh).toBe('住房（危房改造）');
    expect(names.CHECKLIST_ITEM_NAMES['hardened-road'].zh).toBe('有一条通村公路实现硬化');
  });

  describe('lookups', () => {
    it('gives the Chinese name of an id, and the id itself for one the table does not know', () => {
      expect(names.zhOf(names.ROLE_NAMES, 'county-finance')).toBe('县财政局');
      expect(names.zhOf(names.EVENT_NAMES, 'FundDisbursed')).toBe('资金拨付');
      expect(names.zhOf(names.EVENT_NAMES, 'SomethingFromLater')).toBe('SomethingFromLater');
      expect(names.zhOf(names.ROLE_NAMES, 'toString')).toBe('toString');
      expect(names.enOf(names.FUND_SOURCE_NAMES, 'central')).toBe('central fiscal poverty fund');
    });

    it('puts the id beside the name for people who also type ids', () => {
      expect(names.zhWithId(names.COUNTY_NAMES, 'song')).toBe('嵩县（song）');
      expect(names.zhWithId(names.COUNTY_NAMES, 'nowhere')).toBe('nowhere');
    });

    it('finds an id by its id, its Chinese name or its English name', () => {
      expect(names.idByName(names.ROLE_NAMES, '县财政局')).toBe('county-finance');
      expect(names.idByName(names.ROLE_NAMES, ' county-finance ')).toBe('county-finance');
      expect(names.idByName(names.ROLE_NAMES, 'County Finance Bureau')).toBe('county-finance');
      expect(names.idByName(names.FUND_SOURCE_NAMES, '统筹整合涉农资金')).toBe('integrated-agricultural');
      expect(names.idByName(names.ROLE_NAMES, '村支书')).toBeUndefined();
      expect(names.idByName(names.ROLE_NAMES, 'constructor')).toBeUndefined();
    });

    it('lists names as a Chinese sentence does', () => {
      expect(names.zhList(names.ROLE_NAMES, ['township-official', 'county-official'])).toBe('乡镇干部、县扶贫办干部');
    });
  });
});
