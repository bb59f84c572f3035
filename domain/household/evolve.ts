import type { HouseholdEvent } from './events';
import type { HouseholdFile, HouseholdState } from './state';

const fileOf = (s: HouseholdState): HouseholdFile | undefined => (s.status === 'unregistered' ? undefined : s.file);

/**
 * Applies one event. Events are facts already decided, so an event that does not fit the state
 * (which a correct decider never produces) leaves the state as it is rather than throwing.
 */
export const evolve = (state: HouseholdState, event: HouseholdEvent): HouseholdState => {
  if (event.type === 'HouseholdRegistered') {
    const d = event.data;
    return {
      status: 'poor',
      file: {
        householdId: d.householdId,
        countyId: d.countyId,
        villageId: d.villageId,
        registeredYear: d.registeredYear,
        memberCount: d.members.length,
        memberKeys: d.members.map((m) => m.memberKey),
        causes: d.causes,
        income: { year: d.registeredYear, perCapita: d.perCapitaIncome, stableIncomeSource: d.stableIncomeSource },
        guarantees: d.guarantees,
        guaranteesYear: d.registeredYear,
        openObjectionId: null,
        timesExited: 0,
        timesReturned: 0,
        pendingRemoval: null,
      },
    };
  }
  const file = fileOf(state);
  if (!file || state.status === 'unregistered' || state.status === 'removed') return state;
  const withFile = (f: HouseholdFile): HouseholdState => ({ ...state, file: f }) as HouseholdState;

  switch (event.type) {
    case 'HouseholdMembersUpdated':
      return withFile({ ...file, memberCount: event.data.members.length, memberKeys: event.data.members.map((m) => m.memberKey) });
    case 'HouseholdMemberRemoved': {
      // A removal recorded before events held keys names nobody by key: the count still drops.
      const i = event.data.memberKey === null ? -1 : file.memberKeys.indexOf(event.data.memberKey);
      const memberKeys = i >= 0 ? file.memberKeys.filter((_, j) => j !== i) : file.memberKeys.slice(0, -1);
      return withFile({ ...file, memberCount: memberKeys.length, memberKeys });
    }
    case 'HouseholdRemovalProposed':
      return withFile({ ...file, pendingRemoval: { year: event.data.year, reason: event.data.reason, proposedBy: event.data.by } });
    case 'HouseholdRemovalNoticePosted':
      return file.pendingRemoval ? withFile({ ...file, pendingRemoval: { ...file.pendingRemoval, noticeEndsAt: event.data.endsAt } }) : state;
    case 'HouseholdRemovalDeclined':
      return withFile({ ...file, pendingRemoval: null });
    case 'HouseholdRemovedFromRegister':
      return { status: 'removed', file: { ...file, pendingRemoval: null }, removal: { year: event.data.year, reason: event.data.reason, removedAt: event.data.at } };
    case 'HouseholdIncomeRecorded':
      return withFile({ ...file, income: { year: event.data.year, perCapita: event.data.perCapitaIncome, stableIncomeSource: event.data.stableIncomeSource } });
    case 'HouseholdGuaranteesUpdated':
      return withFile({ ...file, guarantees: event.data.guarantees, guaranteesYear: event.data.year });
    case 'HouseholdAssessedForExit':
      if (!event.data.eligible || state.status !== 'poor') return state;
      return { status: 'assessed', file, round: { year: event.data.year, policy: event.data.policy, explanation: event.data.explanation } };
    case 'HouseholdVillageAppraised':
      return state.status === 'assessed' && event.data.agreed ? { ...state, status: 'appraised', round: { ...state.round, appraisedBy: event.data.by } } : state;
    case 'HouseholdWorkTeamChecked':
      return state.status === 'appraised' && event.data.confirmed ? { ...state, status: 'checked', round: { ...state.round, checkedBy: event.data.by } } : state;
    case 'HouseholdConsentRecorded':
      return state.status === 'checked' && event.data.consents ? { ...state, status: 'consented' } : state;
    case 'HouseholdConsentWithdrawn':
      return state;
    case 'HouseholdExitNoticePosted':
      return state.status === 'consented' ? { ...state, status: 'in-notice', round: { ...state.round, noticeEndsAt: event.data.endsAt } } : state;
    case 'HouseholdExitObjectionRaised':
      return withFile({ ...file, openObjectionId: event.data.objectionId });
    case 'HouseholdExitObjectionResolved':
      return file.openObjectionId === event.data.objectionId ? withFile({ ...file, openObjectionId: null }) : state;
    case 'HouseholdTownshipReviewed':
      return state.status === 'in-notice' && event.data.approved ? { ...state, status: 'township-reviewed' } : state;
    case 'HouseholdRemovedFromExitRound':
      return { status: 'poor', file };
    case 'HouseholdExitAnnounced':
      return {
        status: 'exited',
        file: { ...file, timesExited: file.timesExited + 1 },
        exit: { year: event.data.year, policy: event.data.policy, explanation: event.data.explanation, announcedAt: event.data.at },
      };
    case 'HouseholdFlaggedForReturnRisk':
      return state.status === 'exited' ? { ...state, status: 'flagged' } : state;
    case 'HouseholdReturnReviewVisited':
      return state.status === 'flagged' ? { ...state, status: 'return-visited' } : state;
    case 'HouseholdReturnNoticePosted':
      return state.status === 'return-visited' ? { status: 'return-notice', file, exit: state.exit, returnNoticeEndsAt: event.data.endsAt } : state;
    case 'HouseholdReturnedToPoverty':
      return { status: 'poor', file: { ...file, timesReturned: file.timesReturned + 1 } };
    case 'HouseholdReturnRiskCleared':
      return 'exit' in state ? { status: 'exited', file, exit: state.exit } : state;
    default: {
      const _never: never = event;
      return _never;
    }
  }
};
