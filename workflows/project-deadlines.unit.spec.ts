import { evolve, initialState, type ProjectEvent, type ProjectState } from '../domain/project';
import { c, project, T } from '../domain/project/project.fixtures';
import { pendingDeadline } from './project-deadlines';

/** Folds the decisions of a list of commands, as the workflow does. */
const given = (...commands: ReturnType<(typeof c)[keyof typeof c]>[]): ProjectState =>
  commands.reduce<ProjectState>((s, cmd) => {
    const d = project.decide(cmd, s);
    if (!d.ok) throw new Error(`${cmd.type}: ${d.error.code}`);
    return d.events.reduce<ProjectState>((x, e) => evolve(x, e as ProjectEvent), s);
  }, initialState());

describe('pendingDeadline', () => {
  const now = Date.parse(T.review);

  it('has none before the proposal, for a kind without a configured deadline, or at rest', () => {
    expect(pendingDeadline(initialState(), { 'township-review': 1000 }, now)).toBeUndefined();
    expect(pendingDeadline(given(c.propose()), { 'county-review': 1000 }, now)).toBeUndefined();
    expect(pendingDeadline(given(c.propose(), c.reject(c.townshipApprove().meta.actor)), { 'township-review': 1000 }, now)).toBeUndefined();
  });

  it('climbs township → county → city for the stage it waits in, then stops', () => {
    const d = { 'township-review': 1000 };
    const s0 = given(c.propose());
    expect(pendingDeadline(s0, d, now)).toEqual({ kind: 'township-review', ms: 1000, level: 'township' });
    const s1 = given(c.propose(), c.escalate('township'));
    expect(pendingDeadline(s1, d, now)?.level).toBe('county');
    const s3 = given(c.propose(), c.escalate('township'), c.escalate('county'), c.escalate('city'));
    expect(pendingDeadline(s3, d, now)).toBeUndefined();
  });

  it('starts afresh when the stage moves on', () => {
    const s = given(c.propose(), c.escalate('township'), c.escalate('county'), c.townshipApprove());
    expect(pendingDeadline(s, { 'county-review': 5000 }, now)).toEqual({ kind: 'county-review', ms: 5000, level: 'township' });
  });

  it('lets the public notice run its full period before its deadline counts', () => {
    const s = given(c.propose(), c.townshipApprove(), c.countyApprove(), c.publishNotice());
    const noticeEnds = Date.parse((s as { noticeEndsAt: string }).noticeEndsAt);
    const at = Date.parse(T.notice);
    expect(pendingDeadline(s, { 'notice-period': 60_000 }, at)?.ms).toBe(noticeEnds - at + 60_000);
    expect(pendingDeadline(s, { 'notice-period': 60_000 }, noticeEnds + 5000)?.ms).toBe(60_000);
  });
});
