import Fastify from 'fastify';
import type { WorkflowHandle } from '@temporalio/client';
import { apiApp } from '../api/app';
import { apiDepsOf } from '../api/deps';
import { issueToken } from '../infra/tokens/tokens';
import type { Actor } from '../domain/shared/actor';
import { startTestStack, type TestStack } from '../test/support/stack';
import { APPROVER, startProject, step, TOWNSHIP } from '../test/support/project-walk';
import { line, measured, percentile } from './stats';
import { FLOOR_LABELS, startUpdateFloor, type FloorKind } from './floor/update-floor';
import { developmentTokenKeys } from '../infra/tokens/token-keys';
import { exitOnError } from './exit-on-error';

/**
 * A human approval through the HTTP API until the read model shows it: POST /projects/:id/steps
 * (township, then county approval) on the real Fastify app on a real listener (127.0.0.1, an
 * ephemeral port, Node's fetch with keep-alive), against the Temporal dev server with the worker,
 * the relay and the projectors running in this process. For each command: the time from sending
 * the request to the HTTP answer, and to project_summary showing the new stage (polled every 2 ms
 * from the answer on). Beside it, interleaved in the same run, the floors: a bare Update on a
 * project that its validator refuses (server and worker, nothing written, no HTTP), and on a
 * workflow of the bench's own (bench/floor) an accepted Update whose handler returns at once — the
 * floor the targets are measured against — and Updates awaiting a no-op local or regular activity.
 */
