import { MONEY_FORMAT } from '../shared/money';
import { fieldZh } from './fields';
import type { NameTable } from './name';
import { COUNTY_NAMES } from './counties';
import { ROLE_NAMES } from './roles';
import { FUND_SOURCE_NAMES } from './funds';
import { ASSET_KIND_NAMES, CATEGORY_NAMES, DEADLINE_NAMES, MILESTONE_NAMES, PROJECT_STEP_NAMES, STAGE_NAMES } from './project';
import { CHECK_RESULT_NAMES, CHECKLIST_ITEM_NAMES } from './exits';

/**
 * One refused input, as zod reports it (code, path, message and the issue's other fields), told to
 * people in both languages: which field (its Chinese label and its key) and which rule.
 */
export interface InputIssue {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

export interface IssueText {
  /** The field's path as a client addresses it: `body.records.0.perCapitaIncome`. */
  readonly field: string;
  /** The field's Chinese label, when it has one. */
  readonly fieldZh?: string;
  /** The rule that refused it: zod's issue code. */
  readonly rule: string;
  readonly zh: string;
  readonly en: string;
}

const TYPE_ZH: Readonly<Record<string, string>> = {
  string: '字符串',
  number: '数字',
  int: '整数',
  boolean: 'true 或 false',
  object: '对象（{…}）',
  array: '数组（[…]）',
  date: '日期',
};

/** Rules schemas state in English, in Chinese. Anything not here is explained by its code with the English rule beside it. */
const RULE_ZH: Readonly<Record<string, string>> = {
  'must look like prj-<county>-<year>-<serial>': '格式应为 prj-<县>-<年度>-<编号>',
  'must look like fund-<county>-<year>-<serial>': '格式应为 fund-<县>-<年度>-<编号>',
  'must be 1-128 of A-Z a-z 0-9 . _ : -': '须为 1 至 128 个字母、数字或 . _ : -',
  'must be 2-64 of a-z 0-9 . _ - (an account id, not a name)': '须为 2 至 64 个小写字母、数字或 . _ -（账号，不是姓名）',
  'must not be empty': '不能为空',
  'must not contain NUL characters': '不能含 NUL 字符',
  'must be a stage name': '须为阶段名称',
  'must be a number of fen': '须为以分计的整数',
  'must be a whole number of fen': '须为以分计的整数',
  'must not be negative': '不能为负数',
  'is too large to hold exactly': '数值过大',
  'must be a file name ending in .csv or .json': '须为以 .csv 或 .json 结尾的文件名',
  'a county-scoped role needs a countyId': '县级角色须注明所在县',
  'must be 3-128 of a-z 0-9 . _ : - (an opaque id)': '须为 3 至 128 个小写字母、数字或 . _ : -（编号）',
  'must look like hh-<county>-<serial> (no names or ID numbers)': '格式应为 hh-<县>-<编号>（不得含姓名或身份证号）',
  'must look like vil-<county>-<serial>': '格式应为 vil-<县>-<编号>',
};

/** Ids a value list may hold, with what people call them: `song（嵩县）`. */
const VALUE_TABLES: readonly NameTable<string>[] = [
  COUNTY_NAMES,
  CATEGORY_NAMES,
  ROLE_NAMES,
  FUND_SOURCE_NAMES,
  MILESTONE_NAMES,
  STAGE_NAMES,
  ASSET_KIND_NAMES,
  PROJECT_STEP_NAMES,
  CHECK_RESULT_NAMES,
  CHECKLIST_ITEM_NAMES,
  DEADLINE_NAMES,
];
const valueWithName = (v: string): string => {
  const t = VALUE_TABLES.find((x) => Object.hasOwn(x, v));
  return t ? `${v}（${t[v]!.zh}）` : v;
};

const numberWord = (n: unknown): string => (typeof n === 'bigint' || typeof n === 'number' ? String(n) : '?');

/** The rule in Chinese, from the issue's code and fields. */
const ruleZh = (i: InputIssue): string => {
  const p = i.params ?? {};
  // A custom issue's own params (zod keeps them under `params`), or given directly.
  const own = (typeof p.params === 'object' && p.params !== null ? p.params : p) as Record<string, unknown>;
  if (own.rule === 'money') return `${MONEY_FORMAT.zh}（${i.message.split(';')[0]}）`;
  if (i.code === 'invalid_type' && /JSON number is not accepted for an amount/.test(i.message)) return `不接受数字形式的金额；${MONEY_FORMAT.zh}`;
  if (i.code === 'invalid_type' && /must be a string; write an amount/.test(i.message)) return MONEY_FORMAT.zh;
  if (typeof own.zh === 'string') return own.zh;
  const known = RULE_ZH[i.message];
  if (known) return known;
  switch (i.code) {
    case 'invalid_type': {
      if (/received undefined/.test(i.message)) return '必填';
      const want = TYPE_ZH[String(p.expected)] ?? String(p.expected);
      return `须为${want}`;
    }
    case 'too_small': {
      const n = numberWord(p.minimum);
      if (p.origin === 'string') return Number(p.minimum) === 1 ? '不能为空' : `至少 ${n} 个字符`;
      if (p.origin === 'array' || p.origin === 'set') return `至少 ${n} 项`;
      return p.inclusive === false ? `须大于 ${n}` : `不得小于 ${n}`;
    }
    case 'too_big': {
      const n = numberWord(p.maximum);
      if (p.origin === 'string') return `最多 ${n} 个字符`;
      if (p.origin === 'array' || p.origin === 'set') return `最多 ${n} 项`;
      return p.inclusive === false ? `须小于 ${n}` : `不得大于 ${n}`;
    }
    case 'invalid_format':
      return `格式不符（${i.message}）`;
    case 'invalid_value': {
      const values = Array.isArray(p.values) ? p.values.map(String) : [];
      return values.length > 0 ? `须为以下之一：${values.map(valueWithName).join('、')}` : `取值不符（${i.message}）`;
    }
    case 'unrecognized_keys': {
      const keys = Array.isArray(p.keys) ? p.keys.map(String) : [];
      return `不接受的字段：${keys.join('、')}`;
    }
    case 'not_multiple_of':
      return `须为 ${numberWord(p.divisor)} 的整数倍`;
    case 'invalid_union': {
      const expected = /Expected (.+)$/.exec(i.message)?.[1];
      if (expected) return `须为以下之一：${[...expected.matchAll(/'([^']+)'/g)].map((m) => valueWithName(m[1]!)).join('、')}`;
      return `不符合任何一种允许的写法（${i.message}）`;
    }
    default:
      return `不符合要求（${i.message}）`;
  }
};

/** `prefix` is where the value came from (body, query, params, headers, a CLI flag's name). */
export const describeIssue = (i: InputIssue, prefix?: string): IssueText => {
  const path = [...(prefix ? [prefix] : []), ...i.path.map(String)];
  const field = path.join('.') || prefix || '(request)';
  // An unknown key is named by the key itself: the path ends at the object that holds it.
  const keys = i.code === 'unrecognized_keys' && Array.isArray(i.params?.keys) ? (i.params.keys as unknown[]).map(String) : [];
  const zhLabel = fieldZh(i.path.length > 0 ? i.path : prefix ? [prefix] : []);
  const label = zhLabel ? `“${zhLabel}”（${field}）` : `“${field}”`;
  return {
    field,
    ...(zhLabel ? { fieldZh: zhLabel } : {}),
    rule: i.code,
    zh: `${label}${keys.length > 0 ? '' : '：'}${keys.length > 0 ? `含有${ruleZh(i)}` : ruleZh(i)}`,
    en: `${field}: ${i.message}`,
  };
};
