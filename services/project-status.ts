import type { ProjectStatusView } from '../workflows/project-lifecycle.messages';
import { formatYuan } from '../domain/shared/money';
import { ACTION_NAMES, DEADLINE_NAMES, ESCALATION_LEVEL_NAMES, ROLE_NAMES, STAGE_NAMES, zhList, zhOf } from '../domain/names';

/**
 * A project's live status as people read it: the stage and who acts next in Chinese beside their
 * ids, every amount in 元 beside its fen (`budget: "1,050,000.00元"`, `budgetFen`). What `GET
 * /projects/:id`, `tuopin project show` and `tuopin project status` answer.
 */
export interface ProjectStatusForPeople {
  readonly projectId: string;
  readonly stage: string;
  readonly stageZh: string;
  readonly streamVersion: number;
  readonly nextActor?: ProjectStatusView['nextActor'] & { readonly rolesZh: string; readonly actionZh: string; readonly deadlineZh: string };
  readonly deadlineAt?: string;
  readonly overdue?: ProjectStatusView['overdue'] & { readonly levelZh: string; readonly deadlineZh: string };
  readonly lastPosition?: number;
  readonly budget?: string;
  readonly budgetFen?: number;
  readonly funded?: string;
  readonly fundedFen?: number;
  readonly paid?: string;
  readonly paidFen?: number;
  readonly runs: number;
}

const money = (name: 'budget' | 'funded' | 'paid', fen: number | undefined) => (fen === undefined ? {} : { [name]: formatYuan(fen), [`${name}Fen`]: fen });

export const statusForPeople = (s: ProjectStatusView): ProjectStatusForPeople => ({
  projectId: s.projectId,
  stage: s.stage,
  stageZh: zhOf(STAGE_NAMES, s.stage),
  streamVersion: s.streamVersion,
  ...(s.nextActor
    ? {
        nextActor: {
          ...s.nextActor,
          rolesZh: zhList(ROLE_NAMES, s.nextActor.roles),
          actionZh: zhOf(ACTION_NAMES, s.nextActor.action),
          deadlineZh: zhOf(DEADLINE_NAMES, s.nextActor.deadlineKind),
        },
      }
    : {}),
  ...(s.deadlineAt ? { deadlineAt: s.deadlineAt } : {}),
  ...(s.overdue ? { overdue: { ...s.overdue, levelZh: zhOf(ESCALATION_LEVEL_NAMES, s.overdue.level), deadlineZh: zhOf(DEADLINE_NAMES, s.overdue.deadlineKind) } } : {}),
  ...(s.lastPosition === undefined ? {} : { lastPosition: s.lastPosition }),
  ...money('budget', s.budget),
  ...money('funded', s.funded),
  ...money('paid', s.paid),
  runs: s.runs,
});

/** The status as lines for a terminal: label (zh and en), value. */
export const statusLines = (s: ProjectStatusForPeople): (readonly [string, string])[] => {
  const lines: (readonly [string, string])[] = [
    ['项目 project', s.projectId],
    ['阶段 stage', `${s.stageZh}（${s.stage}）`],
  ];
  const n = s.nextActor;
  if (n) {
    lines.push(['待办 next', `${n.rolesZh}：${n.actionZh}（${n.roles.join(' or ')}: ${n.action}）${n.notBy ? `，不得由 ${n.notBy} 办理` : ''}`]);
    if (n.notBefore) lines.push(['最早 not before', n.notBefore]);
  } else lines.push(['待办 next', '无（已办结、驳回或撤销）']);
  if (s.deadlineAt) lines.push(['时限 deadline', `${s.deadlineAt}（${n?.deadlineZh ?? ''}）`]);
  if (s.overdue) lines.push(['逾期 overdue', `已督办至${s.overdue.levelZh}（${s.overdue.deadlineZh}）`]);
  if (s.budget) lines.push(['预算 budget', s.budget]);
  if (s.funded) lines.push(['已落实 funded', s.funded]);
  if (s.paid) lines.push(['已拨付 paid', s.paid]);
  lines.push(['存证位置 position', String(s.lastPosition ?? '—')]);
  return lines;
};
