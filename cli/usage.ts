// The usage texts, apart from the commands, so that `tuopin help` loads nothing else.

export type HelpLanguage = 'en' | 'zh';

/**
 * One command of the help: its syntax (one line, or several: the flags under the first), the same in
 * both languages, and what it does in English and in Chinese (`\n` breaks a long one). The one source
 * both helps are rendered from.
 */
export interface UsageEntry {
  readonly syntax: readonly string[];
  readonly en: string;
  readonly zh: string;
}

const e = (syntax: string | readonly string[], en: string, zh: string): UsageEntry => ({ syntax: typeof syntax === 'string' ? [syntax] : syntax, en, zh });

export const PROJECT_ENTRIES: readonly UsageEntry[] = [
  e(
    [
      'tuopin project propose --as <user> --county <嵩县|song> --category <transport|…> --name <name>',
      '--budget <350万|12.34元> --year <2016-2030>',
      '[--level village --village <vil-…> [--township <twp-…>] --village-record <json|@file>]',
      '[--level county|township [--township <twp-…>] --appraisal <json|@file>]',
      '[--plan-item <category/item[/part]>]',
      '[--role county-official] [--target <json|@file>] [--subsidy <standard>:<qty>[,…]] [--id <project id>]',
      `[--deadlines '{"township-review":"10d","county-review":"15d",…}']`,
    ],
    [
      "proposes a project. A village project carries its village record (四议两公开); a county or township project its department's appraisal",
      '{"department","documentRef","appraisedOn"}. --plan-item: the plan sub-item (规划子项), e.g. transport/rural-roads/village-access.',
      '--deadlines: how long a stage may wait before it escalates (500ms|30s|15m|36h|10d); keys: township-review, county-review,',
      'notice-publication, notice-period, funding, construction-start, construction, acceptance, settlement, remediation,',
      'retention-release, handover',
    ].join('\n'),
    [
      '申报项目。村级项目附村级记录（四议两公开）；县级、乡级项目附行业部门论证 {"department","documentRef","appraisedOn"}。',
      '--plan-item：规划子项，如 transport/rural-roads/village-access。',
      '--deadlines：各阶段最长等待多久后督办（500ms|30s|15m|36h|10d）；键：township-review 乡镇审核、county-review 县级审批、',
      'notice-publication 发布公示、notice-period 公示期满入库、funding 资金落实、construction-start 开工、construction 施工、',
      'acceptance 验收、settlement 结算及支付、remediation 审计整改、retention-release 质保金支付、handover 资产移交',
    ].join('\n'),
  ),
  e(
    'tuopin project steps   <project id> [--json]',
    "the project's stage, who acts next, and each step open now: the roles that may take it,\nthe data it needs and a command line with example data (amounts in 万元), as GET /projects/:id/next",
    '项目所处阶段、下一步由谁办理，以及现在可办的每一步：可办理的角色、所需数据和一条附示例数据的命令（金额以万元计），同 GET /projects/:id/next',
  ),
  e(
    'tuopin project steps   [--stage <proposed|township-reviewed|…>] [--json]',
    'the same for a stage, or every stage, before a project exists',
    '同上，按阶段（或全部阶段）列出，无需已有项目',
  ),
  e(
    'tuopin project fund    --project <id> --fund <fund id> --amount <63万> --as <user> [--role county-finance] [--request-id <id>]',
    "one fund's share of the project's budget, requested by county finance (funding from several channels)",
    '一项资金承担的项目预算份额，由县财政申请（多渠道资金落实）',
  ),
  e(
    [
      'tuopin project pay     --project <id> --fund <fund id> --allocation <id> --milestone <advance|progress|settlement|retention>',
      '[--milestone-id <id>] --payee <account> [--household <household id>] --amount <18.9万>',
      '--use <road-works|water-works|building-works|…: the expenditure kind> --as <user> [--role county-finance] [--request-id <id>]',
    ],
    'pays a milestone of the project from its allocation (advance, progress, settlement or retention); --use: the expenditure kind',
    '按节点从项目的拨款中支付（预付款、进度款、结算款或质保金）；--use：支出类别',
  ),
  e(
    'tuopin project cancel  --project <id> --reason <text> --as <user> [--role county-official] [--request-id <id>]',
    'cancels the project, with the reason',
    '撤销项目，须说明理由',
  ),
  e(
    'tuopin project step    --project <id> --step <ApproveAtTownship|…> --as <user> --role <role> [--data <json>] [--request-id <id>]',
    'takes one step of the project (tuopin project steps lists those open now)',
    '办理项目的一步（tuopin project steps 列出现在可办的步骤）',
  ),
  e('tuopin project status  <project id> [--json]', "the workflow's live status of the project", '项目流程的实时状态'),
  e(
    'tuopin project list    [--county <c>] [--category <c>] [--year <yyyy>] [--stage <stage>] [--next-role <role>] [--json]',
    'projects as a table, as GET /projects',
    '项目列表（表格），同 GET /projects',
  ),
  e('tuopin project show    <project id> [--json]', "the read model's row and the workflow's live status", '项目的读模型记录和流程的实时状态'),
];

