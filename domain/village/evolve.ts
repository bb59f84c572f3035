import type { VillageEvent } from './events';
import type { VillageFile, VillageState } from './state';

export const evolve = (state: VillageState, event: VillageEvent): VillageState => {
  if (event.type === 'PoorVillageRegistered') {
    const d = event.data;
    return { status: 'poor', file: { villageId: d.villageId, countyId: d.countyId, registeredYear: d.registeredYear, incidence: {}, checklist: {}, openObjectionId: null } };
  }
  if (state.status === 'unregistered') return state;
  const file = state.file;
  const withFile = (f: VillageFile): VillageState => ({ ...state, file: f }) as VillageState;
  switch (event.type) {
    case 'VillageIncidenceRecorded':
      return withFile({ ...file, incidence: { ...file.incidence, [event.data.year]: { poorRemaining: event.data.poorRemaining, population: event.data.population } } });
    case 'VillageChecklistItemChecked':
      return withFile({
        ...file,
        checklist: { ...file.checklist, [event.data.item]: { result: event.data.result, checkedBy: event.data.by, checkedAt: event.data.at, evidenceRef: event.data.evidenceRef } },
      });
    case 'VillageExitApplied':
      return {
        status: 'applied',
        file,
        application: { year: event.data.year, count: { poorRemaining: event.data.poorRemaining, population: event.data.population }, policy: event.data.policy },
      };
    case 'VillageExitReviewed':
      if (state.status !== 'applied') return state;
      return event.data.approved ? { ...state, status: 'reviewed' } : { status: 'poor', file };
    case 'VillageExitNoticePosted':
      return state.status === 'reviewed' ? { ...state, status: 'in-notice', application: { ...state.application, noticeEndsAt: event.data.endsAt } } : state;
    case 'VillageExitObjectionRaised':
      // Like a household's: the objection takes the village out of this round.
      return { status: 'poor', file: { ...file, openObjectionId: event.data.objectionId } };
    case 'VillageExitObjectionResolved':
      return withFile({ ...file, openObjectionId: null });
    case 'VillageExited':
      return { status: 'exited', file, exitYear: event.data.year };
    default: {
      const _never: never = event;
      return _never;
    }
  }
};
