import Fastify from 'fastify';
import type { Fen } from '../domain/shared/money';
import { apiApp } from '../api/app';
import { apiDepsOf } from '../api/deps';
import { randomBytes } from 'node:crypto';
import { devSignInEnabled, parseConfig } from '../infra/config';
import { generateTokenKeyPair } from '../infra/tokens/token-keys';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { appropriate, FINANCE, fundFrom, startConstruction, startProject, toLibrary, TOWNSHIP } from './support/project-walk';

jest.setTimeout(180_000);

type Work = { items: { project: { projectId: string }; action: string | null; overdueLevel: string | null; live: boolean }[] };
type File = {
  file: { status: string; villageRecord: { minutesRef: string }; allocations: Record<string, { source: string; amount: number }> };
  offered: { steps: { type: string }[] };
  payments: { milestone: string; ok: boolean; roomFen?: number; refusal?: { code: string } }[];
};

describe('the web UI’s endpoints: development sign-in, who am I, my work, a project’s file with what I may do', () => {
  let stack: TestStack;
  let api: TestApi;
  let proposed = '';
  let building = '';

  beforeAll(async () => {
    stack = await startTestStack('api-desk');
    api = await startTestApi(stack);
    await appropriate(stack.db.appDb, 'fund-song-2016-desk', 'central', 300_000_000);
    const [a, b] = await Promise.all([startProject(stack), startProject(stack, { budget: 100_000_000 as Fen })]);
    proposed = a.workflowId.replace(/^project-/, '');
    building = b.workflowId.replace(/^project-/, '');
    await toLibrary(b);
    await fundFrom(b, 'fund-song-2016-desk', 100_000_000);
    await startConstruction(b, 100_000_000);
    // The read model trails the store by a moment.
    await until('both projects in project_summary, one under construction', () => stack.db.appDb.selectFrom('project_summary').select(['project_id', 'stage']).execute(), {
      ok: (rows) => rows.some((r) => r.project_id === building && r.stage === 'under-construction') && rows.some((r) => r.project_id === proposed),
      intervalMs: 100,
    });
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  it('the development sign-in is off in production mode (or with API_DEV_SIGN_IN=off): its routes say so, and no token is issued', async () => {
    // Production mode with the issuer's public key only: the API cannot mint, and offers no sign-in.
    const pair = generateTokenKeyPair('prod1', randomBytes(32));
    const own = parseConfig({
      ...process.env,
      ...stack.env,
      TUOPIN_MODE: 'production',
      MEMBER_KEY_SALT: 'a-salt-of-this-deployment-only',
      PII_MASTER_KEY: randomBytes(32).toString('base64'),
      API_TOKEN_PUBLIC_KEYS: pair.public,
    });
    expect(devSignInEnabled(own)).toBe(false);
    expect(devSignInEnabled(stack.cfg)).toBe(true);
    expect(devSignInEnabled({ ...stack.cfg, API_DEV_SIGN_IN: 'off' })).toBe(false);
    const app = Fastify({ logger: false });
    await app.register(apiApp(apiDepsOf(own, { client: stack.client, db: stack.db.appDb }, { taskQueue: stack.taskQueue })));
    await app.ready();
    try {
      expect((await app.inject({ method: 'GET', url: '/auth/config' })).json()).toEqual({ devSignIn: false });
      const r = await app.inject({ method: 'POST', url: '/auth/dev-sign-in', payload: { userId: 'wang.fang' } });
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ code: 'DEV_SIGN_IN_OFF' });
      expect((await app.inject({ method: 'GET', url: '/auth/directory' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('in development mode it is on: the directory, a token for a directory account (its role and county are the directory’s), and /me', async () => {
    const app = api.app;
    {
      const dir = (await app.inject({ method: 'GET', url: '/auth/directory' })).json<{ items: { userId: string; role: string; countyId?: string }[] }>();
      expect(dir.items).toContainEqual({ userId: 'wang.fang', name: '王芳', role: 'township-official', countyId: 'song' });
      expect(new Set(dir.items.map((e) => e.countyId).filter(Boolean)).size).toBe(13);
      const signed = await app.inject({ method: 'POST', url: '/auth/dev-sign-in', payload: { userId: 'wang.fang' } });
      expect(signed.statusCode).toBe(200);
      const me = await app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${signed.json<{ token: string }>().token}` } });
      expect(me.json()).toEqual({
        userId: 'wang.fang',
        role: 'township-official',
        countyId: 'song',
        name: '王芳',
        actions: expect.arrayContaining(['project.township-review', 'read']),
      });
      expect(me.json<{ actions: string[] }>().actions).not.toContain('project.county-review');
      // Only the directory's accounts, and nothing but the account id may be asked for.
      expect((await app.inject({ method: 'POST', url: '/auth/dev-sign-in', payload: { userId: 'mallory' } })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: '/auth/dev-sign-in', payload: { userId: 'wang.fang', role: 'auditor' } })).statusCode).toBe(400);
    }
  });

  it('my work: the township official of 嵩县 has the proposal to review and the works to report on, live; finance has nothing (the works wait for a progress report, not a payment); another county has nothing', async () => {
    const twp = (await api.app.inject({ method: 'GET', url: '/my-work', headers: await api.bearer(TOWNSHIP) })).json<Work>();
    // Neither is overdue nor has a deadline: in project id order.
    expect(twp.items.map((i) => [i.project.projectId, i.action, i.live])).toEqual(
      [
        [proposed, 'project.township-review', true],
        [building, 'project.report-milestone', true],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(twp.items.every((i) => i.overdueLevel === null)).toBe(true);
    const fin = (await api.app.inject({ method: 'GET', url: '/my-work', headers: await api.bearer(FINANCE) })).json<Work>();
    expect(fin.items).toEqual([]);
    const other = (
      await api.app.inject({ method: 'GET', url: '/my-work', headers: await api.bearer({ userId: 'twp.lc', role: 'township-official', countyId: 'luanchuan' }) })
    ).json<Work>();
    expect(other.items).toEqual([]);
  });

  it('a project’s file: the township official may approve or reject the proposal, finance nothing; under construction finance may pay the advance’s room', async () => {
    const asTwp = (await api.app.inject({ method: 'GET', url: `/projects/${proposed}/file`, headers: await api.bearer(TOWNSHIP) })).json<File>();
    expect(asTwp.file.status).toBe('proposed');
    expect(asTwp.file.villageRecord.minutesRef).toBe('song-chezhen-2016-007');
    expect(asTwp.offered.steps.map((s) => s.type)).toEqual(['SetPerformanceTarget', 'ApproveAtTownship', 'RejectProject']);
    expect((await api.app.inject({ method: 'GET', url: `/projects/${proposed}/file`, headers: await api.bearer(FINANCE) })).json<File>().offered.steps).toEqual([]);

    const asFin = (await api.app.inject({ method: 'GET', url: `/projects/${building}/file`, headers: await api.bearer(FINANCE) })).json<File>();
    expect(asFin.offered.steps.map((s) => s.type)).toEqual(['RecordPayment']);
    expect(Object.values(asFin.file.allocations)).toEqual([expect.objectContaining({ source: 'central', amount: 100_000_000 })]);
    // 30% of the 100万 contract.
    expect(asFin.payments.find((p) => p.milestone === 'advance')).toMatchObject({ ok: true, roomFen: 30_000_000 });
    expect(asFin.payments.find((p) => p.milestone === 'settlement')).toMatchObject({ ok: false, refusal: { code: 'PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE' } });

    const outside = await api.app.inject({
      method: 'GET',
      url: `/projects/${building}/file`,
      headers: await api.bearer({ userId: 'fin.lc', role: 'county-finance', countyId: 'luanchuan' }),
    });
    expect(outside.statusCode).toBe(403);
    expect((await api.app.inject({ method: 'GET', url: '/projects/prj-song-2016-nosuch01/file', headers: await api.bearer(FINANCE) })).statusCode).toBe(404);
  });
});
