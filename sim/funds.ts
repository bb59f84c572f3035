import { appropriateFund } from '../services/appropriate-fund';
import { runFundCommand } from '../services/fund-commands';
import { castOf } from './cast';
import { count, type SimContext } from './context';
import type { FundPlan } from './plan';

/** The finance bureau appropriates the year's funds (下达), each by its document, the way POST /funds does. */
export const appropriateYear = async (x: SimContext, funds: readonly FundPlan[]): Promise<void> => {
  for (const f of funds) {
    const r = await appropriateFund(x.db, {
      type: 'AppropriateFund',
      data: { fundId: f.fundId, source: f.source, fiscalYear: f.year, countyId: f.countyId, documentNumber: f.documentNumber, amount: f.amount, earmark: [...f.earmark] },
      meta: { actor: castOf(f.countyId).finance, now: new Date().toISOString() },
    });
    if (!r.ok) throw new Error(`appropriation of ${f.fundId} refused: ${r.error.code} ${r.error.zh}`);
  }
};

/** At year end what no contract needed goes back upwards (收回), the way POST /funds/:id/returns does. */
export const returnHeadroom = async (x: SimContext, funds: readonly FundPlan[]): Promise<number> => {
  let returned = 0;
  for (const f of funds) {
    if (f.headroom <= 0) continue;
    const r = await runFundCommand(
      x.db,
      {
        type: 'ReturnFund',
        data: { fundId: f.fundId, amount: f.headroom, reason: `${f.year}年度项目结余资金收回` },
        meta: { actor: castOf(f.countyId).finance, now: new Date().toISOString() },
      },
      { requestId: `sim-${x.plan.runTag}-return-${f.fundId}` },
    );
    if (!r.ok) {
      count(x.tally.refusals, r.error.code);
      continue;
    }
    returned += f.headroom;
  }
  return returned;
};
