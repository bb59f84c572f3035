import fc from 'fast-check';
import { decide } from './decide';
import { evolve } from './evolve';
import { initialState, type ProjectState, type ProjectStatus } from './state';
import { c, FUND_CENTRAL, FUND_COUNTY, wan, who } from './project.fixtures';
import type { ProjectCommand } from './commands';
import type { ProjectEvent } from './events';
import { addDays } from '../shared/ids';

/** Where each event may happen: a second, independent statement of the lifecycle's order. */
const FROM: Record<ProjectEvent['type'], readonly (ProjectStatus | 'none')[] | 'any'> = {
  ProjectProposed: ['none'],
  ProjectPerformanceTargetSet: ['proposed', 'township-reviewed', 'county-approved', 'in-notice'],
  ProjectTownshipApproved: ['proposed'],
  ProjectRejected: ['proposed', 'township-reviewed'],
  ProjectCountyApproved: ['township-reviewed'],
  ProjectNoticePublished: ['county-approved'],
  ProjectObjectionRaised: ['in-notice'],
  ProjectEnteredLibrary: ['in-notice'],
  ProjectFundingRecorded: ['in-library'],
  ProjectFullyFunded: ['in-library'],
  ProjectConstructionStarted: ['funded'],
  ProjectMilestoneReported: ['under-construction'],
  ProjectPaymentRecorded: ['under-construction', 'completed', 'accepted', 'settled'],
  ProjectCompleted: ['under-construction'],
  ProjectAccepted: ['completed'],
  ProjectSettled: ['accepted'],
  ProjectAuditFindingRecorded: 'any',
  ProjectFindingRemediated: 'any',
  ProjectRemediationVerified: 'any',
  ProjectAssetHandedOver: ['settled'],
  ProjectCancelled: ['proposed', 'township-reviewed', 'county-approved', 'in-notice', 'in-library', 'funded', 'under-construction'],
  ProjectEscalated: 'any',
};

const after = (a: string, b: string) => Date.parse(a) >= Date.parse(b);

const checkStep = (s: ProjectState, e: ProjectEvent) => {
  const from = FROM[e.type];
  if (from !== 'any') expect(from).toContain(s.status);
  if (s.status === 'none') return;
  const d = e.data as { by: string; at: string };
  switch (e.type) {
    case 'ProjectTownshipApproved':
    case 'ProjectCountyApproved':
      expect(d.by).not.toBe(s.proposedBy);
      break;
    case 'ProjectAccepted':
      expect(d.by).not.toBe(s.approvedBy);
      break;
    case 'ProjectEnteredLibrary':
      expect(s.noticeEndsAt).toBeDefined();
      expect(after(d.at, s.noticeEndsAt ?? '')).toBe(true);
      expect(s.performanceTarget).toBeDefined();
      break;
    case 'ProjectPaymentRecorded': {
      const p = e.data;
      const cap = s.settlementAmount ?? s.contract?.amount ?? 0;
      expect(s.paid + p.amount).toBeLessThanOrEqual(cap);
      const a = s.allocations[p.allocationId];
      expect(a && a.paid + p.amount <= a.amount).toBe(true);
      if (p.milestone === 'advance') expect(s.status).toBe('under-construction');
      if (p.milestone === 'progress') expect(p.milestoneId && s.milestones[p.milestoneId]).toBeTruthy();
      if (p.milestone === 'settlement') expect(s.status).toBe('settled');
      if (p.milestone === 'retention') {
        expect(s.status).toBe('settled');
        expect(after(p.at, s.warrantyEndsAt ?? '9999')).toBe(true);
        expect(Object.values(s.findings).every((f) => f === 'verified')).toBe(true);
      }
      if (p.milestone !== 'retention')
        expect(s.paid + p.amount).toBeLessThanOrEqual(cap - (s.retentionAmount ?? Math.floor(((s.contract?.amount ?? 0) * (s.contract?.retentionBp ?? 0)) / 10_000)));
      break;
    }
    case 'ProjectAssetHandedOver':
      expect(s.paid).toBe(s.settlementAmount);
      expect(after(d.at, s.warrantyEndsAt ?? '9999')).toBe(true);
      break;
    case 'ProjectCompleted':
      expect(s.progressBp).toBe(10_000);
      break;
    case 'ProjectFundingRecorded':
      expect(s.funded + e.data.amount).toBeLessThanOrEqual(s.budget);
      break;
    default:
      break;
  }
};

const people = [who.proposer, who.townshipReviewer, who.approver, who.acceptor, who.finance, who.auditor, who.city, who.system, who.otherCountyOfficial];
const amounts = [wan(1), wan(10), wan(21), wan(31.5), wan(42), wan(63), wan(105), wan(3.15), wan(20.85)];

