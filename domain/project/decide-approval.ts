import { accept, refuse, type Decision } from '../shared/result';
import { addSeconds, notBefore } from '../shared/ids';
import { basesOf, checkBases } from './subsidy';
import { policyVersion } from '../policy/table';
import type { ApproveAtCounty, ApproveAtTownship, EnterLibrary, ProposeProject, PublishNotice, RaiseObjection, RejectProject, SetPerformanceTarget } from './commands';
import { projectError as err } from './errors';
import type { PerformanceTarget, ProjectEvent, VillageRecord } from './events';
import type { ProjectPolicies } from './policies';
import { countyOfPlace, levelOf, type Appraisal } from './place';
import { planSubItemOf } from '../reference/plan-items';
import { zhOf } from '../names/name';
import { PROJECT_LEVEL_NAMES } from '../names/project';
import type { ExistingProject } from './state';

type D = Decision<ProjectEvent>;
export const stamp = (c: { data: { projectId: string }; meta: { actor: { userId: string }; now: string } }) => ({
  projectId: c.data.projectId,
  by: c.meta.actor.userId,
  at: c.meta.now,
});

const VILLAGE_STEPS: readonly (keyof VillageRecord)[] = [
  'partyBranchProposedOn',
  'twoCommitteesDeliberatedOn',
  'partyMembersReviewedOn',
  'villagersResolvedOn',
  'resolutionPublishedOn',
];

/** 四议两公开 happens in its order, and before the proposal reaches the township. */
const checkVillageRecord = (r: VillageRecord, now: string) => {
  const days = VILLAGE_STEPS.map((k) => r[k]);
  for (let i = 1; i < days.length; i++) if ((days[i] ?? '') < (days[i - 1] ?? '')) return err('PROJECT_VILLAGE_RECORD_OUT_OF_ORDER', { step: VILLAGE_STEPS[i] });
  if ((days[days.length - 1] ?? '') > now.slice(0, 10)) return err('PROJECT_VILLAGE_RECORD_IN_FUTURE');
  return undefined;
};

/**
 * Who decided that the project should be done, by its level: a village's project by its 四议两公开,
 * a county's or a township's on its industry department's appraisal (行业部门论证), never both.
 */
const checkPlace = (d: ProposeProject['data'], now: string) => {
  const level = levelOf(d.place);
  if (d.place) {
    const county = countyOfPlace(d.place);
    if (county !== undefined && county !== d.countyId) return err('PROJECT_PLACE_OUTSIDE_COUNTY', { place: d.place, countyId: d.countyId });
  }
  if (level === 'village') {
    if (!d.villageRecord) return err('PROJECT_VILLAGE_RECORD_REQUIRED');
    return checkVillageRecord(d.villageRecord, now);
  }
  const levelZh = zhOf(PROJECT_LEVEL_NAMES, level);
  if (d.villageRecord) return err('PROJECT_VILLAGE_RECORD_NOT_FOR_LEVEL', { level, levelZh });
  if (!d.appraisal) return err('PROJECT_APPRAISAL_REQUIRED', { level, levelZh });
  return checkAppraisal(d.appraisal, now);
};

const checkAppraisal = (a: Appraisal, now: string) => (a.appraisedOn > now.slice(0, 10) ? err('PROJECT_APPRAISAL_IN_FUTURE', { appraisedOn: a.appraisedOn }) : undefined);

const checkTarget = (t: PerformanceTarget) => (t.beneficiaryPoorPeople < 1 ? err('PROJECT_NO_BENEFICIARIES') : undefined);

export const propose = (c: ProposeProject, p: ProjectPolicies): D => {
  const d = c.data;
  if (d.budget <= 0) return refuse(err('PROJECT_AMOUNT_NOT_POSITIVE'));
  const bad = checkPlace(d, c.meta.now) ?? (d.performanceTarget ? checkTarget(d.performanceTarget) : undefined);
  if (bad) return refuse(bad);
  if (d.planItem !== undefined && planSubItemOf(d.planItem)?.category !== d.category)
    return refuse(err('PROJECT_PLAN_ITEM_OTHER_CATEGORY', { planItem: d.planItem, category: d.category }));
  const badBases = checkBases(d.category, d.budget, d, p.subsidyBasesRequired ?? true);
  if (badBases) return refuse(badBases);
  const bases = basesOf(d);
  return accept({
    type: 'ProjectProposed',
    data: {
      projectId: d.projectId,
      countyId: d.countyId,
      category: d.category,
      name: d.name,
      budget: d.budget,
      fiscalYear: d.fiscalYear,
      proposedBy: c.meta.actor.userId,
      proposedAt: c.meta.now,
      ...(d.place ? { place: d.place } : {}),
      ...(d.villageRecord ? { villageRecord: d.villageRecord } : {}),
      ...(d.appraisal ? { appraisal: d.appraisal } : {}),
      ...(d.performanceTarget ? { performanceTarget: d.performanceTarget } : {}),
      ...(bases.length > 0 ? { subsidyBases: [...bases] } : {}),
      ...(d.planItem ? { planItem: d.planItem } : {}),
    },
  });
};

export const setTarget = (c: SetPerformanceTarget): D => {
  const bad = checkTarget(c.data.target);
  return bad ? refuse(bad) : accept({ type: 'ProjectPerformanceTargetSet', data: { ...stamp(c), target: c.data.target } });
};

export const approveAtTownship = (c: ApproveAtTownship): D => accept({ type: 'ProjectTownshipApproved', data: { ...stamp(c), opinion: c.data.opinion } });

export const reject = (c: RejectProject, s: ExistingProject): D =>
  accept({ type: 'ProjectRejected', data: { ...stamp(c), stage: s.status === 'proposed' ? 'township' : 'county', reason: c.data.reason } });

export const approveAtCounty = (c: ApproveAtCounty): D => accept({ type: 'ProjectCountyApproved', data: { ...stamp(c), documentNumber: c.data.documentNumber } });

export const publishNotice = (c: PublishNotice, p: ProjectPolicies): D =>
  accept({
    type: 'ProjectNoticePublished',
    data: { ...stamp(c), endsAt: addSeconds(c.meta.now, p.notice.minNoticeSeconds), policy: policyVersion(p.notice) },
  });

export const raiseObjection = (c: RaiseObjection): D => accept({ type: 'ProjectObjectionRaised', data: { ...stamp(c), objectionId: c.data.objectionId, summary: c.data.summary } });

export const enterLibrary = (c: EnterLibrary, s: ExistingProject, p: ProjectPolicies): D => {
  if (s.performanceTarget === undefined) return refuse(err('PROJECT_NO_PERFORMANCE_TARGET'));
  if (s.noticeEndsAt === undefined || !notBefore(c.meta.now, s.noticeEndsAt)) return refuse(err('PROJECT_NOTICE_RUNNING', { endsAt: s.noticeEndsAt }));
  return accept({ type: 'ProjectEnteredLibrary', data: { ...stamp(c), policy: policyVersion(p.notice) } });
};
