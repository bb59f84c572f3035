import type { Fen } from '../shared/money';
import type { BenefitRoundEvent } from './events';
import type { BenefitRoundState, LineState, RoundBooks } from './state';

const plus = (a: Fen, b: number): Fen => (a + b) as Fen;

/**
 * Applies one event. Events are facts already decided, so one that does not fit the state (which a
 * correct decider never produces) leaves the state as it is. Line maps are copied once per event,
 * and events carry lines in batches, so a county-wide round folds in linear time.
 */
export const evolve = (state: BenefitRoundState, event: BenefitRoundEvent): BenefitRoundState => {
  if (event.type === 'BenefitRoundDrafted') {
    const d = event.data;
    return {
      stage: 'drafted',
      roundId: d.roundId,
      programmeId: d.programmeId,
      countyId: d.countyId,
      townshipId: d.townshipId,
      villageIds: d.villageIds,
      period: d.period,
      standards: d.standards,
      drafter: d.by,
      noticeEndsAt: null,
      reviewer: null,
      approver: null,
      payer: null,
      fundId: null,
      allocationId: null,
      objections: new Set(),
      lines: new Map(),
      listTotal: 0 as Fen,
      paid: 0 as Fen,
      returned: 0 as Fen,
    };
  }
  if (state.stage === 'none') return state;
  const s: RoundBooks & { stage: BenefitRoundState['stage'] } = state;
  const withLines = (changes: readonly LineState[], patch: Partial<RoundBooks> = {}): BenefitRoundState => {
    const lines = new Map(s.lines);
    for (const l of changes) lines.set(l.householdId, l);
    return { ...s, ...patch, lines } as BenefitRoundState;
  };
  const objected = (id: string) => new Set([...s.objections, id]);

  switch (event.type) {
    case 'BenefitLinesListed': {
      const d = event.data;
      return withLines(
        d.lines.map((l) => ({ ...l, status: 'listed' as const })),
        {
          listTotal: plus(
            s.listTotal,
            d.lines.reduce((n, l) => n + l.amount, 0),
          ),
        },
      );
    }
    case 'BenefitNoticePosted':
      return { ...s, stage: 'in-notice', noticeEndsAt: event.data.endsAt };
    case 'BenefitLineRemoved': {
      const l = s.lines.get(event.data.householdId);
      if (!l || l.status !== 'listed') return { ...s, objections: objected(event.data.objectionId) };
      return withLines([{ ...l, status: 'removed', note: event.data.reason }], { listTotal: plus(s.listTotal, -l.amount), objections: objected(event.data.objectionId) });
    }
    case 'BenefitLineAdded':
      return withLines([{ ...event.data.line, status: 'listed', note: event.data.reason }], {
        listTotal: plus(s.listTotal, event.data.line.amount),
        objections: objected(event.data.objectionId),
      });
    case 'BenefitObjectionDismissed':
      return { ...s, objections: objected(event.data.objectionId) };
    case 'BenefitRoundReviewed':
      return { ...s, stage: event.data.approved ? 'township-reviewed' : 'rejected', reviewer: event.data.by };
    case 'BenefitRoundApproved':
      return { ...s, stage: event.data.approved ? 'approved' : 'rejected', approver: event.data.by };
    case 'BenefitDisbursementStarted':
      return { ...s, stage: 'disbursing', payer: event.data.by, fundId: event.data.fundId, allocationId: event.data.allocationId };
    case 'BenefitPaymentsRecorded': {
      const changed = event.data.payments.flatMap((p) => {
        const l = s.lines.get(p.householdId);
        return l && l.status === 'listed' ? [{ ...l, status: 'paid' as const, paymentId: p.paymentId, accountKey: p.accountKey }] : [];
      });
      return withLines(changed, {
        paid: plus(
          s.paid,
          changed.reduce((n, l) => n + l.amount, 0),
        ),
      });
    }
    case 'BenefitPaymentsReturned': {
      const byId = new Map(event.data.returned.map((r) => [r.householdId, r]));
      const changed = [...byId.keys()].flatMap((id) => {
        const l = s.lines.get(id);
        return l && l.status === 'listed'
          ? [{ ...l, status: 'returned' as const, paymentId: byId.get(id)!.paymentId, note: `${byId.get(id)!.code}: ${byId.get(id)!.reason}` }]
          : [];
      });
      return withLines(changed, {
        returned: plus(
          s.returned,
          changed.reduce((n, l) => n + l.amount, 0),
        ),
      });
    }
    case 'BenefitRoundClosed':
      return { ...s, stage: 'closed' };
    case 'BenefitReceiptsPublished':
      return s;
    default: {
      const _never: never = event;
      return _never;
    }
  }
};

export const evolveAll = (events: readonly BenefitRoundEvent[], from: BenefitRoundState): BenefitRoundState => events.reduce(evolve, from);
