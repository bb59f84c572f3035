import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { PROJECT_STATUSES, type ProjectStatus } from '../../domain/project/state';
import { projectIdSchema } from '../../domain/project/ids';
import type { StepGuide } from '../../domain/project/step-guide';
import { STAGE_NAMES } from '../../domain/names/project';
import { projectNext, stageSteps, type ProjectNext, type StageSteps } from '../../services/project-next';
import { usageRefusal, parseFlags, takeSwitch, inputRefusal, ruleRefusal } from '../args';

type Out = (line?: string) => void;

/** A shell word: left bare when it needs no quoting, else in single quotes. */
const word = (s: string): string => (/^[\p{L}\p{N}._:/@%+=,-]+$/u.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The flag of each field of the money steps' own commands (cli/commands/project-money.ts). */
const FLAG_OF: Readonly<Record<string, string>> = { fundId: 'fund', allocationId: 'allocation', milestoneId: 'milestone-id', householdId: 'household' };

/** The command line that takes a step, with its example data. */
export const commandLine = (g: StepGuide, projectId: string): string => {
  const who = `--as <user> --role ${g.roles[0] ?? '<role>'}`;
  const flags = Object.entries(g.example).map(([k, v]) => `--${FLAG_OF[k] ?? k} ${word(String(v))}`);
  if (g.command === 'step') return `tuopin project step --project ${projectId} --step ${g.type} ${who} --data ${word(JSON.stringify(g.example))}`;
  return `tuopin project ${g.command} --project ${projectId} ${flags.join(' ')} ${who}`;
};

const stepLines = (g: StepGuide, i: number, projectId: string): string[] => {
  const notBy =
    g.notBy.length === 0
      ? ''
      : `；${g.notBy.map((k) => (k === 'proposer' ? '申报人' : '审批人')).join('、')}${g.notByUsers ? `（${g.notByUsers.join('、')}）` : ''}除外 (not the ${g.notBy.join(' or ')})`;
  const lines = [`${i + 1}. ${g.name.zh} ${g.type} — ${g.rolesZh}（${g.roles.join(', ')}）${notBy}`];
  if (g.when) lines.push(`   条件 when: ${g.when.zh} (${g.when.en})`);
  if (g.fields.length === 0) lines.push('   数据 data: 无 (none)');
  else {
    lines.push('   数据 data:');
    const width = Math.max(...g.fields.map((f) => f.name.length));
    for (const f of g.fields) lines.push(`     ${f.name.padEnd(width)}  ${f.zh}${f.required ? '' : '（可选 optional）'}：${f.format.zh}`);
  }
  lines.push(`   ${commandLine(g, projectId)}`);
  return lines;
};

export const projectNextLines = (n: ProjectNext): string[] => {
  const lines = [`${n.countyZh} ${n.name}（${n.projectId}）`, `阶段 stage: ${n.stageZh}（${n.stage}）`];
  const a = n.nextActor;
  if (a) {
    lines.push(
      `待办 next: ${a.rolesZh}：${a.actionZh}（${a.roles.join(' or ')}: ${a.action}）${a.notBy ? `，不得由 ${a.notBy} 办理` : ''}；时限 ${a.deadlineZh}（${a.deadlineKind}）`,
    );
    if (a.notBefore) lines.push(`最早 not before: ${a.notBefore}`);
  } else lines.push('待办 next: 无（已办结、驳回或撤销）');
  for (const x of n.allocations) lines.push(`资金安排 allocation: ${x.allocationId}（${x.fundId}），未拨付 ${x.unpaid}`);
  lines.push('', n.steps.length === 0 ? '此阶段无可办理的步骤 (no step is open)' : '可办理的步骤 steps open now:');
  n.steps.forEach((g, i) => lines.push(...stepLines(g, i, n.projectId)));
  return lines;
};

export const stageStepsLines = (s: StageSteps): string[] => [
  `== ${s.stageZh}（${s.stage}）==`,
  ...(s.steps.length === 0 ? ['此阶段无可办理的步骤 (no step is open)'] : s.steps.flatMap((g, i) => stepLines(g, i, '<project id>'))),
];

const stageFlag = z.object({
  stage: z.enum(PROJECT_STATUSES, { error: `must be one of: ${PROJECT_STATUSES.map((s) => `${s} (${STAGE_NAMES[s].zh})`).join(', ')}` }).optional(),
});

/**
 * `tuopin project steps <project id> [--json]`: what the project waits for and each step open on it
 * now (GET /projects/:id/next). `tuopin project steps [--stage <stage>] [--json]`: the same for a
 * stage, or every stage, before any project exists (GET /project-steps).
 */
export const runProjectSteps = async (argv: string[], db: () => Kysely<Database>, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  const [first, ...more] = rest;
  if (first !== undefined && !first.startsWith('--')) {
    if (more.length > 0) throw usageRefusal('tuopin project steps');
    const id = projectIdSchema.safeParse(first);
    if (!id.success) throw inputRefusal(id.error, '<project id>');
    const next = await projectNext(db(), id.data);
    if (!next) throw ruleRefusal({ code: 'NOT_FOUND', en: `no project ${id.data}`, zh: `项目 ${id.data} 不存在` });
    if (json) out(JSON.stringify(next, null, 2));
    else projectNextLines(next).forEach((l) => out(l));
    return;
  }
  const { stage } = parseFlags(rest, stageFlag);
  const stages = (stage ? [stage] : PROJECT_STATUSES).map((s: ProjectStatus) => stageSteps(s));
  if (json) out(JSON.stringify({ stages }, null, 2));
  else stages.forEach((s, i) => [...(i > 0 ? [''] : []), ...stageStepsLines(s)].forEach((l) => out(l)));
};
