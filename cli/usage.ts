// The usage texts, apart from the commands, so that `tuopin help` loads nothing else.

export const EXIT_USAGE = `  tuopin exit import     --as <user> --role county-official --county <c> --path <file.csv|file.json|dir>
  tuopin exit register   --as <user> --role county-official --county <c> --data <json|@file>   (import and register: the 2015 baseline only)
  tuopin exit identify start --village <id> --year <yyyy> --as <user> --role township-official --county <c> [--notice-days 7]   识别: a new poor household's only way in
  tuopin exit identify apply --village <id> --year <yyyy> --data <json|@file> --as <user> --role work-team|village-committee --county <c>   农户申请 (file + recordRef)
  tuopin exit identify step  --village <id> --year <yyyy> --step <appraise|postVillageNotice|object|townshipReview|announce> --as … --role … [--data <json>]
  tuopin exit identify status --village <id> --year <yyyy>
  tuopin exit remove propose --household <id> --year <yyyy> --reason <deceased|moved-away|wrongly-identified> --record <ref> --as … --role village-committee|work-team|township-official --county <c>
  tuopin exit remove notice  --household <id> [--notice-days 7] --as … --role township-official --county <c>
  tuopin exit remove decide  --household <id> --approved yes|no [--note <text>] --as … --role county-official --county <c>
  tuopin exit remove member  --household <id> --year <yyyy> --id-number <18 digits> --reason <deceased|moved-away|married-out|wrongly-registered> --record <ref> --as … --role … --county <c>
  tuopin exit records    --as <user> --role work-team --county <c> --file <records.json> [--notice-days 5]
  tuopin exit round start --village <id> --year <yyyy> --as <user> --role work-team --county <c> [--notice-days 7]
  tuopin exit round step  --village <id> --year <yyyy> --step <appraise|check|consent|postNotice|object|townshipReview|announce> --as … --role … [--data <json>]
  tuopin exit round status --village <id> --year <yyyy>
  tuopin exit village register --village <id> --as <user> --role county-official --county <c> [--registered-year 2015]
  tuopin exit village start --village <id> --year <yyyy> --rural-population <n> --checklist <json|@file> --as <user> --role township-official --county <c> [--notice-days 7]
  tuopin exit village step  --village <id> --year <yyyy> --step <review|object|announce> --as … --role … [--data <json>]
  tuopin exit village status --village <id> --year <yyyy>
  tuopin exit county start --of <c> --year <yyyy> --rural-population <n> --non-registered-households <n> --as <user> --role county-official --county <c> [--notice-days 7]
  tuopin exit county step  --of <c> --year <yyyy> --step <cityPreCheck|provincialCheck|object|announce> --as … --role … [--data <json>]
  tuopin exit county status --of <c> --year <yyyy>
  tuopin exit review start --household <id> --year <yyyy> --as <user> --role <work-team|township-official|county-official> --county <c> [--notice-days 5]
  tuopin exit review step  --household <id> --year <yyyy> --step <visit|postNotice|decide> --as … --role … [--data <json>]
  tuopin exit review status --household <id> --year <yyyy>
  tuopin exit progress   [--county <c>] [--year <yyyy>]
  tuopin exit generate   --county <c|city> --out <dir> [--format csv|json] [--seed s] [--scale 1/10]`;

export const BENEFIT_USAGE = `  tuopin benefit round start --programme <id> --township <twp id> --villages <vil id,…> --period <2018|2018-s1|2018-07|2018-once>
                         [--standard <tier>=<3600元>,…] [--notice-days 7] --as <user> --role county-official|township-official --county <c>
                                                   draws up the list from the registry and starts the round
  tuopin benefit round step  --round <br id> --step postNotice|objection|review|approve|disburse [--data '{…}'] --as … --role … --county …
  tuopin benefit round status <br id>              phase, list total, paid and returned (元)
  tuopin household account   --household <hh id> --number <一卡通 number> --bank <name> --reason <why> --as … --role township-official|county-finance --county …
  tuopin household benefits  <hh id> [--json]      everything paid to the household: programme, period, fund source, rule and policy version`;

export const COMPLAINT_USAGE = `  tuopin complaint record --subject '{"kind":"payment","roundId":"br-…","paymentId":"…"}' --category not-paid|wrong-amount|eligibility|diversion|conduct|other
                          --summary <text> [--channel hotline-12317|visit|letter] --as … --role township-official|county-official|… [--county …]
                                                   records a 12317 call, a visit or a letter: the answer is due in 15 days, then it escalates
  tuopin complaint answer --complaint <cp id> --finding upheld|partly-upheld|not-upheld --answer <text> --as … --role county-official --county …
  tuopin complaint list   [--county <c>] [--open] [--json]   complaints, newest first: due time, 督办 level, answer
  tuopin complaint show   <cp id>                  one complaint as JSON`;

export const PROGRESS_USAGE = `  tuopin progress plan  [--county <c>] [--year <yyyy>] [--category <c>] [--all] [--json]
                                                   the plan's money traced to households: per county × category × plan sub-item, plan amount,
                                                   allocated, paid and households reached, by year (--all: also sub-items with nothing allocated)`;

