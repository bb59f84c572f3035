import type { PROJECT_EVENTS } from '../project/events';
import type { FUND_EVENTS } from '../fund/events';
import type { HOUSEHOLD_EVENTS } from '../household/events';
import type { VILLAGE_EVENTS } from '../village/events';
import type { COUNTY_EVENTS } from '../county/events';
import type { REFUSAL_EVENTS } from '../refusal/events';
import type { PRIVACY_EVENTS } from '../privacy/events';
import type { BENEFIT_ROUND_EVENTS } from '../benefit/events';
import type { BENEFIT_FILE_EVENTS } from '../benefit/file-events';
import type { INTEGRATION_EVENTS } from '../integration/events';
import type { IDENTIFICATION_EVENTS } from '../identification/events';
import type { COMPLAINT_EVENTS } from '../complaint/events';
import type { NameTable } from './name';

type TypeOf<L extends readonly { readonly type: string }[]> = L[number]['type'];
export type EventType =
  | TypeOf<typeof PROJECT_EVENTS>
  | TypeOf<typeof FUND_EVENTS>
  | TypeOf<typeof HOUSEHOLD_EVENTS>
  | TypeOf<typeof VILLAGE_EVENTS>
  | TypeOf<typeof COUNTY_EVENTS>
  | TypeOf<typeof REFUSAL_EVENTS>
  | TypeOf<typeof PRIVACY_EVENTS>
  | TypeOf<typeof BENEFIT_ROUND_EVENTS>
  | TypeOf<typeof BENEFIT_FILE_EVENTS>
  | TypeOf<typeof INTEGRATION_EVENTS>
  | TypeOf<typeof IDENTIFICATION_EVENTS>
  | TypeOf<typeof COMPLAINT_EVENTS>;

