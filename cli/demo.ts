import { config } from '../infra/config';
import { createDb } from '../infra/database';
import { connectNats } from '../infra/nats';
import { connectTemporal } from '../infra/temporal-client';
import { countyById } from '../domain/reference/counties';
import { formatWan } from '../domain/shared/money';
import { startAll } from '../workers/main';
import { CliError } from './args';
import { parseProposal } from './commands/project-propose';
import { startProposal } from '../services/project-proposals';
import { takeStep } from './commands/project-step';
import { waitForNatsMessage, waitForProposal, waitForSummary } from './commands/project-path';

/**
 * `npm run demo`: the embedded stack is up (the npm script brings it up first); this starts the
 * worker, relay and projector in-process, proposes a handful of the plan's projects, shows each
 * one's path through Temporal, the store, JetStream and the read model, and stops cleanly.
 */
const say = (line = '') => process.stdout.write(`${line}\n`);

const record = (minutesRef: string) =>
  JSON.stringify({
    partyBranchProposedOn: '2016-03-01',
    twoCommitteesDeliberatedOn: '2016-03-04',
    partyMembersReviewedOn: '2016-03-07',
    villagersResolvedOn: '2016-03-10',
    resolutionPublishedOn: '2016-03-12',
    minutesRef,
  });

// Projects of the kinds the plan funds, in the plan's counties; the road states its basis: the province pays up to 35万/km of it.
const PROPOSALS: Record<string, string>[] = [
  { as: 'song.cz.official', county: 'song', category: 'transport', name: '车村镇行政村道路改造 3 公里', budget: '105万', year: '2016', subsidy: 'village-road-renovation:3000' },
  { as: 'luanchuan.official', county: 'luanchuan', category: 'industry', name: '乡村旅游扶贫示范点', budget: '280万', year: '2016' },
  { as: 'luoning.official', county: 'luoning', category: 'water', name: '农村饮水安全巩固提升', budget: '96.5万', year: '2017' },
  { as: 'ruyang.official', county: 'ruyang', category: 'education', name: '贫困村小学改造', budget: '150万', year: '2017' },
  { as: 'yiyang.official', county: 'yiyang', category: 'power-telecom', name: '贫困村宽带网络覆盖', budget: '42.75万', year: '2018' },
];

const main = async () => {
  const cfg = config();
  say('tuopin demo — a county project proposal travels Temporal → PostgreSQL → NATS JetStream → read model');
  say(`  Temporal ${cfg.TEMPORAL_ADDRESS} (namespace ${cfg.TEMPORAL_NAMESPACE}), Web UI http://127.0.0.1:${cfg.TEMPORAL_UI_PORT}`);
  say(`  store ${cfg.DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')}, JetStream stream ${cfg.NATS_STREAM}`);
  say();
  say('starting the worker, the relay and the project_summary projector …');
  const all = await startAll(cfg);
  const client = await connectTemporal(cfg);
  const db = createDb(cfg.DATABASE_URL, { max: 2, applicationName: 'tuopin-demo' });
  const nc = await connectNats(cfg.NATS_URL, 'tuopin-demo');
  try {
    const proposed: string[] = [];
    for (const [i, p] of PROPOSALS.entries()) {
      const { record: _r, ...flags } = { ...p, 'village-record': record(`${p.county}-2016-${String(i + 1).padStart(3, '0')}`), record: '' };
      const { command } = parseProposal(Object.entries(flags).map(([k, v]) => `--${k}=${v}`));
      const county = countyById(command.data.countyId);
      say(`[${i + 1}/${PROPOSALS.length}] ${county.zh} ${command.data.name} (${command.data.category}, ${formatWan(command.data.budget)})`);
      const started = await startProposal(client, command, cfg.TEMPORAL_TASK_QUEUE);
      say(`      workflow   ${started.workflowId}  run ${started.runId}`);
      process.stdout.write('      store      waiting for the workflow to record the proposal … ');
      const rec = await waitForProposal(client, db, started.projectId);
      say(`position ${rec.position}, stream project-${started.projectId} v${rec.streamVersion}, event ${rec.eventId}`);
      process.stdout.write('      NATS       waiting for the relay … ');
      const seq = await waitForNatsMessage(nc, cfg.NATS_STREAM, `${cfg.NATS_SUBJECT_PREFIX}.project.${command.data.countyId}`, rec.eventId);
      say(`stream ${cfg.NATS_STREAM} seq ${seq}, Nats-Msg-Id ${rec.eventId}`);
      process.stdout.write('      read model waiting for the projector … ');
      const row = await waitForSummary(db, started.projectId, rec.position);
      say(`project_summary: stage ${row.stage}, budget ${row.budgetFen} fen, at position ${row.lastEventPosition}`);
      proposed.push(started.projectId);
    }

    const first = proposed[0]!;
    say();
    say(`human steps on ${first}, as Temporal Updates checked by the domain's rules:`);
    try {
      await takeStep(client, first, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: { userId: 'song.cz.official', role: 'township-official', countyId: 'song' } });
      throw new Error('the proposer was allowed to review their own project');
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      say(`      the proposer tries to review it:   refused [${e.code}] ${e.message.replace('\n', ' / ')}`);
    }
    const t = await takeStep(client, first, { type: 'ApproveAtTownship', data: { opinion: '同意，报县审批' }, actor: { userId: 'song.cz.township', role: 'township-official', countyId: 'song' } });
    say(`      the township reviews it:           ${t.stage} (store position ${t.positions.join(', ')})`);
    const c = await takeStep(client, first, { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕12号' }, actor: { userId: 'song.county.director', role: 'county-official', countyId: 'song' } });
    say(`      the county approves it:            ${c.stage} (store position ${c.positions.join(', ')})`);
    say();
    say(`done: ${proposed.length} projects proposed and traced. The workflows wait for their next step;`);
    say(`watch them at http://127.0.0.1:${cfg.TEMPORAL_UI_PORT}/namespaces/${cfg.TEMPORAL_NAMESPACE}/workflows, or run ./bin/tuopin project list`);
  } finally {
    await nc.close();
    await db.destroy();
    await client.connection.close();
    await all.stop();
  }
};

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`\ndemo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
