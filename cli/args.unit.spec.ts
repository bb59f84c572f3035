// The label scan reads the commands' sources for the positionals they name.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FIELD_LABELS } from '../domain/names/fields';
import { FUND_FLOW_RULE_NAMES } from '../domain/names/funds';
import { FLOW_RULES } from '../domain/fund';
import type { Fen } from '../domain/shared/money';
import { CliError, fieldOfName, inputRefusal, parseFlags } from './args';
import { usageText } from './usage';
import { flowCheckLine, runFundShow } from './commands/fund-queries';
import { parseStep } from './commands/project-step';
import { actorFrom, nextLine, printStatus, startedLine } from './commands/exit-actor';
import { keygenLines, parseTokenIssue } from './commands/token-issue';
import { generatedLine, importedLine, importSummaryLine, recordsLine, registeredLine } from './commands/exit-registry';
import { roundListLine, roundStepLine } from './commands/benefit';
import { complaintAnsweredLine, complaintRecordedLine } from './commands/complaint';

const refusal = (argv: string[]): CliError => {
  try {
    parseFlags(argv, z.object({ year: z.coerce.number().int().min(2016), limit: z.coerce.number().int().max(500).optional() }).strict());
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('accepted');
};

/** A refused flag is told as the API tells a refused field: the flag and the rule, in English first, then in Chinese with its label. */
describe('parseFlags: a refused flag in both languages', () => {
  it('names the flag and the rule in English, then the Chinese label and the rule in Chinese', () => {
    const e = refusal(['--year', '1999']);
    expect(e.code).toBe('CLI_INVALID_INPUT');
    expect(e.message).toBe('--year: Too small: expected number to be >=2016\n  “年度”（year）：不得小于 2016');
  });
  it('every refused flag gets its two lines', () => {
    const lines = refusal(['--year', '1999', '--limit', '9999']).message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^--limit: /);
    expect(lines[3]).toMatch(/[\u4e00-\u9fff]/);
  });
});