export const FUND_ENTRIES: readonly UsageEntry[] = [
  e(
    [
      'tuopin fund appropriate --as <user> [--role county-finance] --county <嵩县|song> --fund <fund id> --source <central|…>',
      '--year <2016-2030> --document <文号> --amount <500万> --earmark <transport,industry,…>',
    ],
    'records a fund appropriated to the county: its source, document and earmarked categories',
    '登记下达到县的资金：来源、文号和指定用途',
  ),
  e('tuopin fund list       [--county <c>] [--source <central|…>] [--year <yyyy>] [--json]', 'balances with totals reconciled to the fen', '各项资金余额，合计核对到分'),
  e(
    'tuopin fund totals     [--by source,county,year] [--county <c>] [--source <…>] [--year <yyyy>] [--json]',
    'balances summed by source/county/year',
    '按来源、县、年度汇总的余额',
  ),
  e(
    'tuopin fund flow       <fund id> [--json]',
    'where the money went: allocations → payments → payees, each with its source, reconciled to the fen',
    '资金去向：拨付 → 支付 → 收款人，各附来源，核对到分',
  ),
  e('tuopin fund show       <fund id> [--json]', "the fund's books from its stream, and the read model's balances", '资金的账（来自其事件流）和读模型中的余额'),
  e(
    [
      'tuopin fund integrate  --as <user> [--role county-finance] --county <c> --year <yyyy> --document <文号> --adopted-on <YYYY-MM-DD>',
      '--channels <channel>=<300万>[,…] --total <1200万> [--request-id <id>]',
    ],
    "records the county's integration plan (整合方案, 统筹整合涉农资金)",
    '登记县的整合方案（统筹整合涉农资金）',
  ),
  e('tuopin fund integration --county <c> --year <yyyy> [--json]', "the recorded integration plan: each channel's amount and the total", '已登记的整合方案：各渠道金额及合计'),
  e(
    'tuopin fund freeze     --fund <fund id> --reason <text> --as <user> [--role county-finance|city-poverty-office] [--county <id>] [--request-id <id>]',
    'freezes the fund: nothing is allocated or paid from it until it is unfrozen',
    '冻结资金：解冻前不得拨付或支付',
  ),
  e(
    'tuopin fund unfreeze   --fund <fund id> --reason <text> --as <user> [--role county-finance|city-poverty-office] [--county <id>] [--request-id <id>]',
    'unfreezes the fund',
    '解冻资金',
  ),
  e(
    'tuopin fund return     --fund <fund id> --amount <10万> --reason <text> --as <user> [--role county-finance] [--county <id>] [--request-id <id>]',
    'returns unspent money of the fund',
    '退回资金中未使用的款项',
  ),
];

