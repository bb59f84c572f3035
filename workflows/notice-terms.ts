import { patched, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { NoticePolicyActivities } from '../activities/notice-policies';
import type { NoticeKind, NoticeTerms } from '../domain/policy/notices';
import type { CountyId } from '../domain/reference/counties';
import { readRetry } from './retry-policies';
import { now } from './clock';

// Which notice terms decide: read from the domain by the worker, which alone knows whether its namespace is configured for simulation.
const { noticeTerms } = proxyLocalActivities<NoticePolicyActivities>({ startToCloseTimeout: '10 seconds', retry: readRetry });

/**
 * The notice terms this run decides by (how long its 公示 runs, the shortest its decider accepts):
 * the terms in force for its county and start day, from the domain's tables by a local activity;
 * its starter's only in a namespace configured for tests or simulation. Runs recorded before this
 * decided by their input's. The exit, return-review and benefit processes take theirs here.
 */
export const takeNoticeTerms = async (kind: NoticeKind, countyId: CountyId, requested: NoticeTerms): Promise<NoticeTerms> => {
  // The actor-assertion patch is marked here, before the local activity, in every run that takes its
  // terms from the tables: marked first after it, the marker could land in a later workflow task than
  // the activity's result (a status query arriving meanwhile), and such histories did not replay.
  if (patched('policies-from-tables')) patched('actor-assertion');
  else return requested;
  return noticeTerms({ kind, workflowId: workflowInfo().workflowId, countyId, day: now().slice(0, 10), requested });
};
