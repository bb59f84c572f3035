import type { CommandMeta } from '../shared/actor';
import { domainError } from '../shared/errors';
import { accept, refuse, type Decision } from '../shared/result';
import { formatWan, formatYuan, type Fen } from '../shared/money';
import { COUNTIES, type CountyId } from '../reference/counties';
import { zhOf } from '../names/name';
import { ROLE_NAMES } from '../names/roles';
import type { Decider } from '../shared/decider';
import { INTEGRATION_CHANNELS, INTEGRATION_POLICY_VERSION, INTEGRATION_RULE, type IntegrationChannel } from './channels';
import type { IntegrationEvent } from './events';

/** The county finance bureau draws up the 整合方案 and records it once the county government adopts it. */
export const INTEGRATION_ROLE = 'county-finance' as const;

export interface AdoptIntegrationPlan {
  readonly type: 'AdoptIntegrationPlan';
  readonly data: {
    readonly countyId: CountyId;
    readonly year: number;
    readonly documentRef: string;
    readonly adoptedOn: string;
    readonly channels: readonly { readonly channel: IntegrationChannel; readonly amountFen: Fen }[];
    /** The pool's total as the plan states it: it must equal the channels' sum to the fen. */
    readonly totalFen: Fen;
  };
  readonly meta: CommandMeta;
}
export type IntegrationCommand = AdoptIntegrationPlan;

export type IntegrationState = { readonly status: 'none' } | { readonly status: 'adopted'; readonly plan: IntegrationEvent['data'] };

export const INTEGRATION_ERRORS = {
  notPermitted: 'INTEGRATION_NOT_PERMITTED',
  notPoorCounty: 'INTEGRATION_NOT_A_POOR_COUNTY',
  exists: 'INTEGRATION_PLAN_EXISTS',
  channelTwice: 'INTEGRATION_CHANNEL_TWICE',
  amountNotPositive: 'INTEGRATION_AMOUNT_NOT_POSITIVE',
  totalMismatch: 'INTEGRATION_TOTAL_MISMATCH',
  inFuture: 'INTEGRATION_PLAN_IN_FUTURE',
} as const;

const E = INTEGRATION_ERRORS;
const channelZh = (id: string) => INTEGRATION_CHANNELS.find((c) => c.id === id)?.zh ?? id;

const adopt = (c: AdoptIntegrationPlan, s: IntegrationState): Decision<IntegrationEvent> => {
  const { actor } = c.meta;
  const d = c.data;
  if (actor.role !== INTEGRATION_ROLE || actor.countyId !== d.countyId) {
    return refuse(
      domainError(
        E.notPermitted,
        `整合方案由本县${zhOf(ROLE_NAMES, INTEGRATION_ROLE)}登记，${zhOf(ROLE_NAMES, actor.role)}不能办理`,
        `only the county's own finance bureau records its integration plan, not a ${actor.role}`,
      ),
    );
  }
  const county = COUNTIES.find((x) => x.id === d.countyId)!;
  if (!INTEGRATION_RULE.value.includes(county.kind)) {
    return refuse(
      domainError(E.notPoorCounty, `${county.zh}不是贫困县，不开展统筹整合使用财政涉农资金`, `${county.en} is not a poor county: it does not integrate agricultural funds`, {
        countyId: d.countyId,
        kind: county.kind,
      }),
    );
  }
  if (s.status === 'adopted') {
    return refuse(
      domainError(
        E.exists,
        `${county.zh}${d.year}年整合方案已登记（${s.plan.documentRef}）`,
        `the ${d.year} integration plan of ${county.en} is already recorded (${s.plan.documentRef})`,
      ),
    );
  }
  if (d.adoptedOn > c.meta.now.slice(0, 10)) return refuse(domainError(E.inFuture, '整合方案印发日期晚于登记日期', 'the plan is dated after it is recorded'));
  const seen = new Set<string>();
  for (const ch of d.channels) {
    if (seen.has(ch.channel))
      return refuse(domainError(E.channelTwice, `资金渠道“${channelZh(ch.channel)}”重复列出`, `channel ${ch.channel} is listed twice`, { channel: ch.channel }));
    seen.add(ch.channel);
    if (ch.amountFen <= 0)
      return refuse(
        domainError(E.amountNotPositive, `“${channelZh(ch.channel)}”整合金额须大于零`, `the amount from ${ch.channel} must be more than zero`, { channel: ch.channel }),
      );
  }
  const sum = d.channels.reduce((n, ch) => n + ch.amountFen, 0);
  if (!Number.isSafeInteger(sum) || sum !== d.totalFen) {
    return refuse(
      domainError(
        E.totalMismatch,
        `各渠道整合金额合计${formatYuan(sum)}与方案总额${formatYuan(d.totalFen)}不符`,
        `the channels add up to ${formatYuan(sum)}, not the plan's total ${formatYuan(d.totalFen)}`,
        {
          sumFen: sum,
          totalFen: d.totalFen,
          differenceFen: d.totalFen - sum,
        },
      ),
    );
  }
  return accept({
    type: 'IntegrationPlanAdopted',
    data: {
      countyId: d.countyId,
      year: d.year,
      documentRef: d.documentRef,
      adoptedOn: d.adoptedOn,
      channels: d.channels.map((ch) => ({ channel: ch.channel, amountFen: ch.amountFen })),
      totalFen: d.totalFen,
      policy: { id: 'integration-plan', version: INTEGRATION_POLICY_VERSION },
      by: actor.userId,
      at: c.meta.now,
    },
  });
};

export const integrationDecider: Decider<IntegrationCommand, IntegrationEvent, IntegrationState> = {
  decide: (c, s) => adopt(c, s),
  evolve: (_s, e) => ({ status: 'adopted', plan: e.data }),
  initialState: () => ({ status: 'none' }),
};

export const integrationStreamId = (countyId: string, year: number): string => `integration-${countyId}-${year}`;

/** "水利发展资金 300万；…；合计 1,200万": a plan as a person reads it. */
export const describePlan = (p: IntegrationEvent['data']): string =>
  `${p.channels.map((ch) => `${channelZh(ch.channel)} ${formatWan(ch.amountFen)}`).join('；')}；合计 ${formatWan(p.totalFen)}`;