export const EXIT_ENTRIES: readonly UsageEntry[] = [
  e(
    'tuopin exit import     --as <user> --role county-official --county <c> --path <file.csv|file.json|dir>',
    'imports the registered poor households (the 2015 baseline only)',
    '导入建档立卡贫困户（仅限 2015 年基线）',
  ),
  e(
    'tuopin exit register   --as <user> --role county-official --county <c> --data <json|@file>',
    'registers one household (the 2015 baseline only)',
    '登记一户（仅限 2015 年基线）',
  ),
  e(
    'tuopin exit identify start --village <id> --year <yyyy> --as <user> --role township-official --county <c> [--notice-days 7]',
    "starts a village's identification round (识别): a new poor household's only way in",
    '启动行政村的贫困户识别：新增贫困户的唯一途径',
  ),
  e(
    'tuopin exit identify apply --village <id> --year <yyyy> --data <json|@file> --as <user> --role work-team|village-committee --county <c>',
    "a household's application (农户申请; file + recordRef)",
    '农户申请（附文件和 recordRef）',
  ),
  e(
    'tuopin exit identify step  --village <id> --year <yyyy> --step <appraise|postVillageNotice|object|townshipReview|announce> --as … --role … [--data <json>]',
    'takes the next step of the identification round',
    '办理识别的下一步（评议、村内公示、异议、乡镇审核、公告）',
  ),
  e('tuopin exit identify status --village <id> --year <yyyy>', "the identification round's status", '识别的办理状态'),
  e(
    'tuopin exit remove propose --household <id> --year <yyyy> --reason <deceased|moved-away|wrongly-identified> --record <ref> --as … --role village-committee|work-team|township-official --county <c>',
    'proposes to remove a household from the register',
    '提议将一户移出建档立卡名册',
  ),
  e('tuopin exit remove notice  --household <id> [--notice-days 7] --as … --role township-official --county <c>', 'posts the removal notice', '公示移出'),
  e(
    'tuopin exit remove decide  --household <id> --approved yes|no [--note <text>] --as … --role county-official --county <c>',
    'the county decides the removal',
    '县级决定是否移出',
  ),
  e(
    'tuopin exit remove member  --household <id> --year <yyyy> --id-number <18 digits> --reason <deceased|moved-away|married-out|wrongly-registered> --record <ref> --as … --role … --county <c>',
    'removes one member of a household',
    '移出户内的一名成员',
  ),
  e(
    'tuopin exit records    --as <user> --role work-team --county <c> --file <records.json> [--notice-days 5]',
    "records households' yearly figures (income and the checks)",
    '录入农户的年度数据（收入及各项核查）',
  ),
  e(
    'tuopin exit round start --village <id> --year <yyyy> --as <user> --role work-team --county <c> [--notice-days 7]',
    "starts a village's exit round for the year",
    '启动行政村当年的贫困户退出',
  ),
  e(
    'tuopin exit round step  --village <id> --year <yyyy> --step <appraise|check|consent|postNotice|object|townshipReview|announce> --as … --role … [--data <json>]',
    'takes the next step of the exit round',
    '办理退出的下一步（评议、核查、农户认可、公示、异议、乡镇审核、公告）',
  ),
  e('tuopin exit round status --village <id> --year <yyyy>', "the exit round's status", '贫困户退出的办理状态'),
  e('tuopin exit village register --village <id> --as <user> --role county-official --county <c> [--registered-year 2015]', 'registers a poor village', '登记贫困村'),
  e(
    'tuopin exit village start --village <id> --year <yyyy> --rural-population <n> --checklist <json|@file> --as <user> --role township-official --county <c> [--notice-days 7]',
    "starts the village's exit",
    '启动贫困村退出',
  ),
  e(
    'tuopin exit village step  --village <id> --year <yyyy> --step <review|object|announce> --as … --role … [--data <json>]',
    "takes the next step of the village's exit",
    '办理贫困村退出的下一步（审核、异议、公告）',
  ),
  e('tuopin exit village status --village <id> --year <yyyy>', "the village exit's status", '贫困村退出的办理状态'),
  e(
    'tuopin exit county start --of <c> --year <yyyy> --rural-population <n> --non-registered-households <n> --as <user> --role county-official --county <c> [--notice-days 7]',
    "starts the county's exit",
    '启动贫困县退出',
  ),
  e(
    'tuopin exit county step  --of <c> --year <yyyy> --step <cityPreCheck|provincialCheck|object|announce> --as … --role … [--data <json>]',
    "takes the next step of the county's exit",
    '办理贫困县退出的下一步（市级初审、省级核查、异议、公告）',
  ),
  e('tuopin exit county status --of <c> --year <yyyy>', "the county exit's status", '贫困县退出的办理状态'),
  e(
    'tuopin exit review start --household <id> --year <yyyy> --as <user> --role <work-team|township-official|county-official> --county <c> [--notice-days 5]',
    'starts the review of an exited household (返贫 monitoring)',
    '启动对已退出农户的回访审核（返贫监测）',
  ),
  e(
    'tuopin exit review step  --household <id> --year <yyyy> --step <visit|postNotice|decide> --as … --role … [--data <json>]',
    'takes the next step of the review',
    '办理回访审核的下一步（走访、公示、决定）',
  ),
  e('tuopin exit review status --household <id> --year <yyyy>', "the review's status", '回访审核的办理状态'),
  e('tuopin exit progress   [--county <c>] [--year <yyyy>]', 'exits so far, by county and year', '按县、年度统计的退出进度'),
  e(
    'tuopin exit generate   --county <c|city> --out <dir> [--format csv|json] [--seed s] [--scale 1/10]',
    'writes generated households to import (test data)',
    '生成可导入的农户数据（测试用）',
  ),
];

