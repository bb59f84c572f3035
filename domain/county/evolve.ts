import type { CountyEvent } from './events';
import type { CountyState } from './state';

export const evolve = (state: CountyState, event: CountyEvent): CountyState => {
  const countyId = event.data.countyId;
  switch (event.type) {
    case 'CountyExitApplied':
      return {
        status: 'applied',
        countyId,
        application: {
          year: event.data.year,
          poorCounty: event.data.poorCounty,
          ruralPopulation: event.data.ruralPopulation,
          sampleBasis: event.data.sampleBasis,
          policy: event.data.policy,
        },
        openObjectionId: null,
      };
    case 'CountyCityPreChecked':
      if (state.status !== 'applied') return state;
      return event.data.passed
        ? { ...state, status: 'city-checked' }
        : {
            status: 'blocked',
            countyId,
            openObjectionId: null,
            blockedBy: [{ code: 'COUNTY_CITY_PRECHECK_FAILED', zh: `市级初审未通过：${event.data.findings}`, en: `the city pre-check failed: ${event.data.findings}` }],
          };
    case 'CountyProvincialCheckRecorded':
      if (state.status !== 'city-checked') return state;
      return event.data.passed ? { ...state, status: 'provincially-checked' } : { status: 'blocked', countyId, openObjectionId: null, blockedBy: event.data.failures };
    case 'CountyExitNoticePosted':
      return state.status === 'provincially-checked' ? { ...state, status: 'in-notice', application: { ...state.application, noticeEndsAt: event.data.endsAt } } : state;
    case 'CountyExitObjectionRaised':
      // The notice is void; it must be posted again once the objection is dismissed.
      return state.status === 'in-notice' ? { ...state, status: 'provincially-checked', openObjectionId: event.data.objectionId } : state;
    case 'CountyExitObjectionResolved':
      if (state.status === 'not-applied' || state.status === 'blocked' || state.status === 'exited') return state;
      return event.data.outcome === 'dismissed'
        ? { ...state, openObjectionId: null }
        : {
            status: 'blocked',
            countyId,
            openObjectionId: null,
            blockedBy: [{ code: 'COUNTY_OBJECTION_UPHELD', zh: `异议成立：${event.data.note}`, en: `objection upheld: ${event.data.note}` }],
          };
    case 'CountyExited':
      return { status: 'exited', countyId, exitYear: event.data.year, openObjectionId: null };
    default: {
      const _never: never = event;
      return _never;
    }
  }
};
