import { z } from 'zod';
import { STEP_EXAMPLES } from '../../domain/project/step-schemas';
import { appropriateBodySchema, freezeBodySchema, integrationPlanBodySchema, returnBodySchema, unfreezeBodySchema } from './funds';
import { cancelBodySchema, fundingBodySchema, paymentBodySchema, proposeBodySchema, stepBodySchema } from './projects';
import {
  countyExitStepBodySchema,
  roundStepBodySchema,
  reviewStepBodySchema,
  startCountyExitBodySchema,
  startReviewBodySchema,
  startRoundBodySchema,
  startVillageExitBodySchema,
  villageExitStepBodySchema,
} from './exits';
import { householdBodySchema, importBodySchema, recordsBodySchema, registerVillageBodySchema } from './registry';
import {
  applicationBodySchema,
  identificationStepBodySchema,
  proposeRemovalBodySchema,
  removalDecisionBodySchema,
  removalNoticeBodySchema,
  removeMemberBodySchema,
  startIdentificationBodySchema,
} from './identification';
import { accountBodySchema, benefitFactBodySchema, benefitRoundStepBodySchema, startBenefitRoundBodySchema } from './benefits';
import { answerComplaintBodySchema, publicComplaintBodySchema, recordComplaintBodySchema } from './complaints';

/**
 * One worked example per request body, as an official writes it (amounts as 元/万元 text, the 嵩县
 * road of the README), registered on the body schema itself so the OpenAPI document shows it as the
 * body's `example`. A project step's example per step comes from domain/project/step-schemas.ts
 * STEP_EXAMPLES (what `tuopin project steps` prints). api/request-examples.unit.spec.ts checks that
 * every POST body has one and that the body's own schema takes it.
 */
const example = (schema: z.ZodType, value: unknown): void => {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), example: value });
};

const VILLAGE_RECORD = {
  partyBranchProposedOn: '2016-03-01',
  twoCommitteesDeliberatedOn: '2016-03-03',
  partyMembersReviewedOn: '2016-03-05',
  villagersResolvedOn: '2016-03-08',
  resolutionPublishedOn: '2016-03-10',
  minutesRef: 'song-chezhen-2016-007',
};
const ALL_MET = { food: true, clothing: true, compulsoryEducation: true, medicalInsurance: true, safeHousing: true };

example(proposeBodySchema, {
  countyId: 'song',
  category: 'transport',
  name: '车村镇通村道路硬化',
  budget: '105万',
  fiscalYear: 2016,
  villageRecord: VILLAGE_RECORD,
  performanceTarget: STEP_EXAMPLES.SetPerformanceTarget.target,
  subsidyBases: [{ standard: 'village-road-renovation', quantity: 3000 }],
  deadlines: { 'township-review': '10d', 'county-review': '15d' },
});
for (const variant of stepBodySchema.options) {
  const type = variant.shape.type.value;
  example(variant, { type, data: STEP_EXAMPLES[type] });
}
example(stepBodySchema, { type: 'ApproveAtTownship', data: STEP_EXAMPLES.ApproveAtTownship });
example(cancelBodySchema, STEP_EXAMPLES.CancelProject);
example(fundingBodySchema, STEP_EXAMPLES.RecordFunding);
example(paymentBodySchema, STEP_EXAMPLES.RecordPayment);

example(appropriateBodySchema, {
  fundId: 'fund-song-2016-central-01',
  source: 'central',
  fiscalYear: 2016,
  countyId: 'song',
  documentNumber: '豫财农〔2016〕1号',
  amount: '500万',
  earmark: ['transport', 'water'],
});
example(freezeBodySchema, { reason: '审计发现挪用嫌疑，暂停拨付' });
example(unfreezeBodySchema, { reason: '核查完毕，恢复拨付' });
example(returnBodySchema, { amount: '10万', reason: '年末结余收回' });
example(integrationPlanBodySchema, {
  countyId: 'song',
  year: 2017,
  documentNumber: '嵩政〔2017〕12号',
  adoptedOn: '2017-04-10',
  channels: [
    { channel: 'water-development', amount: '300万' },
    { channel: 'agricultural-production', amount: '200万' },
  ],
  total: '500万',
});