const step = fc.record({
  kind: fc.integer({ min: 0, max: 21 }),
  who: fc.constantFrom(...people),
  amount: fc.constantFrom(...amounts),
  days: fc.integer({ min: 0, max: 200 }),
  id: fc.constantFrom('a', 'b', 'c'),
  pct: fc.constantFrom(2000, 5000, 10_000),
  milestone: fc.constantFrom('advance' as const, 'progress' as const, 'settlement' as const, 'retention' as const),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;
const build = (k: Step, now: string): ProjectCommand => {
  const alloc = k.id === 'a' ? { allocationId: 'alc-central', fundId: FUND_CENTRAL } : { allocationId: 'alc-county', fundId: FUND_COUNTY };
  switch (k.kind) {
    case 0:
      return c.propose({}, k.who, now);
    case 1:
      return c.setTarget(k.who, now);
    case 2:
      return c.townshipApprove(k.who, now);
    case 3:
      return c.reject(k.who, now);
    case 4:
      return c.countyApprove(k.who, now);
    case 5:
      return c.publishNotice(k.who, now);
    case 6:
      return c.object(k.who, now, `obj-${k.id}`);
    case 7:
      return c.enterLibrary(k.who, now);
    case 8:
      return c.fund(alloc.allocationId, alloc.fundId, k.id === 'a' ? 'central' : 'county', k.amount, k.who, now);
    case 9:
      return c.start({ contractAmount: k.amount }, k.who, now);
    case 10:
      return c.milestone(`ms-${k.pct}-${k.id}`, k.pct, now, k.who);
    case 11:
    case 12:
    case 13:
      return c.pay({ paymentId: `pay-${k.days}-${k.id}`, milestone: k.milestone, amount: k.amount, milestoneId: `ms-${k.pct}-${k.id}`, ...alloc }, now, k.who);
    case 14:
      return c.complete(k.who, now);
    case 15:
      return c.accept(k.who, now);
    case 16:
      return c.settle(k.amount, k.who, now);
    case 17:
      return c.finding(`f-${k.id}`, k.who, now);
    case 18:
      return c.remediate(`f-${k.id}`, k.who, now);
    case 19:
      return c.verify(`f-${k.id}`, k.who, now);
    case 20:
      return c.handOver(k.who, now, now.slice(0, 10));
    default:
      return c.escalate(k.id === 'a' ? 'township' : k.id === 'b' ? 'county' : 'city', k.who, now);
  }
};

const WAITS = ['PROJECT_NOTICE_RUNNING', 'PAYMENT_RETENTION_BEFORE_WARRANTY_END', 'PROJECT_WARRANTY_RUNNING', 'PROJECT_NOT_FULLY_PAID'];

describe('Project order under random command sequences', () => {
  it('no step ever happens out of order, by the wrong person, or pays beyond its rule', () => {
    let furthest = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 120 }), (steps) => {
        let state: ProjectState = initialState();
        let now = '2017-03-01T09:00:00+08:00';
        let accepted = 0;
        for (const k of steps) {
          now = addDays(now, k.days % 20);
          const r = decide(build(k, now), state);
          if (!r.ok) continue;
          accepted += r.events.length;
          for (const e of r.events) {
            checkStep(state, e);
            state = evolve(state, e);
          }
        }
        furthest = Math.max(furthest, accepted);
      }),
      { numRuns: 1000 },
    );
    // Unguided walks stay shallow (most random steps are refused); the guided walk below goes deep.
    expect(furthest).toBeGreaterThan(1);
  });

  it('a guided random walk reaches the end of the lifecycle and still keeps the order', () => {
    // Always offer the next right step among random noise, so the deep stages are exercised too.
    const right = (now: string): ProjectCommand[] => [
      c.propose({}, who.proposer, now),
      c.townshipApprove(who.townshipReviewer, now),
      c.countyApprove(who.approver, now),
      c.publishNotice(who.approver, now),
      c.enterLibrary(who.approver, now),
      c.fund('alc-central', FUND_CENTRAL, 'central', wan(63), who.finance, now),
      c.fund('alc-county', FUND_COUNTY, 'county', wan(42), who.finance, now),
      c.start({}, who.approver, now),
      c.pay({ paymentId: 'g-adv', milestone: 'advance', amount: wan(31.5) }, now),
      c.milestone('g-100', 10_000, now),
      c.pay({ paymentId: 'g-prog', milestone: 'progress', milestoneId: 'g-100', amount: wan(31.5) }, now),
      c.complete(who.approver, now),
      c.accept(who.acceptor, now),
      c.settle(wan(105), who.approver, now),
      c.pay({ paymentId: 'g-set-k', milestone: 'settlement', allocationId: 'alc-county', amount: wan(38.85) }, now),
      c.pay({ paymentId: 'g-ret', milestone: 'retention', allocationId: 'alc-county', amount: wan(3.15) }, now),
      c.handOver(who.approver, now, now.slice(0, 10)),
    ];
    const statuses = new Set<string>();
    fc.assert(
      fc.property(fc.array(fc.tuple(step, fc.boolean()), { minLength: 40, maxLength: 200 }), (steps) => {
        let state: ProjectState = initialState();
        let now = '2017-03-01T09:00:00+08:00';
        let next = 0;
        for (const [k, guided] of steps) {
          now = addDays(now, 1 + (k.days % 40));
          const cmd = guided && next < right(now).length ? right(now)[next] : build(k, now);
          if (!cmd) continue;
          const r = decide(cmd, state);
          // A guided step that must wait for time (notice, warranty) is offered again later.
          if (guided && (r.ok || !WAITS.includes(r.error.code))) next++;
          if (!r.ok) continue;
          for (const e of r.events) {
            checkStep(state, e);
            state = evolve(state, e);
          }
          statuses.add(state.status);
        }
      }),
      { numRuns: 500 },
    );
    expect(statuses).toContain('settled');
    expect(statuses).toContain('closed');
  });
});
