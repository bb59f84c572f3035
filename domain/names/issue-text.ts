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

/** A zod issue (or one stated like it) as an InputIssue: symbol keys named as text, the issue's own fields as its params. */
export const inputIssueOf = (i: { readonly code: string; readonly path: readonly PropertyKey[]; readonly message: string }): InputIssue => ({
  code: i.code,
  path: i.path.map((k) => (typeof k === 'number' ? k : String(k))),
  message: i.message,
  params: { ...i },
});

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
export const RULE_ZH: Readonly<Record<string, string>> = {
  'must look like prj-<county>-<year>-<serial>': '格式应为 prj-<县>-<年度>-<编号>',
  'must look like fund-<county>-<year>-<serial>': '格式应为 fund-<县>-<年度>-<编号>',
  'must be 1-128 of A-Z a-z 0-9 . _ : -': '须为 1 至 128 个字母、数字或 . _ : -',
  'must be 2-64 of a-z 0-9 . _ - (an account id, not a name)': '须为 2 至 64 个小写字母、数字或 . _ -（账号，不是姓名）',
  'must not be empty': '不能为空',
  'must not contain NUL characters': '不能含 NUL 字符',
  // The text rules (domain/shared/text.ts textProblem).
  'must be well-formed Unicode (no lone UTF-16 surrogates)': '须为完整的 Unicode 文本（不能含孤立的代理字符）',
  'must not contain control characters (line breaks and tabs are allowed)': '不能含控制字符（换行和制表符除外）',
  'must not contain control characters or line breaks': '不能含控制字符或换行',
  'must not contain bidirectional override or isolate characters (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C)':
    '不能含双向文本控制字符（U+202A-U+202E、U+2066-U+2069、U+200E、U+200F、U+061C）',
  'must not contain U+FFFD, U+FFFE or U+FFFF (invalid UTF-8 was sent)': '不能含 U+FFFD、U+FFFE 或 U+FFFF（发来的是无效的 UTF-8）',
  'must be in Unicode normalisation form NFC': '须为 Unicode NFC 规范形式',
  'must not be empty (spaces and zero-width characters alone do not count)': '不能为空（只有空格或零宽字符不算）',
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
  'must be a date YYYY-MM-DD': '须为日期，写作 YYYY-MM-DD',
  'must be a date that exists': '须为实际存在的日期',
  'must look like twp-<county>-<serial>': '格式应为 twp-<县>-<编号>',
  'must look like cp-<county>-<serial>': '格式应为 cp-<县>-<编号>',
  'must look like br-<county>-<year>-<serial>': '格式应为 br-<县>-<年度>-<编号>',
  'must look like <project id>:p<n> (prj-<county>-<year>-<serial>:p1)': '格式应为 <项目编号>:p<序号>（prj-<县>-<年度>-<编号>:p1）',
  'must look like <project id>:p<n> or <round id>:<household id>': '格式应为 <项目编号>:p<序号> 或 <发放批次编号>:<农户编号>',
  'must be the cursor a previous page answered as next': '须为上一页返回的 next 游标',
  'must be the allocation id a previous page answered as next': '须为上一页返回的 next 分配编号',
  'must be more than zero fen': '须大于零',
  'must be a string': '须为字符串',
  'must be 17 digits and a digit or X': '须为 17 位数字加 1 位数字或 X',
  'state the reason (at least 4 characters)': '请说明理由（至少 4 个字）',
  'must start with source:': '须以 source: 开头',
  'must not contain control characters': '不能含控制字符',
  'must not contain a run of 11 or more digits (no personal data)': '不能含连续 11 位及以上数字（不得含个人信息）',
  'must differ from fromAccount': '不能与付款账户相同',
  'must be postgres://user@host:port/database': '格式应为 postgres://用户@主机:端口/数据库',
  'must be num/den, e.g. 1/10': '格式应为 分子/分母，如 1/10',
  'must be masked: first 4 and last 4 digits only': '须脱敏：只显示前 4 位和后 4 位',
  'must be letters, digits, _ or -': '须为字母、数字、_ 或 -',
  'must be host:port': '格式应为 主机:端口',
  'must be dot-separated lower-case tokens': '须为以点分隔的小写词',
  'must be base64 of 32 bytes (openssl rand -base64 32)': '须为 32 字节的 base64（openssl rand -base64 32）',
  'must be at most 12h': '不得超过 12 小时',
  'must be at least 16 characters': '至少 16 个字符',
  'must be an object': '须为对象（{…}）',
  'must be an account key (ykt-<32 hex>)': '须为账户键（ykt-<32 位十六进制>）',
  'must be a year (2018), a semester (2018-s1), a month (2018-07) or a one-off (2018-once)': '须为年度（2018）、半年（2018-s1）、月份（2018-07）或一次性（2018-once）',
  'must be a whole number with a unit: 500ms, 30s, 15m, 36h, 10d': '须为整数加单位：500ms、30s、15m、36h、10d',
  'must be a whole number with a unit: 30m, 8h': '须为整数加单位：30m、8h',
  'must be a valid, normalized resident ID number (GB 11643)': '须为有效的、规范写法的居民身份证号码（GB 11643）',
  'must be a valid resident ID number (GB 11643)': '须为有效的居民身份证号码（GB 11643）',
  'must be a token id (its jti claim)': '须为令牌编号（jti）',
  'must be a store position (a whole number) or a Beijing date YYYY-MM-DD that exists (截至的库位置或日期)': '须为库位置（整数）或实际存在的北京时间日期 YYYY-MM-DD',
  'must be a signed token (header.payload.signature)': '须为已签名的令牌（header.payload.signature）',
  'must be a plan sub-item, e.g. transport/rural-roads/village-access (GET /progress/plan lists them)':
    '须为规划子项，如 transport/rural-roads/village-access（GET /progress/plan 列出全部）',
  'must be a nats:// URL': '须为 nats:// 地址',
  'must be a member key (mk1-<64 hex>)': '须为成员键（mk1-<64 位十六进制>）',
  'must be a masked resident ID number (410325********111X)': '须为脱敏的居民身份证号码（410325********111X）',
  'must be a host name': '须为主机名',
  'must be a bank account number of 12-19 digits (一卡通账号)': '须为 12 至 19 位的一卡通账号',
  'must be 1-64 of a-z 0-9 -': '须为 1 至 64 个小写字母、数字或 -',
  'must be 1-64 of A-Z a-z 0-9 . _ -': '须为 1 至 64 个字母、数字或 . _ -',
  'must be 1-200 of A-Z a-z 0-9 . _ : / @ -': '须为 1 至 200 个字母、数字或 . _ : / @ -',
  'may contain only A-Z a-z 0-9 . _ : / @ -': '只能含字母、数字或 . _ : / @ -',
  'must be at most 500 characters': '最多 500 个字符',
  'must be at most 200 characters': '最多 200 个字符',
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

/** Rules whose English is built from a list or a limit: `must be one of: a, b`, `must be at most 80 characters`. */
const RULE_PATTERNS_ZH: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/^must be one of(?: the [^:]+)?: (.+)$/, (m) => `须为以下之一：${m[1]!.split(', ').map(valueWithName).join('、')}`],
  [/^must be at most (\d+) characters(?:; .*)?$/, (m) => `最多 ${m[1]} 个字符`],
];
const patternZh = (message: string): string | undefined => {
  for (const [re, zh] of RULE_PATTERNS_ZH) {
    const m = re.exec(message);
    if (m) return zh(m);
  }
  return undefined;
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
  const known = RULE_ZH[i.message] ?? patternZh(i.message);
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

/**
 * `prefix` is where the value came from (body, query, params, headers). `named`, when given, is how the
 * person wrote the field (the CLI's `<fund id>`, `as` for the actor's userId): the text names it so,
 * and the path still gives its Chinese label.
 */
export const describeIssue = (i: InputIssue, prefix?: string, named?: string): IssueText => {
  const path = [...(prefix ? [prefix] : []), ...i.path.map(String)];
  const field = named ?? (path.join('.') || prefix || '(request)');
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