example(householdBodySchema, {
  householdId: 'hh-song-chezhen0001',
  countyId: 'song',
  villageId: 'vil-song-chezhen',
  registeredYear: 2015,
  members: [
    { idNumber: '410325196503121013', relation: 'householder' },
    { idNumber: '410325196808051028', relation: 'spouse' },
    { idNumber: '410325200501101034', relation: 'child' },
  ],
  causes: ['lack-of-skills'],
  perCapitaIncome: '2500',
  stableIncomeSource: false,
  guarantees: { ...ALL_MET, safeHousing: false },
});
example(importBodySchema, 'householdId,countyId,villageId,registeredYear,…\n');
example(recordsBodySchema, { records: [{ householdId: 'hh-song-chezhen0001', year: 2016, perCapitaIncome: '4200', stableIncomeSource: true, guarantees: ALL_MET }] });
example(registerVillageBodySchema, { villageId: 'vil-song-chezhen', registeredYear: 2015 });

example(startRoundBodySchema, { villageId: 'vil-song-chezhen', year: 2018, noticeDays: 7 });
example(roundStepBodySchema, { type: 'appraise', recordRef: 'song-chezhen-2018-pingyi', agreed: ['hh-song-chezhen0001'], rejected: [] });
example(startVillageExitBodySchema, {
  villageId: 'vil-song-chezhen',
  year: 2018,
  ruralPopulation: 1860,
  checklist: [{ item: 'broadband', result: 'met', evidenceRef: 'song-chezhen-2018-kd' }],
  noticeDays: 7,
});
example(villageExitStepBodySchema, { type: 'review', approved: true, note: '各项指标达标' });
example(startCountyExitBodySchema, { countyId: 'song', year: 2019, ruralPopulation: 430_000, nonRegisteredHouseholds: 90_000, noticeDays: 7 });
example(countyExitStepBodySchema, { type: 'cityPreCheck', passed: true, findings: '初审通过' });
example(startReviewBodySchema, { householdId: 'hh-song-chezhen0001', year: 2019, noticeDays: 5 });
example(reviewStepBodySchema, { type: 'visit', findings: '因病支出大，人均纯收入低于标准' });

example(benefitFactBodySchema, { type: 'housingGrade', grade: 'C', assessedOn: '2017-04-12', evidenceRef: 'song-wfjd-2017-031' });
example(accountBodySchema, { accountNumber: '6228480011223344556', bank: '嵩县农村信用合作联社', reason: '原账户挂失，换发一卡通' });
example(startBenefitRoundBodySchema, {
  programmeId: 'secondary-vocational-grant',
  townshipId: 'twp-song-chezhen',
  villageIds: ['vil-song-chezhen'],
  period: '2018-s1',
  noticeDays: 7,
});
example(benefitRoundStepBodySchema, { type: 'review', approved: true, note: '名单无异议' });

example(startIdentificationBodySchema, { villageId: 'vil-song-chezhen', year: 2017, noticeDays: 7 });
example(applicationBodySchema, {
  householdId: 'hh-song-chezhen0107',
  members: [
    { idNumber: '410325196503121013', relation: 'householder' },
    { idNumber: '410325196808051028', relation: 'spouse' },
  ],
  causes: ['illness'],
  perCapitaIncome: '2100',
  stableIncomeSource: false,
  guarantees: { ...ALL_MET, medicalInsurance: false },
  recordRef: 'song-chezhen-2017-sqs-0107',
});
example(identificationStepBodySchema, { type: 'appraise', recordRef: 'song-chezhen-2017-pingyi', agreed: ['hh-song-chezhen0107'], rejected: [] });
example(proposeRemovalBodySchema, { year: 2018, reason: 'deceased', recordRef: 'song-chezhen-2018-swzm-0031' });
example(removalNoticeBodySchema, { noticeDays: 7 });
example(removalDecisionBodySchema, { approved: true, note: '公示无异议，予以清退' });
example(removeMemberBodySchema, { year: 2018, idNumber: '410325200501101034', reason: 'married-out', recordRef: 'song-chezhen-2018-hyzm-0012' });

const PAYMENT_COMPLAINED_OF = {
  kind: 'payment',
  roundId: 'br-song-2018-secondary-vocational-grant-chezhen',
  paymentId: 'br-song-2018-secondary-vocational-grant-chezhen:hh-song-chezhen0107',
} as const;
example(recordComplaintBodySchema, {
  subject: PAYMENT_COMPLAINED_OF,
  channel: 'hotline-12317',
  category: 'not-paid',
  summary: '来电反映：孩子在县职专就读，2018年国家助学金公示名单上有，至今未到一卡通账户',
});
example(publicComplaintBodySchema, { subject: PAYMENT_COMPLAINED_OF, category: 'not-paid', summary: '助学金公示有名，一卡通未见到账' });
example(answerComplaintBodySchema, { finding: 'upheld', answer: '经查该户一卡通已销户，款项退回资金账户；已协助换卡，下一批次补发' });