export const STANDARDS_ENTRIES: readonly UsageEntry[] = [
  e(
    'tuopin standards       [--json]',
    "subsidy standards (the province's share per km, m², station) with units and sources, the four 省级全额补助 items, per-person standards",
    '补助标准（省级按公里、平方米、站点的补助额）及单位和依据，四项省级全额补助，人均标准',
  ),
];

export const BENEFIT_ENTRIES: readonly UsageEntry[] = [
  e(
    [
      'tuopin benefit round start --programme <id> --township <twp id> --villages <vil id,…> --period <2018|2018-s1|2018-07|2018-once>',
      '[--standard <tier>=<3600元>,…] [--notice-days 7] --as <user> --role county-official|township-official --county <c>',
    ],
    'draws up the list from the registry and starts the round',
    '从名册生成发放名单并启动发放批次',
  ),
  e(
    "tuopin benefit round step  --round <br id> --step postNotice|objection|review|approve|disburse [--data '{…}'] --as … --role … --county …",
    'takes the next step of the round (notice, objection, review, approval, disbursement)',
    '办理发放批次的下一步（公示、异议、审核、审批、发放）',
  ),
  e('tuopin benefit round status <br id>', 'phase, list total, paid and returned (元)', '所处阶段、名单合计、已发放和退回金额（元）'),
  e(
    'tuopin household account   --household <hh id> --number <一卡通 number> --bank <name> --reason <why> --as … --role township-official|county-finance --county …',
    "records the household's 一卡通 account that benefits are paid to",
    '登记农户领取补贴的一卡通账户',
  ),
  e(
    'tuopin household benefits  <hh id> [--json]',
    'everything paid to the household: programme, period, fund source, rule and policy version',
    '发放给该户的全部补贴：项目、期间、资金来源、发放规则和政策版本',
  ),
];

export const PROGRESS_ENTRIES: readonly UsageEntry[] = [
  e(
    'tuopin progress plan  [--county <c>] [--year <yyyy>] [--category <c>] [--all] [--json]',
    "the plan's money traced to households: per county × category × plan sub-item, plan amount,\nallocated, paid and households reached, by year (--all: also sub-items with nothing allocated)",
    '规划资金追踪到户：按县 × 类别 × 规划子项列出规划金额、已拨付、已支付和受益户数，分年度（--all：也列出尚未拨付的子项）',
  ),
];