export const USAGE = `tuopin — poverty-alleviation projects, funds and exits, on the record

  tuopin project propose --as <user> --county <嵩县|song> --category <transport|…> --name <name>
                         --budget <350万|12.34元> --year <2016-2030>
                         [--level village --village <vil-…> [--township <twp-…>] --village-record <json|@file>]   村级项目：四议两公开
                         [--level county|township [--township <twp-…>] --appraisal <json|@file>]   县级、乡级项目：行业部门论证 {"department","documentRef","appraisedOn"}
                         [--plan-item <category/item[/part]>]   规划子项, e.g. transport/rural-roads/village-access
                         [--role county-official] [--target <json|@file>] [--subsidy <standard>:<qty>[,…]] [--id <project id>]
                         [--deadlines '{"township-review":"10d","county-review":"15d",…}']   how long a stage may wait before it escalates
                         (500ms|30s|15m|36h|10d); keys: township-review 乡镇审核, county-review 县级审批, notice-publication 发布公示,
                         notice-period 公示期满入库, funding 资金落实, construction-start 开工, construction 施工, acceptance 验收,
                         settlement 结算及支付, remediation 审计整改, retention-release 质保金支付, handover 资产移交
  tuopin project steps   <project id> [--json]   the project's stage, who acts next, and each step open now: the roles that may take it,
                         the data it needs and a command line with example data (amounts in 万元), as GET /projects/:id/next
  tuopin project steps   [--stage <proposed|township-reviewed|…>] [--json]   the same for a stage, or every stage, before a project exists
  tuopin project fund    --project <id> --fund <fund id> --amount <63万> --as <user> [--role county-finance] [--request-id <id>]
  tuopin project pay     --project <id> --fund <fund id> --allocation <id> --milestone <advance|progress|settlement|retention>
                         [--milestone-id <id>] --payee <account> [--household <household id>] --amount <18.9万>
                         --use <road-works|water-works|building-works|…: the expenditure kind> --as <user> [--role county-finance] [--request-id <id>]
  tuopin project cancel  --project <id> --reason <text> --as <user> [--role county-official] [--request-id <id>]
  tuopin project step    --project <id> --step <ApproveAtTownship|…> --as <user> --role <role> [--data <json>] [--request-id <id>]
  tuopin project status  <project id>
  tuopin project list    [--county <c>] [--category <c>] [--year <yyyy>] [--stage <stage>] [--next-role <role>] [--json]   a table, as GET /projects
  tuopin project show    <project id> [--json]   the read model's row and the workflow's live status
  tuopin fund appropriate --as <user> [--role county-finance] --county <嵩县|song> --fund <fund id> --source <central|…>
                          --year <2016-2030> --document <文号> --amount <500万> --earmark <transport,industry,…>
  tuopin fund list       [--county <c>] [--source <central|…>] [--year <yyyy>] [--json]   balances with totals reconciled to the fen
  tuopin fund totals     [--by source,county,year] [--county <c>] [--source <…>] [--year <yyyy>] [--json]   balances summed by source/county/year
  tuopin fund flow       <fund id> [--json]   where the money went: allocations → payments → payees, each with its source, reconciled to the fen
  tuopin fund show       <fund id> [--json]   the fund's books from its stream, and the read model's balances
  tuopin fund integrate  --as <user> [--role county-finance] --county <c> --year <yyyy> --document <文号> --adopted-on <YYYY-MM-DD>
                         --channels <channel>=<300万>[,…] --total <1200万> [--request-id <id>]   the county's 整合方案 (统筹整合涉农资金)
  tuopin fund integration --county <c> --year <yyyy> [--json]   the recorded 整合方案: each channel's amount and the total
  tuopin fund freeze     --fund <fund id> --reason <text> --as <user> [--role county-finance|city-poverty-office] [--county <id>] [--request-id <id>]
  tuopin fund unfreeze   --fund <fund id> --reason <text> --as <user> [--role county-finance|city-poverty-office] [--county <id>] [--request-id <id>]
  tuopin fund return     --fund <fund id> --amount <10万> --reason <text> --as <user> [--role county-finance] [--county <id>] [--request-id <id>]
${EXIT_USAGE}
  tuopin standards       [--json]   subsidy standards (the province's share per km, m², station) with units and sources, the four 省级全额补助 items, per-person standards
${BENEFIT_USAGE}
${PROGRESS_USAGE}
${COMPLAINT_USAGE}
  tuopin token issue     --user <user> --role <role> [--county <嵩县|song>] [--ttl 8h]   a bearer token for the HTTP API (EdDSA, at most 12h; its id on stderr)
  tuopin token keygen    --kid <key id>   a new Ed25519 key pair: API_TOKEN_SIGNING_KEY for the issuer, API_TOKEN_PUBLIC_KEYS for the API
  tuopin token revoke    --jti <token id> --as <user> --reason <text>   every API process refuses the token from now on
  tuopin audit           <fund|project|household|payment|round> <id> [--csv <file>] [--json]   every event touching it, with hash-chain proofs
  tuopin report          [--as-of <store position|YYYY-MM-DD>] [--county <县名|id>] [--out <dir>] [--json]   exits, money by source/county/category,
                         benefits and anomalies against the plan, now or at an earlier position, with its store digest; --out: HTML with charts + .xlsx
  tuopin verify          [--against <signed digest> --public-key <pem>] [--checkpoint]   recompute every stream's hash chain and report the
                         first broken link and any chain checkpoint that disagrees; against an earlier signed digest, also every stream's
                         signed (version, head); --checkpoint: then checkpoint the events that have none (the audit trail's proofs)
  tuopin rail reconcile  [--json] [--grace-seconds 60]   every payment the rail confirmed is booked (FundDisbursed, same key and
                         amount) and every booked payment was confirmed; exit 3 naming each one that is not
  tuopin pii migrate-v1  one-time: seal the clear ID numbers of events written before they were kept apart into their encrypted table
  tuopin digest keygen   --out <dir>   an Ed25519 key pair for signing store digests (keep the private key off the database host)
  tuopin digest sign     --key <private key file> [--out <file>]   a signed digest of the store: every stream's version and head
  tuopin projection rebuild <name>   rebuild a read model from the store and swap it in (needs DATABASE_ADMIN_URL)
  tuopin worker          run the Temporal worker, the relay and the projectors (or: npm run worker)`;
