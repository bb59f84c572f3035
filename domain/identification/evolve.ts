import type { IdentificationEvent } from './events';
import type { Applicant, ApplicantStatus, IdentificationState, OpenRound, OutReason } from './state';

const move = (s: OpenRound, ids: readonly string[], status: ApplicantStatus, reason?: OutReason): OpenRound['applicants'] => {
  const next = { ...s.applicants };
  for (const id of ids) {
    const a = next[id];
    if (a) next[id] = { ...a, status, ...(reason ? { reason } : {}) } satisfies Applicant;
  }
  return next;
};

export const evolve = (state: IdentificationState, event: IdentificationEvent): IdentificationState => {
  if (event.type === 'IdentificationRoundOpened') {
    const d = event.data;
    return { phase: 'applying', villageId: d.villageId, countyId: d.countyId, year: d.year, applicants: {} };
  }
  if (state.phase === 'unopened') return state;
  const s = state;
  switch (event.type) {
    case 'IdentificationApplicationRecorded': {
      const d = event.data;
      return { ...s, applicants: { ...s.applicants, [d.householdId]: { householdId: d.householdId, status: 'applied', recordedBy: d.by, file: d.file } } };
    }
    case 'IdentificationAppraised': {
      const agreed = { ...s, applicants: move(s, event.data.agreed, 'appraised') };
      return { ...agreed, applicants: move(agreed, event.data.rejected, 'out', 'appraisal-rejected'), appraisedBy: event.data.by };
    }
    case 'IdentificationVillageNoticePosted':
      return { ...s, phase: 'village-notice', villageNoticeEndsAt: event.data.endsAt, applicants: move(s, event.data.householdIds, 'village-notice') };
    case 'IdentificationObjectionRaised':
      return { ...s, applicants: move(s, [event.data.householdId], 'out', 'objection-raised') };
    case 'IdentificationTownshipReviewed': {
      const approved = { ...s, applicants: move(s, event.data.approved, 'township-approved') };
      return { ...approved, phase: 'township-reviewed', reviewedBy: event.data.by, applicants: move(approved, event.data.rejected, 'out', 'township-rejected') };
    }
    case 'IdentificationTownshipNoticePosted':
      return { ...s, phase: 'township-notice', townshipNoticeEndsAt: event.data.endsAt };
    case 'IdentificationAnnounced': {
      const approved = { ...s, applicants: move(s, event.data.approved, 'approved') };
      return { ...approved, phase: 'announced', applicants: move(approved, event.data.rejected, 'out', 'county-rejected') };
    }
    default: {
      const _never: never = event;
      return _never;
    }
  }
};
