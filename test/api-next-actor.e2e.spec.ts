import { sql } from 'kysely';
import type { Actor } from '../domain/shared/actor';
import { rebuildProjection } from '../infra/projections/rebuild';
import { projectSummary } from '../infra/projections/project-summary';
import { runProjectList } from '../cli/commands/project-queries';
import type { ProjectSummary } from '../services/project-queries';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { APPROVER, startProject, step, TOWNSHIP } from './support/project-walk';

jest.setTimeout(120_000);

/** Waits for the projector: polls until `ok` holds (not a timed assertion; it gives up after a minute). */
const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
  for (let i = 0; ; i++) {
    const v = await read();
    if (ok(v) || i > 600) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
};

type ListPage = { items: ProjectSummary[]; next: string | null };

describe('who a project waits for: in the read model, GET /projects (with nextRole=), GET /projects/:id and tuopin project list', () => {
  let stack: TestStack;
  let api: TestApi;
  const ids = { proposed: '', reviewed: '', cancelled: '' };

  const list = async (actor: Actor, query: Record<string, string>) => {
    const r = await api.app.inject({ method: 'GET', url: '/projects', query, headers: await api.bearer(actor) });
    expect(r.statusCode).toBe(200);
    return r.json<ListPage>();
  };
  const nextOf = async () =>
    Object.fromEntries(
      (await stack.db.appDb.selectFrom('project_summary').select(['project_id', 'stage', 'next_role', 'next_county_id']).execute()).map((r) => [r.project_id, [r.stage, r.next_role, r.next_county_id]]),
    );

  beforeAll(async () => {
    stack = await startTestStack('api-next-actor');
    api = await startTestApi(stack);
    const [a, b, c] = await Promise.all([startProject(stack), startProject(stack), startProject(stack)]);
    [ids.proposed, ids.reviewed, ids.cancelled] = [a!, b!, c!].map((h) => h.workflowId.replace(/^project-/, '')) as [string, string, string];
    await step(b!, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP });
    await step(c!, { type: 'CancelProject', data: { reason: '村里另有安排' }, actor: APPROVER });
    await until(nextOf, (rows) => rows[ids.reviewed]?.[0] === 'township-reviewed' && rows[ids.cancelled]?.[0] === 'cancelled');
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  it('the projection keeps the next actor of each stage: township, then county official of the county; none once cancelled', async () => {
    expect(await nextOf()).toEqual({
      [ids.proposed]: ['proposed', 'township-official', 'song'],
      [ids.reviewed]: ['township-reviewed', 'county-official', 'song'],
      [ids.cancelled]: ['cancelled', null, null],
    });
  });

  it('GET /projects answers it, and nextRole= lists what waits for a role, in the reader’s county', async () => {
    const all = await list(TOWNSHIP, {});
    expect(Object.fromEntries(all.items.map((p) => [p.projectId, p.nextActor]))).toEqual({
      [ids.proposed]: { role: 'township-official', countyId: 'song' },
      [ids.reviewed]: { role: 'county-official', countyId: 'song' },
      [ids.cancelled]: null,
    });
    expect((await list(TOWNSHIP, { nextRole: 'township-official' })).items.map((p) => p.projectId)).toEqual([ids.proposed]);
    expect((await list(APPROVER, { nextRole: 'county-official', county: 'song' })).items.map((p) => p.projectId)).toEqual([ids.reviewed]);
    expect((await list({ userId: 'audit.1', role: 'auditor' }, { nextRole: 'county-finance' })).items).toEqual([]);
    // A township official of another county asking for their own sees none of these.
    expect((await list({ userId: 'twp.luanchuan', role: 'township-official', countyId: 'luanchuan' }, { nextRole: 'township-official' })).items).toEqual([]);
    const bad = await api.app.inject({ method: 'GET', url: '/projects', query: { nextRole: 'mayor' }, headers: await api.bearer(TOWNSHIP) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ issues: { field: string }[] }>().issues.map((i) => i.field)).toEqual(['querystring.nextRole']);
  });

  it('GET /projects/:id answers it beside the workflow’s live status, which names the same role first', async () => {
    const r = await api.app.inject({ method: 'GET', url: `/projects/${ids.reviewed}`, headers: await api.bearer(APPROVER) });
    expect(r.statusCode).toBe(200);
    const body = r.json<{ summary: ProjectSummary; status: { nextActor: { roles: string[] } } }>();
    expect(body.summary.nextActor).toEqual({ role: 'county-official', countyId: 'song' });
    expect(body.status.nextActor.roles[0]).toBe(body.summary.nextActor!.role);
  });

  it('tuopin project list shows it as a column, and filters by --next-role', async () => {
    const lines: string[] = [];
    await runProjectList(['--county', 'song'], stack.db.appDb, (l = '') => lines.push(l));
    expect(lines[0]).toMatch(/\bnext\b/);
    const row = (id: string) => lines.find((l) => l.includes(id)) ?? '';
    expect(row(ids.proposed)).toContain('township-official@song');
    expect(row(ids.reviewed)).toContain('county-official@song');
    expect(row(ids.cancelled)).toContain('—');
    const json: string[] = [];
    await runProjectList(['--next-role', 'county-official', '--json'], stack.db.appDb, (l = '') => json.push(l));
    expect(JSON.parse(json.join('\n'))).toEqual(expect.objectContaining({ items: [expect.objectContaining({ projectId: ids.reviewed, nextActor: { role: 'county-official', countyId: 'song' } })] }));
  });

  it('rows projected before the column existed get it from a rebuild (tuopin projection rebuild project_summary)', async () => {
    // As a live table migrated by 20261129123000 holds them: the column there, empty.
    await sql`UPDATE project_summary SET next_role = NULL, next_county_id = NULL`.execute(stack.db.adminDb);
    const r = await rebuildProjection(stack.db.adminDb, projectSummary, { batchSize: 2 });
    expect(r.events).toBeGreaterThan(0);
    expect(await nextOf()).toEqual({
      [ids.proposed]: ['proposed', 'township-official', 'song'],
      [ids.reviewed]: ['township-reviewed', 'county-official', 'song'],
      [ids.cancelled]: ['cancelled', null, null],
    });
  });
});