export interface ApiApprovalBenchOptions {
  /** Approval commands; two per project (township, county). */
  commands: number;
  log: (s: string) => void;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const total = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / 1000;
const pause = (n: number) => new Promise((r) => setTimeout(r, n));

const APPROVALS = [
  { actor: TOWNSHIP, body: { type: 'ApproveAtTownship', data: { opinion: '同意，报县审批' } }, stage: 'township-reviewed' },
  { actor: APPROVER, body: { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕12号' } }, stage: 'county-approved' },
] as const;

const stageOf = async (stack: TestStack, projectId: string): Promise<string | undefined> =>
  (await stack.db.appDb.selectFrom('project_summary').select('stage').where('project_id', '=', projectId).executeTakeFirst())?.stage;

const waitForStage = async (stack: TestStack, projectId: string, stage: string, pollMs: number): Promise<void> => {
  for (let i = 0; ; i++) {
    if ((await stageOf(stack, projectId)) === stage) return;
    if (i * pollMs > 60_000) throw new Error(`project_summary never showed ${projectId} at ${stage}`);
    await pause(pollMs);
  }
};

export const runApiApprovalBench = async (o: ApiApprovalBenchOptions): Promise<void> => {
  const { log } = o;
  const stack = await startTestStack('benchapi');
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
  await app.register(apiApp(apiDepsOf(stack.cfg, { client: stack.client, db: stack.db.appDb }, { taskQueue: stack.taskQueue, rateLimitPerMinute: 1_000_000 })));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const floor = await startUpdateFloor(stack.cfg, stack.client);
  try {
    const bearer = async (a: Actor) => `Bearer ${(await issueToken(developmentTokenKeys(), a, 3600)).token}`;
    const tokens = new Map<Actor, string>([
      [TOWNSHIP, await bearer(TOWNSHIP)],
      [APPROVER, await bearer(APPROVER)],
    ]);
    // One more project than the commands need: it takes the warm-up and then the bare Updates.
    const projects = Math.ceil(o.commands / APPROVALS.length) + 1;
    log(`-- ${projects} projects proposed (workflows started, read model rows awaited), then ${o.commands} approvals one at a time; real listener ${address}`);
    const handles: WorkflowHandle[] = [];
    // Proposals are not measured: started 8 at a time.
    for (let i = 0; i < projects; i += 8) handles.push(...(await Promise.all(Array.from({ length: Math.min(8, projects - i) }, () => startProject(stack)))));
    const ids = handles.map((h) => h.workflowId.replace(/^project-/, ''));
    for (const id of ids) await waitForStage(stack, id, 'proposed', 20);

    // The bare Update goes to a project past township review, where ApproveAtTownship is refused by the validator.
    const bare = handles[0]!;
    const bareUpdate = () => step(bare, { type: 'ApproveAtTownship', data: { opinion: 'x' }, actor: TOWNSHIP }).catch(() => undefined);
    const send = async (id: string, a: (typeof APPROVALS)[number]) => {
      const r = await fetch(`${address}/projects/${id}/steps`, {
        method: 'POST',
        headers: { authorization: tokens.get(a.actor)!, 'content-type': 'application/json' },
        body: JSON.stringify(a.body),
      });
      const body = await r.text();
      if (r.status !== 200) throw new Error(`POST /projects/${id}/steps ${a.body.type} answered ${r.status}: ${body.slice(0, 300)}`);
      return JSON.parse(body) as { stage: string };
    };
    // Warm-up: the first project through both approvals, then two bare Updates.
    for (const a of APPROVALS) {
      await send(ids[0]!, a);
      await waitForStage(stack, ids[0]!, a.stage, 2);
    }
    await bareUpdate();
    await bareUpdate();

    const floors: Record<FloorKind, number[]> = { refused: [], accepted: [], local: [], activity: [] };
    const bareMs: number[] = [];
    const answerMs: number[] = [];
    const shownMs: number[] = [];
    const lagMs: number[] = [];
    let n = 0;
    for (const a of APPROVALS) {
      for (const id of ids.slice(1)) {
        if (n >= o.commands) break;
        n++;
        for (const k of Object.keys(floors) as FloorKind[]) floors[k].push(await floor.time(k));
        let t0 = process.hrtime.bigint();
        await bareUpdate();
        bareMs.push(ms(t0));
        t0 = process.hrtime.bigint();
        const answer = await send(id, a);
        const answered = ms(t0);
        answerMs.push(answered);
        if (answer.stage !== a.stage) throw new Error(`${id}: the answer says ${answer.stage}, expected ${a.stage}`);
        await waitForStage(stack, id, a.stage, 2);
        shownMs.push(ms(t0));
        lagMs.push(shownMs.at(-1)! - answered);
      }
    }
    const lag = [...lagMs].sort((x, y) => x - y);
    const fl = Object.fromEntries((Object.keys(floors) as FloorKind[]).map((k) => [k, measured(FLOOR_LABELS[k], floors[k].length, total(floors[k]), floors[k])])) as Record<
      FloorKind,
      ReturnType<typeof measured>
    >;
    for (const k of Object.keys(fl) as FloorKind[]) log(line(fl[k]));
    const mb = measured('bare Update on a project, refused', bareMs.length, total(bareMs), bareMs);
    const ma = measured('POST /projects/:id/steps → HTTP answer', answerMs.length, total(answerMs), answerMs);
    const mr = measured('POST …/steps → project_summary has stage', shownMs.length, total(shownMs), shownMs);
    log(line(mb));
    log(line(ma));
    log(line(mr));
    const fa = fl.accepted;
    const met = (r: number, max: number) => `${r.toFixed(1)}× (target ≤ ${max}×: ${r <= max ? 'met' : 'NOT met'})`;
    log(`read model shows it / accepted bare Update: p50 ${met(mr.p50! / fa.p50!, 2)}, p99 ${met(mr.p99! / fa.p99!, 2)}`);
    log(`HTTP answer / accepted bare Update:        p50 ${(ma.p50! / fa.p50!).toFixed(1)}×, p99 ${(ma.p99! / fa.p99!).toFixed(1)}×`);
    log(`HTTP answer / refused bare Update:         p50 ${(ma.p50! / mb.p50!).toFixed(1)}×, p99 ${(ma.p99! / mb.p99!).toFixed(1)}×`);
    log(`read model shows it / refused bare Update: p50 ${(mr.p50! / mb.p50!).toFixed(1)}×, p99 ${(mr.p99! / mb.p99!).toFixed(1)}×`);
    log(
      `a no-op activity inside an Update costs (p50 over the accepted floor): ${(fl.activity.p50! - fa.p50!).toFixed(1)} ms; a no-op local activity: ${(fl.local.p50! - fa.p50!).toFixed(1)} ms`,
    );
    log(`read model shows it / HTTP answer: p50 ${(mr.p50! / ma.p50!).toFixed(1)}×, p99 ${(mr.p99! / ma.p99!).toFixed(1)}×`);
    log(`read model behind the HTTP answer (relay, JetStream, projector; 2 ms polls): p50 ${percentile(lag, 50).toFixed(1)} ms, p99 ${percentile(lag, 99).toFixed(1)} ms`);
  } finally {
    await floor.stop();
    await app.close();
    await stack.stop();
  }
};

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  runApiApprovalBench({ commands: quick ? 40 : 500, log: (s) => process.stdout.write(`${s}\n`) }).then(() => process.exit(0), exitOnError);
}
