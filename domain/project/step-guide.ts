import { z } from 'zod';
import { authorize } from '../access/authorize';
import type { Action } from '../access/actions';
import { ROLES, type Actor, type Role } from '../shared/actor';
import { MONEY_FORMAT } from '../shared/money';
import { FIELD_LABELS } from '../names/fields';
import { ACTION_NAMES } from '../names/actions';
import { PROJECT_STEP_NAMES, STAGE_NAMES } from '../names/project';
import { ROLE_NAMES } from '../names/roles';
import { zhList, type Name } from '../names/name';
import { ruleFor } from './decide';
import { OFFERABLE, STEP_NEEDS, offeredSteps, type OfferableStep } from './offered-steps';
import { GUIDED_INPUT_SCHEMAS, STEP_EXAMPLES } from './step-schemas';
import type { ExistingProject, ProjectStatus } from './state';

/** How a step is sent: most as `project step` (POST /projects/:id/steps), the money steps and cancellation by their own commands. */
export type StepCommand = 'step' | 'fund' | 'pay' | 'cancel';
const COMMAND_OF: Partial<Record<OfferableStep, StepCommand>> = { RecordFunding: 'fund', RecordPayment: 'pay', CancelProject: 'cancel' };

export interface StepField {
  readonly name: string;
  readonly zh: string;
  readonly required: boolean;
  /** What to write, in both languages ("金额…", "整数 0–10000"). */
  readonly format: Name;
}

/** One step as a person needs it: who may take it, what it needs, and an example of its data. */
export interface StepGuide {
  readonly type: OfferableStep;
  readonly name: Name;
  readonly action: Action;
  readonly actionName: Name;
  readonly roles: readonly Role[];
  readonly rolesZh: string;
  /** Separation of duties: who may not take it (`proposer`, `approver`; for a project, their user ids in `notByUsers`). */
  readonly notBy: readonly ('proposer' | 'approver')[];
  readonly notByUsers?: readonly string[];
  /** What it needs besides the stage and the role (offered-steps.ts STEP_NEEDS). */
  readonly when?: Name;
  readonly command: StepCommand;
  readonly fields: readonly StepField[];
  /** The step's data as a person writes it (amounts in 元/万元): `--data` of `project step`, or the body of its own route. */
  readonly example: Readonly<Record<string, unknown>>;
}

type JsonSchema = {
  type?: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
};

const DAY_PATTERN = /^\^\\d\{4\}-/;

/** What to write in a field, read off its schema (the one the step is parsed with). */
const formatOf = (p: JsonSchema): Name => {
  if (p.description === MONEY_FORMAT.en) return { zh: '金额，写作 "63万"、"630,000.00元" 或 "630000"（元）', en: 'an amount: "63万", "630,000.00元" or "630000" (元)' };
  if (p.enum) return { zh: `取值之一：${p.enum.join(' | ')}`, en: `one of: ${p.enum.join(' | ')}` };
  if (p.type === 'integer') {
    const range = `${p.minimum ?? ''}–${p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER ? p.maximum : ''}`;
    return { zh: `整数 ${range}`, en: `an integer ${range}` };
  }
  if (p.type === 'string' && p.pattern && DAY_PATTERN.test(p.pattern)) return { zh: '日期 YYYY-MM-DD', en: 'a date YYYY-MM-DD' };
  if (p.type === 'string' && p.pattern) return { zh: '编号（小写字母、数字及 . _ : -）', en: 'an id (a-z 0-9 . _ : -)' };
  if (p.type === 'string') return { zh: `文字，至多 ${p.maxLength ?? ''} 字`, en: `text, at most ${p.maxLength ?? ''} characters` };
  if (p.type === 'object' || p.type === 'array') return { zh: 'JSON（见示例）', en: 'JSON (see the example)' };
  return { zh: '见示例', en: 'see the example' };
};

const fieldsOf = (type: OfferableStep): StepField[] => {
  const js = z.toJSONSchema(GUIDED_INPUT_SCHEMAS[type], { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return Object.entries(js.properties ?? {}).map(([name, p]) => ({ name, zh: FIELD_LABELS[name] ?? name, required: (js.required ?? []).includes(name), format: formatOf(p) }));
};

/** Who the access rules keep from an action however their role (authorize's separation of duties). */
const excluded = (role: Role, action: Action): ('proposer' | 'approver')[] => {
  const who: Actor = { userId: 'guide.someone', role };
  return (['proposer', 'approver'] as const).filter((k) => authorize(who, action, k === 'proposer' ? { proposedBy: who.userId } : { approvedBy: who.userId }) !== undefined);
};

const guideOf = (type: OfferableStep, action: Action, roles: readonly Role[]): StepGuide => {
  const need = STEP_NEEDS[type];
  return {
    type,
    name: PROJECT_STEP_NAMES[type],
    action,
    actionName: ACTION_NAMES[action],
    roles,
    rolesZh: zhList(ROLE_NAMES, roles),
    notBy: roles.length > 0 ? excluded(roles[0]!, action) : [],
    ...(need ? { when: { zh: need.zh, en: need.en } } : {}),
    command: COMMAND_OF[type] ?? 'step',
    fields: fieldsOf(type),
    example: STEP_EXAMPLES[type] as Record<string, unknown>,
  };
};

/**
 * The steps open at a stage, before any project exists: each step whose stages include it
 * (decide.ts ruleFor), the roles whose permissions hold its action (access/actions.ts), and what
 * else it needs. A project's own answer is projectStepGuide.
 */
export const stepsAtStage = (stage: ProjectStatus): StepGuide[] =>
  OFFERABLE.flatMap((type) => {
    const rule = ruleFor(type, { status: stage });
    const need = STEP_NEEDS[type];
    if (!rule.in.includes(stage) || (need?.stages && !need.stages.includes(stage))) return [];
    const roles = ROLES.filter((role) => authorize({ userId: 'guide.someone', role }, rule.action) === undefined);
    return [guideOf(type, rule.action, roles)];
  });

/**
 * The steps open on this project now, for each role the decider would take them from
 * (offered-steps.ts offeredSteps for a person of that role in the project's county), with the
 * people its separation of duties keeps out by name.
 */
export const projectStepGuide = (s: ExistingProject): StepGuide[] => {
  const byType = new Map<OfferableStep, { action: Action; roles: Role[] }>();
  for (const role of ROLES) {
    const someone: Actor = { userId: 'guide.someone', role, countyId: s.countyId };
    for (const o of offeredSteps(someone, s)) {
      const entry = byType.get(o.type) ?? { action: o.action, roles: [] };
      entry.roles.push(role);
      byType.set(o.type, entry);
    }
  }
  return OFFERABLE.flatMap((type) => {
    const e = byType.get(type);
    if (!e) return [];
    const g = guideOf(type, e.action, e.roles);
    const users = g.notBy.map((k) => (k === 'proposer' ? s.proposedBy : s.approvedBy)).filter((u): u is string => u !== undefined);
    return [{ ...g, ...(users.length > 0 ? { notByUsers: users } : {}) }];
  });
};

/** The stage's name, for a guide's heading. */
export const stageName = (stage: ProjectStatus): Name => STAGE_NAMES[stage];
