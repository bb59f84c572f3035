import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { jetstreamManager } from '@nats-io/jetstream';
import { sql } from 'kysely';
import { config, parseConfig } from '../infra/config';
import { connectNats, ensureEventStream } from '../infra/nats';
import { connectTemporal } from '../infra/temporal-client';
import { importHouseholdFile } from '../infra/registry/register';
import { CSV_COLUMNS, toCsvLine } from '../infra/registry/file-format';
import { memberKey } from '../infra/personal-data/keys';
import { generateCounty } from '../domain/synthetic';
import type { Actor } from '../domain/shared/actor';
import type { Fen } from '../domain/shared/money';
import { startAll } from '../workers/main';
import { appropriateFund } from '../services/appropriate-fund';
import { benefitRoundStatus, recordBenefitFact, sendBenefitRoundStep, setHouseholdAccount, startBenefitRound } from '../services/benefits';
import { runEventStoreBench } from './eventstore';
import { createBenchDatabase } from './benchdb';
import { line, measured, seconds } from './stats';
import { exitOnError } from './exit-on-error';

/**
 * One county-wide benefit round on the real stack (Temporal dev server, PostgreSQL, the relay and
 * projectors): `n` 嵩县 households registered, each with a 中职 student and a 一卡通 account, one
 * 2018 中职助学金 round drawn up from the store, 公示 (2 s), township review, county approval, then
 * county finance pays every household through the rail and the round closes reconciled to the fen.
 * Reports households/s from the draft to the close and the process's peak memory.
 */
export interface BenefitRoundBenchOptions {
  readonly households: number;
  readonly batchSize: number;
  readonly log: (s: string) => void;
}

const who = (userId: string, role: Actor['role']): Actor => ({ userId, role, countyId: 'song' });

const pool = async <T>(items: readonly T[], n: number, work: (t: T) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
};