export const COMPLAINT_ENTRIES: readonly UsageEntry[] = [
  e(
    [
      `tuopin complaint record --subject '{"kind":"payment","roundId":"br-…","paymentId":"…"}' --category not-paid|wrong-amount|eligibility|diversion|conduct|other`,
      '--summary <text> [--channel hotline-12317|visit|letter] --as … --role township-official|county-official|… [--county …]',
    ],
    'records a 12317 call, a visit or a letter: the answer is due in 15 days, then it escalates',
    '登记 12317 来电、来访或来信：15 日内答复，逾期督办',
  ),
  e(
    'tuopin complaint answer --complaint <cp id> --finding upheld|partly-upheld|not-upheld --answer <text> --as … --role county-official --county …',
    'answers the complaint with a finding',
    '答复投诉并给出核查结论',
  ),
  e('tuopin complaint list   [--county <c>] [--open] [--json]', 'complaints, newest first: due time, 督办 level, answer', '投诉列表（最新在前）：答复期限、督办级别、答复'),
  e('tuopin complaint show   <cp id>', 'one complaint as JSON', '一件投诉（JSON）'),
];

export const SYSTEM_ENTRIES: readonly UsageEntry[] = [
  e(
    'tuopin token issue     --user <user> --role <role> [--county <嵩县|song>] [--ttl 8h]',
    'a bearer token for the HTTP API (EdDSA, at most 12h; its id on stderr)',
    'HTTP API 的访问令牌（EdDSA，最长 12 小时；令牌编号输出到 stderr）',
  ),
  e(
    'tuopin token keygen    --kid <key id>',
    'a new Ed25519 key pair: API_TOKEN_SIGNING_KEY for the issuer, API_TOKEN_PUBLIC_KEYS for the API',
    '新的 Ed25519 密钥对：API_TOKEN_SIGNING_KEY 给签发方，API_TOKEN_PUBLIC_KEYS 给 API',
  ),
  e('tuopin token revoke    --jti <token id> --as <user> --reason <text>', 'every API process refuses the token from now on', '吊销令牌：此后所有 API 进程都拒绝该令牌'),
  e(
    'tuopin audit           <fund|project|household|payment|round> <id> [--csv <file>] [--json]',
    'every event touching it, with hash-chain proofs',
    '涉及它的全部事件，附哈希链证明',
  ),
  e(
    'tuopin audit           <fund|project> <id> --ledger [--csv <file>] [--xlsx <file>] [--json]',
    "the auditor's ledger: one row per money movement under Chinese headers, refusals apart, totals checked against the books",
    '审计台账：每笔资金往来一行（中文表头），被拒的另列，合计与账目核对',
  ),
  e(
    'tuopin report          [--as-of <store position|YYYY-MM-DD>] [--county <县名|id>] [--out <dir>] [--json]',
    'exits, money by source/county/category, benefits and anomalies against the plan, now or at an earlier position,\nwith its store digest; --out: HTML with charts + .xlsx',
    '退出情况、按来源/县/类别的资金、补贴发放和异常，对照规划，可为当前或某一历史位置，附库摘要；--out：带图表的 HTML 和 .xlsx',
  ),
  e(
    'tuopin verify          [--against <signed digest> --public-key <pem>] [--checkpoint]',
    "recompute every stream's hash chain and report the first broken link and any chain checkpoint that disagrees;\nagainst an earlier signed digest, also every stream's signed (version, head);\n--checkpoint: then checkpoint the events that have none (the audit trail's proofs)",
    '重算每个事件流的哈希链，报告第一处断链和不一致的链检查点；对照先前签名的摘要时，也核对每个流签名时的（版本，链头）；\n--checkpoint：随后为尚无检查点的事件建立检查点（审计轨迹的证明）',
  ),
  e(
    'tuopin rail reconcile  [--json] [--grace-seconds 60]',
    'every payment the rail confirmed is booked (FundDisbursed, same key and amount) and every booked payment was confirmed;\nexit 3 naming each one that is not',
    '核对支付通道：通道确认的每笔支付都已入账（FundDisbursed，幂等键和金额相同），入账的每笔支付都经通道确认；不符时逐笔列出并以 3 退出',
  ),
  e(
    'tuopin pii migrate-v1',
    'one-time: seal the clear ID numbers of events written before they were kept apart into their encrypted table',
    '一次性迁移：将早期事件中的明文身份证号加密存入专表',
  ),
  e(
    'tuopin digest keygen   --out <dir>',
    'an Ed25519 key pair for signing store digests (keep the private key off the database host)',
    '用于签名库摘要的 Ed25519 密钥对（私钥勿放在数据库主机上）',
  ),
  e('tuopin digest sign     --key <private key file> [--out <file>]', "a signed digest of the store: every stream's version and head", '库的签名摘要：每个事件流的版本和链头'),
  e('tuopin projection rebuild <name>', 'rebuild a read model from the store and swap it in (needs DATABASE_ADMIN_URL)', '从事件库重建读模型并替换（需要 DATABASE_ADMIN_URL）'),
  e('tuopin worker', 'run the Temporal worker, the relay and the projectors (or: npm run worker)', '运行 Temporal 工作进程、转发和投影（或：npm run worker）'),
];