const refusedBy = async (run: () => unknown): Promise<CliError> => {
  try {
    await run();
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('accepted');
};

/**
 * The commands that check a value themselves (a positional id, a flag's JSON payload, the actor the
 * flags make) tell a refusal as parseFlags does (inputRefusal): English first, then Chinese with the label.
 */
describe('every refusal of input, in both languages', () => {
  const STEP = ['--project', 'prj-song-2016-0001', '--as', 'wang.fang'];

  it('a positional id: its placeholder and the Chinese label of the id', async () => {
    const e = await refusedBy(() => runFundShow(['not-an-id'], undefined as never, () => undefined));
    expect(e.code).toBe('CLI_INVALID_INPUT');
    expect(e.message).toBe('<fund id>: must look like fund-<county>-<year>-<serial>\n  “资金编号”（<fund id>）：格式应为 fund-<县>-<年度>-<编号>');
  });

  it('a field of --data: the flag and the field’s path, and the field’s label', async () => {
    const e = await refusedBy(() => parseStep([...STEP, '--step', 'ApproveAtCounty', '--role', 'county-official', '--data', '{}']));
    expect(e.message).toBe('--data.documentNumber: Invalid input: expected string, received undefined\n  “文号”（data.documentNumber）：必填');
  });

  it('--data that is not JSON, or holds a field the step does not take', async () => {
    const notJson = await refusedBy(() => parseStep([...STEP, '--step', 'ApproveAtTownship', '--role', 'township-official', '--data', '{bad']));
    expect(notJson.message).toMatch(/^--data: is not JSON: .*\n {2}“办理内容”（data）：不是有效的 JSON$/);
    const extra = await refusedBy(() => parseStep([...STEP, '--step', 'ApproveAtTownship', '--role', 'township-official', '--data', '{"opinion":"同意","opnion":"同意"}']));
    expect(extra.message.split('\n')).toEqual(['--data: Unrecognized key: "opnion"', '  “办理内容”（data）含有不接受的字段：opnion']);
  });

  it('the actor: the flag that sets each of its fields, not the actor’s keys', async () => {
    const county = await refusedBy(() => actorFrom({ as: 'w.team', role: 'work-team' }));
    expect(county.message).toBe('--county: a county-scoped role needs a countyId\n  “县”（county）：县级角色须注明所在县');
    const user = await refusedBy(() => parseTokenIssue(['--user', 'system.relay', '--role', 'auditor']));
    expect(user.message.split('\n')[0]).toBe("--user: system.* user ids are the system's own; no token is issued for them");
    expect(user.message.split('\n')[1]).toMatch(/^ {2}“账号”（user）：.*[\u4e00-\u9fff]/);
  });

  it('a thing that is not there: its code, the English line, then the Chinese', async () => {
    const e = await refusedBy(() => printStatus(() => undefined, { en: 'complaint cp-song-0001', zh: '投诉举报 cp-song-0001' }, null));
    expect([e.code, e.message]).toEqual(['CLI_NOT_FOUND', 'no complaint cp-song-0001\n没有投诉举报 cp-song-0001']);
  });

  it('a flag node:util does not take', () => {
    expect(refusal(['--yaer', '2016']).message).toBe("Unknown option '--yaer'\n  不认识的选项：--yaer（tuopin help 列出各命令的选项）");
  });

  it('the fields of an object several flags make: each told by the flag that set it', () => {
    const e = inputRefusal(z.object({ fiscalYear: z.number().min(2016), place: z.object({ villageId: z.string() }) }).safeParse({ fiscalYear: 1999, place: {} }).error!, {
      fiscalYear: 'year',
      place: 'level',
      'place.villageId': 'village',
    });
    expect(e.message.split('\n')).toEqual([
      '--year: Too small: expected number to be >=2016',
      '  “年度”（year）：不得小于 2016',
      '--village: Invalid input: expected string, received undefined',
      '  “行政村编号”（village）：必填',
    ]);
  });
});

/** Every flag `tuopin help` lists, and every positional a command names in a refusal, has a Chinese label. */
describe('the labels a refusal names', () => {
  const usage = usageText('en');
  // --zh and --en choose the help's own language: not flags of a command.
  const flags = [...new Set([...usage.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!))].filter((f) => f !== 'zh' && f !== 'en');
  const commands = readdirSync(join(__dirname, 'commands')).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
  const positionals = [
    ...new Set(commands.flatMap((f) => [...readFileSync(join(__dirname, 'commands', f), 'utf8').matchAll(/inputRefusal\([^,]+, [`'](<[^>]+>)[`']\)/g)].map((m) => m[1]!))),
  ];

  it('finds them (the scan itself works)', () => {
    expect(flags).toEqual(expect.arrayContaining(['as', 'data', 'year', 'adopted-on']));
    expect(positionals).toEqual(expect.arrayContaining(['<fund id>', '<project id>']));
  });
  it.each([...flags, ...positionals.map((p) => p.replace('${kind}', 'fund'))])('%s', (name) => {
    expect({ name, label: FIELD_LABELS[fieldOfName(name)] }).toEqual({ name, label: expect.stringMatching(/[\u4e00-\u9fff]/) });
  });
});

describe('what an exit command did: the English scripts read first, then the Chinese', () => {
  it('a process started, or already started by the same request', () => {
    expect(startedLine({ repeated: false, workflowId: 'county-exit-song-2019', runId: 'r1' })).toBe('started county-exit-song-2019 (run r1) 已启动');
    expect(startedLine({ repeated: true, workflowId: 'county-exit-song-2019', runId: 'r1' })).toBe('already started county-exit-song-2019 (run r1) 此前已启动');
  });
  it('nobody awaited', () => {
    expect(nextLine(null)).toBe('; nobody is awaited（无待办）');
  });
});

describe('what the registry, benefit, complaint and fund commands did: the English scripts read first, then the Chinese', () => {
  it('an exit import, register, records and generate', () => {
    expect(importedLine('song-a.csv', { households: 3, members: 9, duplicate: false })).toBe('song-a.csv: 3 household(s), 9 people 3 户 9 人');
    expect(importedLine('song-a.csv', { households: 3, members: 9, duplicate: true })).toBe(
      'song-a.csv: 3 household(s), 9 people (already imported: nothing written) 3 户 9 人（此前已导入，未写入）',
    );
    expect(importSummaryLine(12, 4, 1)).toBe('12 household(s) registered from 4 file(s); 1 file(s) refused 已从 4 个文件登记 12 户，1 个文件被拒绝');
    expect(importSummaryLine(0, 1, 0, 1)).toBe(
      '0 household(s) registered from 1 file(s) (1 of them already imported: nothing written); 0 file(s) refused 已从 1 个文件登记 0 户（其中 1 个文件此前已导入，未写入），0 个文件被拒绝',
    );
    expect(registeredLine('imp-1', 42)).toBe('registered (import imp-1) at store position 42 已登记');
    expect(registeredLine('imp-1', undefined)).toMatch(/^registered \(import imp-1\) at store position \(already registered by this same request\) 此前已由同一请求登记$/);
    expect(recordsLine(5, 1, 2)).toBe('5 household(s) recorded; 1 refused; 2 flagged for return-to-poverty review 已记录 5 户，拒绝 1 户，2 户转入返贫审核');
    expect(generatedLine({ files: 3, households: 80, people: 253 }, '/tmp/x', 'tuopin', { num: 1, den: 100 })).toBe(
      '3 village file(s), 80 households, 253 people written to /tmp/x (seed tuopin, scale 1/100) 已写出 3 个村的文件，80 户 253 人',
    );
  });
  it('a benefit round drafted and stepped, with its phase in Chinese', () => {
    expect(roundListLine({ lineCount: 2, listTotal: 200_000 }, 1)).toBe('list: 2 household(s), 2,000.00元; 1 left off by the rule 名单 2 户，合计 2,000.00元，按规则排除 1 户');
    expect(roundStepLine('approve', { phase: 'awaiting-payment' })).toBe('approve: the round is at awaiting-payment (待拨付)');
    expect(roundStepLine('pay', { phase: 'closed', summary: { listTotal: 200_000, paid: 100_000, returned: 100_000 } })).toBe(
      'pay: the round is at closed (已结束); list 2,000.00元, paid 1,000.00元, returned 1,000.00元（名单 2,000.00元，已拨付 1,000.00元，已退回 1,000.00元）',
    );
  });
  it('a complaint taken in and answered', () => {
    expect(complaintRecordedLine({ duplicate: false, complaintId: 'cmp-song-1', answerBy: '2019-05-16' })).toBe(
      'recorded cmp-song-1; the answer is due by 2019-05-16 已受理，答复期限 2019-05-16',
    );
    expect(complaintAnsweredLine('cmp-song-1', { phase: 'answered', escalation: null })).toBe('cmp-song-1: answered (已答复)');
    expect(complaintAnsweredLine('cmp-song-1', { phase: 'answered', escalation: 'county' })).toBe("cmp-song-1: answered (已答复), after the county's escalation（县级督办后）");
  });
  it("a fund flow's checks, each rule with its Chinese", () => {
    expect(flowCheckLine({ rule: 'payments add up to paid', holds: true, left: 5 as Fen, right: 5 as Fen })).toBe('  ok     payments add up to paid 各笔拨付之和 = 已拨付');
    expect(flowCheckLine({ rule: 'returns add up to returned', holds: false, left: 100 as Fen, right: 0 as Fen })).toBe(
      '  BROKEN returns add up to returned: 1.00元 ≠ 0.00元 各笔收回之和 = 已收回（不符）',
    );
    for (const rule of FLOW_RULES) expect(FUND_FLOW_RULE_NAMES[rule].zh).toMatch(/[\u4e00-\u9fff]/);
  });
  it("token keygen's comments", () => {
    expect(keygenLines({ signing: 'k1=s', public: 'k1=p' })).toEqual([
      "API_TOKEN_SIGNING_KEY=k1=s   # the issuer only; keep it out of the API's environment 仅签发方使用，勿放入 API 的环境",
      'API_TOKEN_PUBLIC_KEYS=k1=p   # the API; add beside the old one to rotate 供 API 使用；轮换时加在旧公钥旁',
    ]);
  });
});
