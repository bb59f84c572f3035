import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { sql } from 'kysely';
import { temporal } from '@temporalio/proto';
import { issueToken } from '../infra/tokens/tokens';
import { developmentTokenKeys } from '../infra/tokens/token-keys';
import { freeLoopbackPort } from '../infra/temporal-runtime';
import { startTestStack, spawnWorker, type TestStack, type WorkerProcess } from '../test/support/stack';
import { until } from '../test/support/until';
import { APPROVER, startProject, step, TOWNSHIP } from '../test/support/project-walk';
import { updateIdOf } from '../services/project-updates';

// Two workers (each bundling the workflows) and the API, each started through tsx: 58–125 s on 2 cores beside other
// suites, 224 s with three CPU hogs added (of the 240 s this was), so the bound is twice that. The API's grace
// (SHUTDOWN_GRACE_MS) outlasts the second worker's start, which its drain waits for: 52 s beside other suites.
jest.setTimeout(480_000);

/** One request on a connection of its own: status and body, or the connection's error code (ECONNREFUSED). */
const request = (port: number, method: string, url: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; body: string } | { error: string }> =>
  new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port, method, path: url, agent: false, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(payload);
  });

describe('the API sent SIGTERM while an Update-backed step is under way', () => {
  let stack: TestStack;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    stack = await startTestStack('apidrain', { inProcessWorker: false });
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await stack?.stop();
  });

  it('stops accepting connections, answers the step once its workflow has decided it, closes its connections and exits 0', async () => {
    // A project waiting for the county's approval; then no worker, so the county's step, sent through the API, waits for one.
    const first = spawnWorker(stack);
    workers.push(first);
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    await step(h, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const port = await freeLoopbackPort();
    const api = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'server.ts')], {
      // At info: the drain's own lines are part of what is checked.
      env: { ...process.env, ...stack.env, LOG_LEVEL: 'info', API_HOST: '127.0.0.1', API_PORT: String(port), SHUTDOWN_GRACE_MS: '300000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let log = '';
    api.stdout!.on('data', (b: Buffer) => (log += b.toString()));
    const exited = new Promise<number | string | null>((resolve) => api.once('exit', (code, signal) => resolve(signal ?? code)));
    try {
      // The API's start (tsx compiling its sources) took 22 s beside other suites: the wait's bound is the start's, not a minute.
      await until('the API answering /healthz', () => request(port, 'GET', '/healthz'), { ok: (r) => 'status' in r && r.status === 200, intervalMs: 100, timeoutMs: 180_000 });
      const token = (await issueToken(developmentTokenKeys(), APPROVER, 600)).token;
      const requestId = `drain-${projectId}`;
      const body = { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕12号' } } as const;
      const approving = request(port, 'POST', `/projects/${projectId}/steps`, { authorization: `Bearer ${token}`, 'idempotency-key': requestId }, body);
      let answered = false;
      void approving.then(() => (answered = true));
      // The step has reached the API before the signal: its Update (the id the API derives from the request) is
      // admitted by Temporal, with no worker to take it. A fixed pause was too short for a loaded machine.
      const updateId = updateIdOf(APPROVER.userId, 'step', requestId, { ...body, actor: APPROVER });
      const admitted = async () => {
        try {
          const r = await stack.client.workflowService.pollWorkflowExecutionUpdate({
            namespace: stack.cfg.TEMPORAL_NAMESPACE,
            updateRef: { workflowExecution: { workflowId: h.workflowId }, updateId },
            identity: 'shutdown-spec',
            waitPolicy: { lifecycleStage: temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED },
          });
          return r.stage ?? undefined;
        } catch (e) {
          // Not sent yet: Temporal does not know the Update.
          if ((e as { code?: number }).code === 5) return undefined;
          throw e;
        }
      };
      await until('the step’s Update admitted by Temporal', admitted, { intervalMs: 100 });
      expect(answered).toBe(false);

      api.kill('SIGTERM');
      // Draining: the listener is closed, so a new connection is refused, while the step still waits. (One that
      // arrives while the listener closes may be reset, or answered 503: asked again.)
      const refused = await until('a new connection refused', () => request(port, 'GET', '/healthz'), { ok: (r) => 'error' in r && r.error === 'ECONNREFUSED', intervalMs: 25 });
      expect(refused).toEqual({ error: 'ECONNREFUSED' });
      expect(answered).toBe(false);
      expect(api.exitCode).toBeNull();

      // A worker comes back: the workflow takes the Update, the API answers the step, then exits 0.
      workers.push(spawnWorker(stack));
      const r = await approving;
      expect(r).toMatchObject({ status: 200 });
      expect(JSON.parse((r as { body: string }).body)).toMatchObject({ stage: 'county-approved' });
      expect(await exited).toBe(0);
      expect(log).toMatch(/"msg":"draining: no new requests, finishing those under way"/);
      expect(log).toMatch(/"msg":"stopped cleanly"/);
      // Its connections are closed: the database has no session of the API's left.
      const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name = 'tuopin-api'
        AND datname = current_database()`.execute(stack.db.appDb);
      expect(Number(rows[0]!.n)).toBe(0);
    } finally {
      if (api.exitCode === null && api.signalCode === null) api.kill('SIGKILL');
    }
    expect((await h.describe()).status.name).toBe('RUNNING');
    await step(h, { type: 'CancelProject', data: { reason: '测试结束' }, actor: APPROVER });
    await h.result();
  });
});