/** Every command, in the order the help lists them. */
export const USAGE_ENTRIES: readonly UsageEntry[] = [
  ...PROJECT_ENTRIES,
  ...FUND_ENTRIES,
  ...EXIT_ENTRIES,
  ...STANDARDS_ENTRIES,
  ...BENEFIT_ENTRIES,
  ...PROGRESS_ENTRIES,
  ...COMPLAINT_ENTRIES,
  ...SYSTEM_ENTRIES,
];

/** Columns a line takes on a terminal: a Chinese character takes two. */
const width = (s: string): number =>
  [...s].reduce((n, c) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1), 0);
const WIDE = 150;

/** An entry as the help prints it: the syntax, its flags under the first flag, and the description beside it when it fits, else under it. */
const renderEntry = (u: UsageEntry, lang: HelpLanguage): string => {
  const [first, ...more] = u.syntax;
  const indent = ' '.repeat(2 + Math.max(first!.search(/ [-<[]/) + 1, 0));
  const lines = [`  ${first!}`, ...more.map((l) => `${indent}${l}`)];
  const text = u[lang].split('\n');
  const last = lines[lines.length - 1]!;
  if (text.length === 1 && width(last) + 3 + width(text[0]!) <= WIDE) lines[lines.length - 1] = `${last}   ${text[0]!}`;
  else lines.push(...text.map((t) => `${indent}${t}`));
  return lines.join('\n');
};

export const renderUsage = (entries: readonly UsageEntry[], lang: HelpLanguage): string => entries.map((u) => renderEntry(u, lang)).join('\n');

/**
 * The help's language as command-line tools choose it: the first of LC_ALL, LC_MESSAGES and LANG
 * that is set; Chinese when it starts with `zh` (zh_CN.UTF-8), English otherwise.
 */
export const helpLanguage = (env: Readonly<Record<string, string | undefined>>): HelpLanguage => {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  return /^zh/i.test(locale) ? 'zh' : 'en';
};

const HEADER: Readonly<Record<HelpLanguage, string>> = {
  en: 'tuopin — poverty-alleviation projects, funds and exits, on the record   (中文：tuopin help --zh)',
  zh: 'tuopin — 扶贫项目、资金与退出，全程留痕   (English: tuopin help --en)',
};

/** The whole help in one language. */
export const usageText = (lang: HelpLanguage): string => `${HEADER[lang]}\n\n${renderUsage(USAGE_ENTRIES, lang)}`;

/** The entries of one command (`tuopin exit county`, `tuopin fund show`): those whose command line starts with its words. */
export const entriesOf = (command: string): readonly UsageEntry[] => USAGE_ENTRIES.filter((u) => `${u.syntax[0]!.replace(/ +/g, ' ')} `.startsWith(`${command} `));

const USAGE_HEADER: Readonly<Record<HelpLanguage, string>> = {
  en: 'usage:   (中文：LANG=zh_CN.UTF-8，或 tuopin help --zh)',
  zh: '用法：   (English: LANG=C, or tuopin help --en)',
};

/**
 * What a command called wrongly prints (no such verb, a positional missing): its lines of the help,
 * in the language the help would take, and a note on its values when the table cannot hold them (the
 * projections' names, which the help does not load).
 */
export const commandUsage = (command: string, lang: HelpLanguage, note?: { readonly en: string; readonly zh: string }): string =>
  [USAGE_HEADER[lang], renderUsage(entriesOf(command), lang), ...(note ? [`  ${note[lang]}`] : [])].join('\n');
