import type { PolicyTable } from './table';

/**
 * Project public notice (公告公示): a project enters the county library only after its notice has
 * run the full period without an objection standing. The duration is in seconds so a test policy
 * can be short. The 10 days are not the plan's (洛政办〔2017〕67号 sets no notice period): they come from
 * 国开办发〔2017〕35号 (原则上公告公示时间不少于10天).
 */
export interface NoticePolicy extends PolicyTable {
  readonly minNoticeSeconds: number;
}

export const PROJECT_NOTICE_POLICY: NoticePolicy = {
  id: 'project-notice',
  version: 1,
  source: '国务院扶贫办关于完善扶贫资金项目公告公示制度的指导意见 (国开办发〔2017〕35号): 原则上公告公示时间不少于10天; not in 洛政办〔2017〕67号',
  effectiveFrom: '2016-01-01',
  verified: false,
  minNoticeSeconds: 10 * 24 * 60 * 60,
};
