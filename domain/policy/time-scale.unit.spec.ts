import { PROJECT_NOTICE_POLICY } from './funding';
import { PAYMENT_TEMPLATE_POLICY } from './payments';
import { PLAN_TIME, scaledProjectPolicies, scaledSeconds, timeScaleLabel } from './time-scale';
import { makeDecide } from '../project/decide';
import { PLAN_POLICIES } from '../project/policies';
import { c, HISTORIES, project, T } from '../project/project.fixtures';

describe('time scale', () => {
  const fast = { secondsPerDay: 0.05 };

  it('under the plan’s time the tables are the plan’s own', () => {
    expect(scaledProjectPolicies(PLAN_TIME)).toEqual({ notice: PROJECT_NOTICE_POLICY, payments: PAYMENT_TEMPLATE_POLICY });
  });

  it('a scaled set keeps the rules, shortens the durations and says so in its ids', () => {
    const p = scaledProjectPolicies(fast);
    expect(timeScaleLabel(fast)).toBe('day=50ms');
    expect(p.notice).toMatchObject({ id: 'project-notice@day=50ms', version: PROJECT_NOTICE_POLICY.version, minNoticeSeconds: 3 });
    expect(p.payments).toMatchObject({ id: 'payment-template@day=50ms', advanceMaxBp: 3_000, warrantyMinMonths: 6, secondsPerMonth: 1.521875 });
    expect(scaledSeconds({ secondsPerDay: 2 }, 7)).toBe(14);
    // A notice stays long enough for a person to act inside it, however short the day.
    expect(scaledSeconds(fast, 7)).toBe(3);
  });

  it('acceptance under a scaled set ends the warranty after scaled months; under the plan’s, after calendar months', () => {
    const scaled = makeDecide({ ...PLAN_POLICIES, ...scaledProjectPolicies(fast) });
    const state = HISTORIES.completed.reduce(project.evolve, project.initialState());
    const at = T.accept;
    const d = scaled(c.accept(), state);
    expect(d.ok && d.events[0]!.data).toMatchObject({ warrantyEndsAt: new Date(Date.parse(at) + Math.ceil(12 * 1.521875) * 1000).toISOString() });
    const plan = makeDecide(PLAN_POLICIES)(c.accept(), state);
    expect(plan.ok && (plan.events[0]!.data as { warrantyEndsAt: string }).warrantyEndsAt.slice(0, 7)).toBe('2018-09');
  });
});
