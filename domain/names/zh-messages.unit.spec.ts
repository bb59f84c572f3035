import { fundErrors } from '../fund/errors';
import { benefitErrors } from '../benefit/errors';
import { policyZh } from './policies';
// The spec reads domain/'s own source to find zh texts; the domain code it checks stays free of I/O.
// eslint-disable-next-line no-restricted-imports
import { readdirSync, readFileSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports
import { join } from 'node:path';
import { countyDecider } from '../county';
import { villageDecider } from '../village';
import { V_TO_STATE, vcmd, villageHistory, VT } from '../village/fixtures';
import { roundHouseholdsRefusal } from '../exits/round';
import { requestRefusal } from '../exits/steps';
import type { Actor } from '../shared/actor';

const refusalOf = (r: { ok: boolean; error?: { zh: string } }): { zh: string } => {
  if (r.ok || !r.error) throw new Error('expected a refusal');
  return r.error;
};
const WT: Actor = { userId: 'wt-01', role: 'work-team', countyId: 'song' };
const countyState = countyDecider.evolve(countyDecider.initialState(), {
  type: 'CountyExitApplied',
  data: {
    countyId: 'luanchuan',
    by: 'co-lc-01',
    at: '2018-09-01T09:00:00+08:00',
    year: 2018,
    poorCounty: true,
    poorRemaining: 1,
    ruralPopulation: 100,
    poorVillagesExited: 75,
    poorVillagesTotal: 75,
    baselinePoor: 27_208,
    policy: { id: 'exit-thresholds', version: 1 },
    sampleBasis: null,
  },
} as never);
const countyCmd = (countyId: 'song') =>
  ({
    type: 'RecordCityPreCheck',
    data: { countyId, passed: true, findings: '' },
    meta: { actor: { userId: 'city-01', role: 'city-poverty-office' }, now: '2018-09-20T09:00:00+08:00' },
  }) as never;
const countyDecide = (c: never, s: typeof countyState) => refusalOf(countyDecider.decide(c, s));
const villageError = () =>
  refusalOf(
    villageDecider.decide(
      vcmd('CheckVillageItem', { item: 'hardened-road', result: 'not-feasible', evidenceRef: 'e-1' }, 'work-team', VT.announce),
      villageHistory(V_TO_STATE.poor).reduce(villageDecider.evolve, villageDecider.initialState()),
    ),
  );

/**
 * Issue 14 point 14: a Chinese message names categories, fund sources and policies by their Chinese
 * names, never by the English ids machines keep (专款专用：该资金不得用于“transport”类项目 before).
 */
const ASCII_ID = /[“（][a-z]+(-[a-z]+)*[”）/]/;

describe('zh messages use zh names', () => {
  it('given a fund earmarked for water, when it would pay a transport project, then the refusal names 交通 in zh', () => {
    const e = fundErrors.notEarmarked('transport', ['water']);
    expect(e.zh).toBe('专款专用：该资金不得用于“交通”类项目');
    expect(e.zh).not.toMatch(ASCII_ID);
  });
  it('benefit refusals name the fund source and the category in zh', () => {
    expect(benefitErrors.fundNotAllowed('credit', ['central']).zh).toBe('该政策不能由“扶贫信贷资金”支付');
    expect(benefitErrors.fundNotEarmarked('education').zh).not.toMatch(ASCII_ID);
  });
  it('a policy is cited by its zh name and version', () => {
    expect(policyZh({ id: 'poverty-fund-negative-list', version: 2 })).toBe('扶贫资金负面清单（第2版）');
  });
});

/**
 * The rest of point 14: no zh message may embed an id people do not say. Two checks: the source
 * (a zh template may not interpolate a bare role, item, status, stage, kind, tier, step, action,
 * policy, source, category, result, failure or field: those go through zhOf, zhList, policyZh or
 * fieldZh; no zh text says 命令), and the refusals that did, given what made them.
 */
const ID_LIKE = /^[\w.!?[\]]*?(role|item|status|stage|kind|tier|step|action|policy|source|category|result|failure|field)$/i;
const zhSources = (): { file: string; line: number; text: string }[] => {
  const out: { file: string; line: number; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.spec.ts') && !p.endsWith('.fixtures.ts')) {
        const src = readFileSync(p, 'utf8');
        for (const m of src.matchAll(/`((?:[^`\\]|\\.)*)`|'([^'\n]*)'/g)) {
          const text = m[1] ?? m[2]!;
          if (/[\u4e00-\u9fff]/.test(text)) out.push({ file: p, line: src.slice(0, m.index).split('\n').length, text });
        }
      }
    }
  };
  walk(join(__dirname, '..'));
  return out;
};

describe('no English id or 命令 in a zh message', () => {
  const sources = zhSources();
  it('finds the zh texts it checks', () => expect(sources.length).toBeGreaterThan(300));
  it('no zh template interpolates a bare id; no zh text says 命令', () => {
    const bad = sources.flatMap(({ file, line, text }) => [
      ...[...text.matchAll(/\$\{\s*([^{}]*?)\s*\}/g)].filter((m) => ID_LIKE.test(m[1]!)).map((m) => `${file}:${line} \${${m[1]}}`),
      ...(text.includes('命令') ? [`${file}:${line} 命令`] : []),
    ]);
    expect(bad).toEqual([]);
  });

  const NO_ASCII_WORD = /[A-Za-z]{2,}/;
  it.each<[string, () => { zh: string }, string]>([
    ['a county command for another county', () => countyDecide(countyCmd('song'), countyState), '所办事项与档案中的县不一致'],
    ['a checklist result the item cannot take', () => villageError(), '“有一条通村公路实现硬化”不能记为“不具备条件”'],
    [
      'a household not ready for a round step',
      () => roundHouseholdsRefusal({ type: 'check', actor: WT, confirmed: ['hh-song-000001'] } as never, new Map([['hh-song-000001', 'assessed']]))!,
      '该户当前为“已评估，待村评议”，不能执行该步骤',
    ],
    ['a benefit round at the wrong stage', () => benefitErrors.wrongStage('drafted', 'approve'), '批次处于“名单已拟定”阶段，不能审批名单'],
    ['one person drafting and approving', () => benefitErrors.sameActor('county-approval', 'draft'), '“拟定名单”与“县级审批”不能为同一人'],
    ['a period of the wrong kind', () => benefitErrors.periodKind('2018-03', 'year'), '该政策按年发放，期间2018-03不符'],
    ['a tier below its floor', () => benefitErrors.standardOutOfBounds('primary', 90_000, 'floor', 100_000), '标准“小学”900.00元低于规划下限1,000.00元'],
    ['a step request missing a field', () => requestRefusal({ code: 'COUNTY_EXIT' }, 'approval.asked', 'Required'), '请求无效：'],
  ])('%s: zh without English ids', (_, make, zh) => {
    const e = make();
    expect(e.zh).toContain(zh);
    expect(e.zh).not.toMatch(NO_ASCII_WORD);
  });
});
