import { accept, refuse, type Decision } from '../shared/result';
import { notBefore } from '../shared/ids';
import type { Fen } from '../shared/money';
import type { CancelProject, EscalateProject, HandOverAsset, RecordAuditFinding, RemediateFinding, VerifyRemediation } from './commands';
import { projectError as err } from './errors';
import type { ProjectEvent } from './events';
import { ESCALATION_LEVELS } from './event-parts';
import { openFindings, type ExistingProject } from './state';
import { stamp } from './decide-approval';

type D = Decision<ProjectEvent>;

export const recordFinding = (c: RecordAuditFinding, s: ExistingProject): D => {
  const d = c.data;
  if (s.findings[d.findingId] !== undefined) return refuse(err('PROJECT_FINDING_EXISTS'));
  return accept({
    type: 'ProjectAuditFindingRecorded',
    data: { ...stamp(c), findingId: d.findingId, summary: d.summary, ...(d.amount === undefined ? {} : { amount: d.amount }) },
  });
};

export const remediate = (c: RemediateFinding, s: ExistingProject): D => {
  const f = s.findings[c.data.findingId];
  if (f === undefined) return refuse(err('PROJECT_FINDING_NOT_FOUND'));
  if (f !== 'open') return refuse(err('PROJECT_FINDING_NOT_OPEN'));
  return accept({ type: 'ProjectFindingRemediated', data: { ...stamp(c), findingId: c.data.findingId, remediation: c.data.remediation } });
};

/** Only the inspector or auditor closes a finding: the county cannot mark its own homework. */
export const verify = (c: VerifyRemediation, s: ExistingProject): D => {
  const f = s.findings[c.data.findingId];
  if (f === undefined) return refuse(err('PROJECT_FINDING_NOT_FOUND'));
  if (f !== 'remediated') return refuse(err('PROJECT_FINDING_NOT_REMEDIATED'));
  return accept({ type: 'ProjectRemediationVerified', data: { ...stamp(c), findingId: c.data.findingId } });
};

/** The asset is handed over once everything is paid, the warranty is over and no finding is open. */
export const handOver = (c: HandOverAsset, s: ExistingProject): D => {
  const d = c.data;
  if (openFindings(s) > 0) return refuse(err('PROJECT_OPEN_FINDINGS', { open: openFindings(s) }));
  if (s.warrantyEndsAt === undefined || !notBefore(c.meta.now, s.warrantyEndsAt)) return refuse(err('PROJECT_WARRANTY_RUNNING', { warrantyEndsAt: s.warrantyEndsAt }));
  if (s.paid !== s.settlementAmount) return refuse(err('PROJECT_NOT_FULLY_PAID', { paidFen: s.paid, settlementFen: s.settlementAmount }));
  if (d.resultPublishedOn > c.meta.now.slice(0, 10)) return refuse(err('PROJECT_RESULT_NOT_PUBLISHED'));
  return accept({
    type: 'ProjectAssetHandedOver',
    data: { ...stamp(c), assetKind: d.assetKind, recipient: d.recipient, value: s.settlementAmount ?? s.paid, resultPublishedOn: d.resultPublishedOn },
  });
};

/** What each fund must take back: every allocation's unpaid part. */
export const releasesOf = (s: ExistingProject) =>
  Object.entries(s.allocations)
    .map(([allocationId, a]) => ({ fundId: a.fundId, allocationId, amount: (a.amount - a.paid) as Fen }))
    .filter((r) => r.amount > 0);

export const cancel = (c: CancelProject, s: ExistingProject): D => accept({ type: 'ProjectCancelled', data: { ...stamp(c), reason: c.data.reason, releases: releasesOf(s) } });

/** A missed deadline climbs one level at a time: township, county, city. */
export const escalate = (c: EscalateProject, s: ExistingProject): D => {
  const next = s.escalation?.stage === s.status ? ESCALATION_LEVELS.indexOf(s.escalation.level) + 1 : 0;
  if (ESCALATION_LEVELS.indexOf(c.data.level) !== next) return refuse(err('PROJECT_ESCALATION_OUT_OF_ORDER', { expected: ESCALATION_LEVELS[next] ?? 'none' }));
  return accept({ type: 'ProjectEscalated', data: { ...stamp(c), stage: s.status, level: c.data.level, deadlineKind: c.data.deadlineKind } });
};
