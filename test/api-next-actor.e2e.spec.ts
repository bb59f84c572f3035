import { sql } from 'kysely';
import type { Actor } from '../domain/shared/actor';
import { rebuildProjection } from '../infra/projections/rebuild';
import { projectSummary } from '../infra/projections/project-summary';
import { runProjectList } from '../cli/commands/project-list';
import type { ProjectSummary } from '../services/project-list';
import type { ProjectNext } from '../services/project-next';
import { runProjectSteps } from '../cli/commands/project-steps';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { APPROVER, startProject, step, TOWNSHIP } from './support/project-walk';

jest.setTimeout(120_000);

type ListPage = { items: ProjectSummary[]; next: string | null };

describe('who a project waits for: in the read model, GET /projects (with nextRole=), GET /projects/:id(/next), tuopin project list and steps', () => {
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
      (await stack.db.appDb.selectFrom('project_summary').select(['project_id', 'stage', 'next_role', 'next_county_id']).execute()).map((r) => [
        r.project_id,
        [r.stage, r.next_role, r.next_county_id],
      ]),
    );

  beforeAll(async () => {
    stack = await startTestStack('api-next-actor');
    api = await startTestApi(stack);
    const [a, b, c] = await Promise.all([startProject(stack), startProject(stack), startProject(stack)]);
    [ids.proposed, ids.reviewed, ids.cancelled] = [a!, b!, c!].map((h) => h.workflowId.replace(/^project-/, '')) as [string, string, string];
    await step(b!, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP });
    await step(c!, { type: 'CancelProject', data: { reason: '村里另有安排' }, actor: APPROVER });
    // Each project's proposal is appended by its own workflow, so the proposed one may reach the read model after the other two.
    await until('the next actors of the three projects', nextOf, {
      ok: (rows) => rows[ids.proposed]?.[0] === 'proposed' && rows[ids.reviewed]?.[0] === 'township-reviewed' && rows[ids.cancelled]?.[0] === 'cancelled',
      intervalMs: 100,
    });
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
    expect(row(ids.proposed)).toContain('乡镇干部（嵩县）');
    expect(row(ids.reviewed)).toContain('县扶贫办干部（嵩县）');
    expect(row(ids.cancelled)).toContain('—');
    const json: string[] = [];
    await runProjectList(['--next-role', 'county-official', '--json'], stack.db.appDb, (l = '') => json.push(l));
    expect(JSON.parse(json.join('\n'))).toEqual(
      expect.objectContaining({ items: [expect.objectContaining({ projectId: ids.reviewed, nextActor: { role: 'county-official', countyId: 'song' } })] }),
    );
  });

  it('GET /projects/:id/next and tuopin project steps list each open step: its roles, who may not, its data and an example', async () => {
    const r = await api.app.inject({ method: 'GET', url: `/projects/${ids.reviewed}/next`, headers: await api.bearer(TOWNSHIP) });
    expect(r.statusCode).toBe(200);
    const next = r.json<ProjectNext>();
    expect(next).toMatchObject({
      projectId: ids.reviewed,
      countyZh: '嵩县',
      stage: 'township-reviewed',
      stageZh: '乡镇已审核，待县级审批',
      nextActor: { roles: ['county-official'], rolesZh: '县扶贫办干部', notBy: 'li.ming' },
    });
    const approve = next.steps.find((g) => g.type === 'ApproveAtCounty');
    expect(approve).toMatchObject({ roles: ['county-official'], notBy: ['proposer'], notByUsers: ['li.ming'], command: 'step', example: { documentNumber: expect.any(String) } });
    expect(approve!.fields).toEqual([expect.objectContaining({ name: 'documentNumber', zh: '文号', required: true })]);
    // Once cancelled, only an audit finding may still be recorded (remediation needs a finding first).
    const done = await api.app.inject({ method: 'GET', url: `/projects/${ids.cancelled}/next`, headers: await api.bearer(TOWNSHIP) });
    expect(done.json<ProjectNext>()).toMatchObject({ nextActor: null, steps: [{ type: 'RecordAuditFinding', roles: ['inspector', 'auditor'] }] });
    const missing = await api.app.inject({ method: 'GET', url: '/projects/prj-song-2016-nothere/next', headers: await api.bearer(TOWNSHIP) });
    expect(missing.statusCode).toBe(404);

    const stage = await api.app.inject({ method: 'GET', url: '/project-steps', query: { stage: 'in-library' }, headers: await api.bearer(TOWNSHIP) });
    expect(stage.json<{ stages: { stage: string; steps: { type: string; example: unknown }[] }[] }>().stages).toEqual([
      expect.objectContaining({
        stage: 'in-library',
        steps: expect.arrayContaining([expect.objectContaining({ type: 'RecordFunding', example: { fundId: expect.any(String), amount: '63万' } })]),
      }),
    ]);

    const lines: string[] = [];
    await runProjectSteps(
      [ids.reviewed],
      () => stack.db.appDb,
      (l = '') => lines.push(l),
    );
    const text = lines.join('\n');
    expect(text).toMatch(/^嵩县 车村镇通村道路硬化/);
    expect(text).toMatch(/县级审批通过 ApproveAtCounty — 县扶贫办干部（county-official）；申报人（li.ming）除外/);
    expect(text).toContain(`tuopin project step --project ${ids.reviewed} --step ApproveAtCounty --as <user> --role county-official --data`);
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
