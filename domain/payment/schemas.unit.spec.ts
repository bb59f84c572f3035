import { eventRegistry } from '../event-types';
import { FUND_EVENTS } from '../fund/events';
import { PROJECT_EVENTS } from '../project/events';
import { HISTORIES } from '../project/project.fixtures';
import { c, FUND_CENTRAL, FUND_COUNTY, T, wan, who } from '../project/project.fixtures';
import { appropriate, World } from './ledger.fixtures';

/** What the deciders produce is what the store will accept: every event parses against its schema. */
describe('Decider output against the registered schemas', () => {
  it('registers every fund and project event once', () => {
    for (const d of [...FUND_EVENTS, ...PROJECT_EVENTS]) expect(eventRegistry.get(d.type)).toBe(d);
  });

  const check = (event: { type: string; data: unknown }) => {
    const def = eventRegistry.get(event.type);
    expect(def).toBeDefined();
    const parsed = def!.schema.safeParse(event.data);
    if (!parsed.success) throw new Error(`${event.type}: ${parsed.error.message}`);
    return def!.refs(parsed.data);
  };

  it('every project history parses, and refs name the project', () => {
    for (const events of Object.values(HISTORIES)) for (const e of events) expect(check(e)).toContainEqual({ kind: 'project', id: 'prj-song-2017-road0001' });
  });

  it('a full funded, paid and cancelled world parses, with fund and payment refs', () => {
    const w = new World();
    w.onFund(appropriate(FUND_CENTRAL, 'central', wan(500)));
    w.onFund(appropriate(FUND_COUNTY, 'county', wan(200)));
    for (const cmd of [c.propose(), c.townshipApprove(), c.countyApprove(), c.publishNotice(), c.enterLibrary()]) w.onProject(cmd);
    w.allocate(FUND_CENTRAL, 'alc-central', wan(63));
    w.allocate(FUND_COUNTY, 'alc-county', wan(42));
    w.onProject(c.start());
    w.pay({ fundId: FUND_CENTRAL, allocationId: 'alc-central', paymentId: 'pay-advance', milestone: 'advance', amount: wan(31.5) }, T.start);
    w.onProject(c.escalate('township', who.system, T.m1));
    w.onProject(c.finding('fnd-1', who.auditor, T.m1));
    w.onProject(c.cancel(who.approver, T.m1));
    const refs = w.log.flatMap((l) => check(l.event));
    expect(refs).toContainEqual({ kind: 'payment', id: 'pay-advance' });
    expect(refs).toContainEqual({ kind: 'fund', id: FUND_COUNTY });
    expect(refs).toContainEqual({ kind: 'county', id: 'song' });
  });
});
