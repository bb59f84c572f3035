import * as fund from '../fund';
import * as project from '../project';
import { meta } from '../shared/fixtures';
import type { Actor } from '../shared/actor';
import type { Fen } from '../shared/money';
import { decideAllocation, decidePayment, type PaymentRequest, type TwoStreamDecision } from './decide-payment';
import { P, who } from '../project/project.fixtures';

/** A small in-memory world of one project and its funds, to run the cross-aggregate decisions. */
export class World {
  project: project.ProjectState = project.initialState();
  funds: Record<string, fund.FundState> = {};
  readonly log: { stream: string; event: fund.FundEvent | project.ProjectEvent }[] = [];

  fund(id: string): fund.FundState {
    return this.funds[id] ?? fund.initialState();
  }

  onProject(cmd: project.ProjectCommand): project.ProjectEvent[] {
    const r = project.decide(cmd, this.project);
    if (!r.ok) throw new Error(`${cmd.type} refused: ${r.error.code}`);
    this.applyProject(r.events);
    return r.events;
  }

  onFund(cmd: fund.FundCommand): fund.FundEvent[] {
    const r = fund.decide(cmd, this.fund(cmd.data.fundId));
    if (!r.ok) throw new Error(`${cmd.type} refused: ${r.error.code}`);
    this.applyFund(cmd.data.fundId, r.events);
    return r.events;
  }

  allocate(fundId: string, allocationId: string, amount: Fen, a: Actor = who.finance, now = '2017-03-25T09:00:00+08:00'): TwoStreamDecision {
    return this.apply(fundId, decideAllocation({ projectId: P, fundId, allocationId, amount }, this.project, this.fund(fundId), meta(a, now)));
  }

  pay(req: Omit<PaymentRequest, 'projectId' | 'payee' | 'use'> & Partial<PaymentRequest>, now: string, a: Actor = who.finance): TwoStreamDecision {
    const full: PaymentRequest = { projectId: P, payee: 'acct-contractor-1', use: 'road-works', ...req };
    return this.apply(req.fundId, decidePayment(full, this.project, this.fund(req.fundId), meta(a, now)));
  }

  private apply(fundId: string, d: TwoStreamDecision): TwoStreamDecision {
    if (d.ok) {
      this.applyFund(fundId, d.fundEvents);
      this.applyProject(d.projectEvents);
    }
    return d;
  }

  private applyFund(fundId: string, events: fund.FundEvent[]) {
    this.funds[fundId] = events.reduce(fund.evolve, this.fund(fundId));
    for (const event of events) this.log.push({ stream: fundId, event });
  }

  private applyProject(events: project.ProjectEvent[]) {
    this.project = events.reduce(project.evolve, this.project);
    for (const event of events) this.log.push({ stream: P, event });
  }
}

export const appropriate = (id: string, source: fund.FundSource, amount: Fen, earmark: fund.AppropriateFund['data']['earmark'] = ['transport']): fund.FundCommand => ({
  type: 'AppropriateFund',
  data: { fundId: id, source, fiscalYear: 2017, countyId: 'song', documentNumber: `${source}-2017-doc-1`, amount, earmark },
  meta: meta(who.finance, '2017-02-01T09:00:00+08:00'),
});
