import type { PolicyTable } from './table';

/**
 * Project public notice (公告公示): a project enters the county library only after its notice has
 * run the full period without an objection standing. The duration is in seconds so a test policy
 * can be short; the plan's own table says 10 days.
 */
export interface NoticePolicy extends PolicyTable {
  readonly minNoticeSeconds: number;
}

export const PROJECT_NOTICE_POLICY: NoticePolicy = {
  id: 'project-notice',
  version: 1,
  source: '扶贫项目公告公示制度：项目入库前公示不少于10天 (issue 4; national project-library rules, not in 洛政办〔2017〕67号)',
  effectiveFrom: '2016-01-01',
  minNoticeSeconds: 10 * 24 * 60 * 60,
};
