import type { DomainError } from '../domain/shared/errors';
import { RegistryError, type RowError } from '../infra/registry/errors';
import { ProcessNotFound, processNotFoundText, ProcessUnavailable, UpdateRefused } from '../services/errors';
import { describeIssue, type InputIssue, type IssueText } from '../domain/names/issue-text';
import { fieldZh } from '../domain/names/fields';
import { withYuan } from '../domain/shared/money';

/**
 * A refusal the API answers with a 4xx: a stable code for clients, and messages for people in
 * Chinese and English (the domain's own when it is a domain refusal).
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly details?: Readonly<Record<string, unknown>>,
    /** Every refused input of a 400, each naming its field (zh and key) and the rule in both languages. */
    readonly issues?: readonly (IssueText & { readonly in: string; readonly message: string })[],
  ) {
    super(en);
    this.name = 'ApiError';
  }

  /** The answer's body: amounts in details also in 元 (`asked` beside `askedFen`). */
  body(): Record<string, unknown> {
    return {
      code: this.code,
      zh: this.zh,
      en: this.en,
      ...(this.details ? { details: withYuan(this.details) } : {}),
      ...(this.issues ? { issues: this.issues } : {}),
    };
  }
}

/**
 * A 400 for refused inputs: zh and en list every field with its Chinese label and its rule
 * (domain/names/issue-text.ts), so a person reads which field and how to write it.
 */
export const invalidInput = (where: string, issues: readonly InputIssue[]): ApiError => {
  const texts = issues.map((i) => ({ in: where, ...describeIssue(i, where), message: i.message }));
  return new ApiError(400, 'INVALID_INPUT', `请求内容不合规：${texts.map((t) => t.zh).join('；')}`, texts.map((t) => t.en).join('; '), undefined, texts);
};

/**
 * Access rules answer 403 whoever applies them (the API's pre-check or a decider); a refusal
 * because of the resource's state is a conflict (409); one about the request itself, decided
 * before anything is sent, is unprocessable (422).
 */
export const fromDomainError = (e: DomainError, phase: 'precheck' | 'workflow'): ApiError =>
  new ApiError(e.code.startsWith('ACCESS_') ? 403 : phase === 'precheck' ? 422 : 409, e.code, e.zh, e.en, e.details);

/** A process no worker can answer for now (services/workflow-unavailable.ts): the service's state, not the request's fault. */
export const processUnavailable = (workflowId: string): ApiError =>
  new ApiError(503, 'PROCESS_UNAVAILABLE', '该流程暂时无法响应，请稍后重试', `the process ${workflowId} cannot answer now (no worker serves it); try again later`, { workflowId });

/** What a 404 says was not found, in each language: the English text never carries the Chinese noun, nor the reverse. */
const NOT_FOUND_NOUNS = {
  project: ['项目', 'project'],
  complaint: ['投诉举报', 'complaint'],
  'benefit-round': ['到户补助批次', 'benefit round'],
  'integration-plan': ['整合方案', 'integration plan'],
  fund: ['资金', 'fund'],
  household: ['户', 'household'],
  payment: ['支付', 'payment'],
  round: ['到户补助批次', 'benefit round'],
  'identification-round': ['识别轮次', 'identification round'],
  'exit-round': ['退出轮次', 'exit round'],
  'village-exit': ['贫困村退出', 'village exit'],
  'county-exit': ['贫困县退出', 'county exit'],
  'return-review': ['返贫核查', 'return-to-poverty review'],
} as const satisfies Record<string, readonly [string, string]>;
export type NotFoundNoun = keyof typeof NOT_FOUND_NOUNS;

export const notFound = (what: NotFoundNoun, id: string): ApiError => {
  const [zh, en] = NOT_FOUND_NOUNS[what];
  return new ApiError(404, 'NOT_FOUND', `未找到${zh}：${id}`, `no ${en} ${id}`);
};

/** Long digit runs are ID numbers or pieces of them (a JSON parser may quote the text it choked on): never echoed. */
const redact = (s: string): string => s.replace(/\d{8,}[\dXx]?/g, '[redacted]');

/** The first bad rows named in Chinese: line, the field's label and key. */
const rowsZh = (rows: readonly RowError[]): string => {
  if (rows.length === 0) return '';
  const named = rows.slice(0, 5).map((r) => {
    const label = fieldZh(r.field.split('.'));
    return `第 ${r.line} 行${label ? `“${label}”（${r.field}）` : `“${r.field}”`}`;
  });
  return `：${named.join('；')}${rows.length > 5 ? `；等 ${rows.length} 处` : ''}（详见 details.rows）`;
};

const REGISTRY_ZH: Readonly<Record<string, string>> = {
  REGISTRY_DUPLICATE: '已有户或成员建档，未写入任何数据',
  REGISTRY_IMPORT_BUSY: '另一份建档立卡文件正在导入，本次未写入任何数据，请稍后再试',
  REGISTRY_NOT_BASELINE: '直接登记仅用于导入2015年底已建档立卡的存量；新识别的贫困户须经识别程序（农户申请、民主评议、公示、县级审定公告）建档立卡，未写入任何数据',
};

/** A refused register file: every bad row by line and field, nothing written. A clash with the register, or with an import under way, is a conflict. */
const fromRegistryError = (e: RegistryError): ApiError => {
  const rows = e.rows.map((r: RowError) => ({ ...r, message: redact(r.message) }));
  return new ApiError(
    e.code === 'REGISTRY_DUPLICATE' || e.code === 'REGISTRY_IMPORT_BUSY' ? 409 : 422,
    e.code,
    `${REGISTRY_ZH[e.code] ?? '导入内容有误，未写入任何数据'}${rowsZh(rows)}`,
    redact(e.message.split('\n')[0]!),
    rows.length > 0 ? { rows } : undefined,
  );
};

/**
 * What the services throw, as HTTP answers: the one place they are mapped (the app's error handler
 * calls it), so a route only calls its service. Anything not listed stays as it is (a 500).
 */
export const toApiError = (e: unknown): unknown => {
  if (e instanceof UpdateRefused) return fromDomainError(e.refusal, 'workflow');
  if (e instanceof ProcessNotFound) {
    const { zh, en } = processNotFoundText(e);
    return new ApiError(404, e.code, zh, en);
  }
  if (e instanceof ProcessUnavailable) return processUnavailable(e.workflowId);
  if (e instanceof RegistryError) return fromRegistryError(e);
  return e;
};