/** Every stored event as the trail's 事项 column names it. */
export const EVENT_NAMES: NameTable<EventType> = {
  ProjectProposed: { zh: '项目申报', en: 'project proposed' },
  ProjectPerformanceTargetSet: { zh: '设定绩效目标', en: 'performance target set' },
  ProjectTownshipApproved: { zh: '乡镇审核通过', en: 'approved at the township' },
  ProjectRejected: { zh: '项目驳回', en: 'project rejected' },
  ProjectCountyApproved: { zh: '县级审批通过', en: 'approved at the county' },
  ProjectNoticePublished: { zh: '项目公示', en: 'notice published' },
  ProjectObjectionRaised: { zh: '公示异议', en: 'objection raised' },
  ProjectEnteredLibrary: { zh: '纳入项目库', en: 'entered the library' },
  ProjectFundingRecorded: { zh: '项目资金安排', en: 'funding recorded' },
  ProjectFullyFunded: { zh: '项目资金落实', en: 'fully funded' },
  ProjectConstructionStarted: { zh: '项目开工', en: 'construction started' },
  ProjectMilestoneReported: { zh: '进度报告', en: 'milestone reported' },
  ProjectPaymentRecorded: { zh: '项目付款', en: 'payment recorded' },
  ProjectCompleted: { zh: '项目完工', en: 'completed' },
  ProjectAccepted: { zh: '项目验收', en: 'accepted' },
  ProjectSettled: { zh: '项目结算', en: 'settled' },
  ProjectAuditFindingRecorded: { zh: '审计发现问题', en: 'audit finding recorded' },
  ProjectFindingRemediated: { zh: '问题整改', en: 'finding remediated' },
  ProjectRemediationVerified: { zh: '整改核实', en: 'remediation verified' },
  ProjectAssetHandedOver: { zh: '资产移交', en: 'asset handed over' },
  ProjectCancelled: { zh: '项目撤销', en: 'project cancelled' },
  ProjectEscalated: { zh: '逾期督办', en: 'escalated' },
  FundAppropriated: { zh: '资金下达', en: 'appropriated' },
  FundAllocated: { zh: '资金安排', en: 'allocated' },
  FundAllocationReleased: { zh: '安排资金收回', en: 'allocation released' },
  FundDisbursed: { zh: '资金拨付', en: 'disbursed' },
  FundReturned: { zh: '资金收回', en: 'returned' },
  FundFrozen: { zh: '资金冻结', en: 'frozen' },
  FundUnfrozen: { zh: '资金解冻', en: 'unfrozen' },
  HouseholdRegistered: { zh: '建档立卡', en: 'household registered' },
  HouseholdMembersUpdated: { zh: '家庭成员变更', en: 'members updated' },
  HouseholdIncomeRecorded: { zh: '收入登记', en: 'income recorded' },
  HouseholdGuaranteesUpdated: { zh: '“两不愁三保障”登记', en: 'guarantees updated' },
  HouseholdAssessedForExit: { zh: '退出评估', en: 'assessed for exit' },
  HouseholdVillageAppraised: { zh: '村民主评议', en: 'village appraisal' },
  HouseholdWorkTeamChecked: { zh: '工作队核实', en: 'work-team check' },
  HouseholdConsentRecorded: { zh: '贫困户认可', en: 'consent recorded' },
  HouseholdConsentWithdrawn: { zh: '撤回认可', en: 'consent withdrawn' },
  HouseholdExitNoticePosted: { zh: '退出公示', en: 'exit notice posted' },
  HouseholdExitObjectionRaised: { zh: '退出公示异议', en: 'exit objection raised' },
  HouseholdExitObjectionResolved: { zh: '退出异议处理', en: 'exit objection resolved' },
  HouseholdTownshipReviewed: { zh: '乡镇审核', en: 'township review' },
  HouseholdRemovedFromExitRound: { zh: '移出本年退出', en: "removed from the year's round" },
  HouseholdExitAnnounced: { zh: '公告脱贫', en: 'exit announced' },
  HouseholdFlaggedForReturnRisk: { zh: '返贫风险预警', en: 'flagged for return risk' },
  HouseholdReturnReviewVisited: { zh: '返贫核查入户', en: 'return review visit' },
  HouseholdReturnNoticePosted: { zh: '返贫认定公示', en: 'return notice posted' },
  HouseholdReturnedToPoverty: { zh: '认定返贫', en: 'returned to poverty' },
  HouseholdReturnRiskCleared: { zh: '返贫风险消除', en: 'return risk cleared' },
  HouseholdRemovalProposed: { zh: '提出清退', en: 'removal proposed' },
  HouseholdRemovalNoticePosted: { zh: '清退公示', en: 'removal notice posted' },
  HouseholdRemovalDeclined: { zh: '不予清退', en: 'removal declined' },
  HouseholdRemovedFromRegister: { zh: '清退（退出建档立卡）', en: 'removed from the register' },
  HouseholdMemberRemoved: { zh: '家庭成员减少', en: 'member removed' },
  PoorVillageRegistered: { zh: '贫困村登记', en: 'poor village registered' },
  VillageIncidenceRecorded: { zh: '贫困发生率登记', en: 'incidence recorded' },
  VillageChecklistItemChecked: { zh: '退出指标核查', en: 'checklist item checked' },
  VillageExitApplied: { zh: '贫困村申请退出', en: 'village exit applied' },
  VillageExitReviewed: { zh: '贫困村退出审核', en: 'village exit reviewed' },
  VillageExitNoticePosted: { zh: '贫困村退出公示', en: 'village exit notice posted' },
  VillageExitObjectionRaised: { zh: '贫困村退出异议', en: 'village exit objection raised' },
  VillageExitObjectionResolved: { zh: '贫困村退出异议处理', en: 'village exit objection resolved' },
  VillageExited: { zh: '贫困村退出', en: 'village exited' },
  CountyExitApplied: { zh: '贫困县申请摘帽', en: 'county exit applied' },
  CountyCityPreChecked: { zh: '市级初审', en: 'city pre-check' },
  CountyProvincialCheckRecorded: { zh: '省级核查', en: 'provincial check' },
  CountyExitNoticePosted: { zh: '摘帽公示', en: 'county exit notice posted' },
  CountyExitObjectionRaised: { zh: '摘帽公示异议', en: 'county exit objection raised' },
  CountyExitObjectionResolved: { zh: '摘帽异议处理', en: 'county exit objection resolved' },
  CountyExited: { zh: '贫困县摘帽', en: 'county exited' },
  CommandRefused: { zh: '操作被拒绝', en: 'command refused' },
  BenefitRoundDrafted: { zh: '到户补助批次拟定', en: 'benefit round drafted' },
  BenefitLinesListed: { zh: '到户补助名单', en: 'benefit lines listed' },
  BenefitNoticePosted: { zh: '到户补助公示', en: 'benefit notice posted' },
  BenefitLineRemoved: { zh: '移出补助名单', en: 'benefit line removed' },
  BenefitLineAdded: { zh: '补入补助名单', en: 'benefit line added' },
  BenefitObjectionDismissed: { zh: '补助异议不成立', en: 'benefit objection dismissed' },
  BenefitRoundReviewed: { zh: '乡镇审核补助名单', en: 'benefit round reviewed' },
  BenefitRoundApproved: { zh: '县级审批补助名单', en: 'benefit round approved' },
  BenefitDisbursementStarted: { zh: '开始发放到户补助', en: 'benefit disbursement started' },
  BenefitPaymentsRecorded: { zh: '到户补助发放', en: 'benefit payments recorded' },
  BenefitPaymentsReturned: { zh: '到户补助退回', en: 'benefit payments returned' },
  BenefitRoundClosed: { zh: '到户补助批次办结', en: 'benefit round closed' },
  BenefitReceiptsPublished: { zh: '发放名单默克尔根公示', en: 'payment list Merkle root published' },
  MemberAttributesRecorded: { zh: '家庭成员信息登记', en: 'member attributes recorded' },
  HousingGraded: { zh: '住房安全等级鉴定', en: 'housing graded' },
  HousingRenovationAccepted: { zh: '危房改造验收', en: 'housing renovation accepted' },
  RelocationPlanJoined: { zh: '纳入易地搬迁计划', en: 'relocation plan joined' },
  MicrocreditLoanRecorded: { zh: '扶贫小额信贷登记', en: 'microcredit loan recorded' },
  HouseholdAccountSet: { zh: '一卡通账户登记', en: 'household account set' },
  IdNumbersRead: { zh: '查看身份证号码', en: 'ID numbers read' },
  IdNumbersErased: { zh: '删除身份证号码', en: 'ID numbers erased' },
  IdentificationRoundOpened: { zh: '启动年度识别', en: 'identification round opened' },
  IdentificationApplicationRecorded: { zh: '农户申请', en: 'application recorded' },
  IdentificationAppraised: { zh: '识别民主评议', en: 'applications appraised' },
  IdentificationVillageNoticePosted: { zh: '识别村公示', en: 'identification village notice posted' },
  IdentificationObjectionRaised: { zh: '识别公示异议', en: 'identification objection raised' },
  IdentificationTownshipReviewed: { zh: '识别乡镇审核', en: 'identification township review' },
  IdentificationTownshipNoticePosted: { zh: '识别乡镇公示', en: 'identification township notice posted' },
  IdentificationAnnounced: { zh: '识别县级审定公告', en: 'identification announced' },
  IntegrationPlanAdopted: { zh: '统筹整合方案登记', en: 'agricultural-fund integration plan adopted' },
  ComplaintFiled: { zh: '受理投诉举报', en: 'complaint filed' },
  ComplaintEscalated: { zh: '投诉逾期督办', en: 'complaint escalated (overdue)' },
  ComplaintAnswered: { zh: '投诉答复办结', en: 'complaint answered' },
};