export const runBenefitRoundBench = async (o: BenefitRoundBenchOptions): Promise<void> => {
  const { log } = o;
  const memory = { rss: 0, heap: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    memory.rss = Math.max(memory.rss, m.rss);
    memory.heap = Math.max(memory.heap, m.heapUsed);
  }, 200);
  const bench = await createBenchDatabase(4);
  const nc = await connectNats(config().NATS_URL, 'bench-benefit');
  const jsm = await jetstreamManager(nc);
  const id = `benchbr${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const streamName = `BENCH_${id.toUpperCase()}`;
  await ensureEventStream(jsm, streamName, `bench.${id}`);
  const cfg = parseConfig({
    ...process.env,
    DATABASE_URL: bench.appUrl,
    DATABASE_ADMIN_URL: bench.adminUrl,
    NATS_STREAM: streamName,
    NATS_SUBJECT_PREFIX: `bench.${id}`,
    TEMPORAL_TASK_QUEUE: `${id}-projects`,
    TEMPORAL_EXIT_TASK_QUEUE: `${id}-exits`,
    LOG_LEVEL: 'warn',
  });
  const all = await startAll(cfg);
  const client = await connectTemporal(cfg);
  const db = bench.appDb;
  const events = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(db)).rows[0]!.n);
  try {
    // 嵩县's registered poor are 18,099 synthetic households; a larger round draws on a county scaled up (tenths) to hold it.
    const full = generateCounty('song', { seed: 'bench-benefit' });
    const tenths = Math.max(10, Math.ceil((10 * o.households) / full.households.length));
    const reg = tenths === 10 ? full : generateCounty('song', { seed: 'bench-benefit', scale: { num: tenths, den: 10 } });
    if (reg.households.length < o.households) throw new Error(`嵩县 at ${tenths / 10}× has ${reg.households.length} synthetic households; asked for ${o.households}`);
    const households = reg.households.slice(0, o.households);
    const villages = [...new Set(households.map((h) => h.villageId))];
    log(
      `嵩县 Song${tenths === 10 ? '' : ` scaled ${tenths / 10}× (the real county has ${full.households.length})`}: ${households.length} households in ${villages.length} villages, one township round of 中职国家助学金 2018 (2,000元 each), batches of ${o.batchSize}`,
    );

    // Setup (not in the figure): the register, each household's student and account, the fund.
    let t = process.hrtime.bigint();
    const byVillage = new Map<string, (typeof households)[number][]>();
    for (const h of households) byVillage.set(h.villageId, [...(byVillage.get(h.villageId) ?? []), h]);
    // One file at a time: imports take the registry lock in turn, and one that waits more than 10 s for it is refused.
    await pool([...byVillage.entries()], 1, async ([v, rows]) => {
      const text = [CSV_COLUMNS.join(','), ...rows.map((r) => toCsvLine(r))].join('\n');
      await importHouseholdFile(db, { name: `${v}.csv`, text, actor: who('li.county', 'county-official'), salt: cfg.MEMBER_KEY_SALT });
    });
    const twp = who('wang.twp', 'township-official');
    const now = () => new Date().toISOString();
    await pool(households, 8, async (h) => {
      const child = h.members.at(-1)!;
      await recordBenefitFact(db, cfg.MEMBER_KEY_SALT, {
        type: 'RecordMemberAttributes',
        data: {
          householdId: h.householdId,
          memberKey: memberKey(child.idNumber, cfg.MEMBER_KEY_SALT),
          labourCapacity: 'none',
          disabilityGrade: null,
          schooling: { level: 'secondary-vocational', schoolYear: 2018, boarding: false, evidenceRef: `xj-${h.householdId}` },
          dibao: false,
          extremePoverty: null,
          welfareJob: null,
          training: null,
        },
        meta: { actor: twp, now: now() },
      });
      const digits = h.householdId.replace(/\D/g, '').padStart(8, '0').slice(-8);
      await setHouseholdAccount(db, cfg.MEMBER_KEY_SALT, {
        householdId: h.householdId,
        accountNumber: `62170000${digits}`,
        bank: '嵩县农商银行',
        reason: '惠农一卡通开户',
        actor: twp,
        now: now(),
      });
    });
    const fundId = `fund-song-2018-bench${randomBytes(2).toString('hex')}`;
    const fin = who('qian.finance', 'county-finance');
    const f = await appropriateFund(db, {
      type: 'AppropriateFund',
      data: { fundId, source: 'central', fiscalYear: 2018, countyId: 'song', documentNumber: '豫财教〔2018〕1号', amount: (o.households * 200_000) as Fen, earmark: ['education'] },
      meta: { actor: fin, now: now() },
    });
    if (!f.ok) throw new Error(f.error.code);
    log(line(measured('setup: register, student and account per household, fund', await events(), seconds(t))));

    // The round: drawn up from the store → 公示 → review → approval → every household paid → closed.
    t = process.hrtime.bigint();
    const before = await events();
    const started = await startBenefitRound(client, cfg.TEMPORAL_TASK_QUEUE, {
      programmeId: 'secondary-vocational-grant',
      townshipId: 'twp-song-bench',
      villageIds: villages,
      period: '2018',
      drafter: who('li.county', 'county-official'),
      noticeSeconds: 2,
      minNoticeSeconds: 1,
      batchSize: o.batchSize,
    });
    const drafted = seconds(t);
    const roundId = started.roundId;
    const until = async (phase: string) => {
      for (;;) {
        const s = await benefitRoundStatus(client, roundId);
        if (s?.phase === phase) return s;
        if (s?.phase === 'refused') throw new Error(`round refused: ${JSON.stringify(s.error)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    await sendBenefitRoundStep(client, roundId, { type: 'postNotice', actor: twp });
    await until('township-review');
    const noticed = seconds(t);
    await sendBenefitRoundStep(client, roundId, { type: 'review', actor: who('zhao.twp', 'township-official'), approved: true, note: '同意' });
    await sendBenefitRoundStep(client, roundId, { type: 'approve', actor: who('zhang.county', 'county-official'), approved: true, note: '同意拨付' });
    const paying = process.hrtime.bigint();
    const approvedAt = seconds(t);
    await sendBenefitRoundStep(client, roundId, { type: 'disburse', actor: fin, fundId });
    // Per phase: when the last batch is recorded (status polled every 250 ms), then the close.
    const batches = Math.ceil(o.households / o.batchSize);
    let lastBatch = 0;
    const closed = await (async () => {
      for (;;) {
        const st = await benefitRoundStatus(client, roundId);
        if (lastBatch === 0 && (st?.batchesDone ?? 0) >= batches) lastBatch = seconds(paying);
        if (st?.phase === 'closed') return st;
        if (st?.phase === 'refused') throw new Error(`round refused: ${JSON.stringify(st.error)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const paySeconds = seconds(paying);
    const wall = seconds(t);
    const s = closed.summary!;
    if (s.listTotal !== s.paid + s.returned || (s.counts.paid ?? 0) !== o.households) throw new Error(`not reconciled: ${JSON.stringify(s)}`);
    log(line(measured('benefit round: draft → 公示 (2 s) → approval → all paid → closed', (await events()) - before, wall)));
    log(
      `  draft ${drafted.toFixed(2)} s; 公示 and its wait to ${noticed.toFixed(2)} s; review and approval to ${approvedAt.toFixed(2)} s; ${batches} payment batches ${(lastBatch || paySeconds).toFixed(2)} s, close ${lastBatch && paySeconds - lastBatch >= 0.25 ? `${(paySeconds - lastBatch).toFixed(2)} s` : 'within one 250 ms status poll'}`,
    );
    log(
      `  payment and close ${paySeconds.toFixed(2)} s: ${(o.households / paySeconds).toFixed(1)} households/s paid; ${(o.households / wall).toFixed(1)} households/s draft to close (target: 20,000 in ≤ 60 s, ${o.households === 20_000 ? (wall <= 60 ? 'met' : 'NOT met') : 'run at 20,000 to tell'}); load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    log(`  reconciled: list ${s.listTotal / 100}元 = paid ${s.paid / 100}元 + returned ${s.returned / 100}元, ${s.counts.paid} households paid`);
    log(`  peak RSS ${(memory.rss / 2 ** 20).toFixed(0)} MiB, peak heap ${(memory.heap / 2 ** 20).toFixed(0)} MiB (bench driver, worker, relay and projectors in one process)`);
  } finally {
    clearInterval(sampler);
    await client.connection.close();
    await all.stop();
    await jsm.streams.delete(streamName).catch(() => false);
    await nc.close();
    await bench.drop();
  }
};

if (require.main === module) {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : dflt;
  };
  const log = (s: string) => process.stdout.write(`${s}\n`);
  (async () => {
    // The store's raw append rate in the same run, for comparison.
    log('== event store (quick)');
    await runEventStoreBench({ singleAppends: 2_000, batchAppends: 200, batchSize: 10, plainInserts: 2_000, log });
    log('== benefit round');
    await runBenefitRoundBench({ households: Number(arg('benefit-households', '20000')), batchSize: Number(arg('batch-size', '200')), log });
  })().then(() => process.exit(0), exitOnError);
}
