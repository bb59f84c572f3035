import { ROLES } from '../shared/actor';
import { actor } from '../shared/fixtures';
import { ACTIONS, PERMISSIONS, type Action } from '../access';
import { COUNTY_EXIT, EXIT_ROUND, RETURN_REVIEW, VILLAGE_EXIT, holdersOf, nextStep, requestRefusal, stepRefusal, type ExitProcessRules } from './steps';
import { nextRoundStep, roundHouseholdsRefusal } from './round';
import { returnDecisionRefusal } from './return-review';

const PROCESSES = [EXIT_ROUND, VILLAGE_EXIT, COUNTY_EXIT, RETURN_REVIEW] as unknown as ExitProcessRules<string, string>[];
const team = actor('team.song.1', 'work-team', 'song');
const township = actor('tw.song.1', 'township-official', 'song');
const county = actor('co.song.1', 'county-official', 'song');

describe('exit steps: one source for who may take which step, when', () => {
  it('every step is a domain/access action of its own process, and every person-taken exit action is some step or a decider-only step', () => {
    const prefix = { EXIT_ROUND: 'exit-round.', VILLAGE_EXIT: 'village-exit.', COUNTY_EXIT: 'county-exit.', RETURN_REVIEW: 'return-review.' } as Record<string, string>;
    for (const p of PROCESSES) for (const rule of Object.values(p.steps)) expect(rule.action.startsWith(prefix[p.code]!)).toBe(true);
    const used = new Set(PROCESSES.flatMap((p) => Object.values(p.steps).map((r) => r.action)));
    // Taken by the workflow in the starter's name, or only through a decider (no Update): not steps.
    const started: Action[] = [
      'exit-round.start',
      'exit-round.assess',
      'exit-round.resolve-objection',
      'village-exit.apply',
      'village-exit.record-incidence',
      'village-exit.check-item',
      'village-exit.post-notice',
      'village-exit.resolve-objection',
      'county-exit.apply',
      'county-exit.post-notice',
      'county-exit.resolve-objection',
      'return-review.start',
    ];
    const exitActions = ACTIONS.filter((a) => /^(exit-round|village-exit|county-exit|return-review)\./.test(a));
    expect(exitActions.filter((a) => !used.has(a)).sort()).toEqual([...started].sort());
  });

  it('every step may be taken in some phase, and each phase waits for a step that may be taken in it (or for nobody)', () => {
    for (const p of PROCESSES) {
      for (const rule of Object.values(p.steps)) expect(rule.phases.length).toBeGreaterThan(0);
      for (const [phase, step] of Object.entries(p.next)) {
        if (step === null) continue;
        const allowed = p.steps[step]!.phases.includes(phase) || p.afterNotice.includes(phase);
        expect({ process: p.code, phase, step, allowed }).toEqual({ process: p.code, phase, step, allowed: true });
      }
    }
  });

  it('a role without the action is refused with the access code, naming the action in Chinese', () => {
    const r = stepRefusal(EXIT_ROUND, 'check', township, 'song', 'village-steps');
    expect(r?.code).toBe('ACCESS_ROLE_NOT_ALLOWED');
    expect(r?.zh).toContain('工作队核实');
  });

  it('a county-scoped role acts only in its own county', () => {
    expect(stepRefusal(EXIT_ROUND, 'check', team, 'luanchuan', 'village-steps')?.code).toBe('ACCESS_OUT_OF_COUNTY');
    expect(stepRefusal(EXIT_ROUND, 'check', team, 'song', 'village-steps')).toBeUndefined();
  });

  it('a step outside its phases is refused with the process own code and the phase in Chinese', () => {
    const r = stepRefusal(VILLAGE_EXIT, 'announce', county, 'song', 'in-notice');
    expect(r).toMatchObject({ code: 'VILLAGE_EXIT_WRONG_PHASE', details: { phase: 'in-notice' } });
    expect(r?.zh).toContain('公示中');
    expect(stepRefusal(RETURN_REVIEW, 'visit', team, 'song', 'visited')?.code).toBe('RETURN_REVIEW_WRONG_PHASE');
    expect(stepRefusal(COUNTY_EXIT, 'cityPreCheck', actor('city.1', 'city-poverty-office'), 'song', 'awaiting-province')?.code).toBe('COUNTY_EXIT_WRONG_PHASE');
    expect(stepRefusal(EXIT_ROUND, 'withdrawConsent', county, 'song', 'announcing')).toBeUndefined();
  });

  it('a request that does not parse names the field under the process code', () => {
    expect(requestRefusal(COUNTY_EXIT, 'seed', 'Required')).toMatchObject({ code: 'COUNTY_EXIT_REQUEST_INVALID', details: { field: 'seed' } });
  });

  it('finance, auditors and the administrator take no exit step', () => {
    for (const role of ['county-finance', 'auditor', 'administrator'] as const) {
      const a = actor(`${role}.1`, role, role === 'county-finance' ? 'song' : undefined);
      for (const p of PROCESSES) for (const step of Object.keys(p.steps)) expect(stepRefusal(p, step, a, 'song', p.steps[step]!.phases[0]!)?.code).toBe('ACCESS_ROLE_NOT_ALLOWED');
    }
  });

  it('holdersOf lists the roles PERMISSIONS gives the action, in the order of ROLES', () => {
    expect(holdersOf('exit-round.township-review')).toEqual(['township-official']);
    expect(holdersOf('exit-round.check')).toEqual(ROLES.filter((r) => PERMISSIONS[r].includes('exit-round.check')));
  });
});

describe('nextActor: who each exit process waits for', () => {
  it('a village exit waits for the county review, then (after the notice) the announcement, then nobody', () => {
    expect(nextStep(VILLAGE_EXIT, 'awaiting-review')).toMatchObject({ step: 'review', stepZh: '县级审核', role: 'county-official', roleZh: '县扶贫办干部' });
    expect(nextStep(VILLAGE_EXIT, 'in-notice', '2019-07-01T00:00:00.000Z')).toMatchObject({ step: 'announce', notBefore: '2019-07-01T00:00:00.000Z' });
    expect(nextStep(VILLAGE_EXIT, 'awaiting-announcement', '2019-07-01T00:00:00.000Z')).not.toHaveProperty('notBefore');
    expect(nextStep(VILLAGE_EXIT, 'blocked')).toBeNull();
    expect(nextStep(VILLAGE_EXIT, 'exited')).toBeNull();
  });
  it('a county exit waits for the city, then the provincial check, then the announcement', () => {
    expect(nextStep(COUNTY_EXIT, 'awaiting-city')).toMatchObject({ step: 'cityPreCheck', action: 'county-exit.city-pre-check' });
    expect(nextStep(COUNTY_EXIT, 'awaiting-province')).toMatchObject({ step: 'provincialCheck', action: 'county-exit.provincial-check' });
    expect(nextStep(COUNTY_EXIT, 'awaiting-announcement')).toMatchObject({ step: 'announce' });
    expect(nextStep(COUNTY_EXIT, 'applying')).toBeNull();
  });
  it('a return review waits for the visit, the notice, the decision', () => {
    expect(nextStep(RETURN_REVIEW, 'awaiting-visit')?.step).toBe('visit');
    expect(nextStep(RETURN_REVIEW, 'visited')?.step).toBe('postNotice');
    expect(nextStep(RETURN_REVIEW, 'awaiting-decision')).toMatchObject({ step: 'decide', role: 'county-official' });
  });
  it('an exit round waits for the earliest village step some household still needs, then the notice', () => {
    const st = (...s: string[]) => new Map(s.map((x, i) => [`hh-song-${i}`, x]));
    expect(nextRoundStep('village-steps', st('assessed', 'checked'))?.step).toBe('appraise');
    expect(nextRoundStep('village-steps', st('appraised', 'checked'))).toMatchObject({ step: 'check', role: 'work-team', roleZh: '驻村工作队' });
    expect(nextRoundStep('village-steps', st('checked', 'consented'))?.step).toBe('consent');
    expect(nextRoundStep('village-steps', st('consented'))?.step).toBe('postNotice');
    expect(nextRoundStep('in-notice', st('in-notice'), '2019-07-01T00:00:00.000Z')).toMatchObject({ step: 'townshipReview', notBefore: '2019-07-01T00:00:00.000Z' });
    expect(nextRoundStep('announcing', st('township-reviewed'))).toMatchObject({ step: 'announce', role: 'county-official' });
    expect(nextRoundStep('closed', st())).toBeNull();
  });
});

describe('the exit round over its households', () => {
  const st = new Map([
    ['hh-song-1', 'assessed'],
    ['hh-song-2', 'appraised'],
    ['hh-song-3', 'consented'],
  ]);
  it('a household not in the round, or not at the status the step needs, is refused', () => {
    expect(roundHouseholdsRefusal({ type: 'appraise', agreed: ['hh-song-9'] }, st)?.code).toBe('EXIT_ROUND_HOUSEHOLD_NOT_IN_ROUND');
    expect(roundHouseholdsRefusal({ type: 'check', confirmed: ['hh-song-1'] }, st)).toMatchObject({ code: 'EXIT_ROUND_HOUSEHOLD_NOT_READY', details: { status: 'assessed' } });
    expect(roundHouseholdsRefusal({ type: 'appraise', agreed: ['hh-song-1'], rejected: [] }, st)).toBeUndefined();
  });
  it('the notice waits for every village step and for at least one consent', () => {
    expect(roundHouseholdsRefusal({ type: 'postNotice' }, st)).toMatchObject({ code: 'EXIT_ROUND_STEPS_PENDING', details: { waiting: 2 } });
    expect(roundHouseholdsRefusal({ type: 'postNotice' }, new Map([['hh-song-1', 'removed']]))?.code).toBe('EXIT_ROUND_NOBODY_CONSENTED');
    expect(roundHouseholdsRefusal({ type: 'postNotice' }, new Map([['hh-song-3', 'consented']]))).toBeUndefined();
  });
  it('the announcement needs a household passed by the township', () => {
    expect(roundHouseholdsRefusal({ type: 'announce' }, st)?.code).toBe('EXIT_ROUND_NOBODY_REVIEWED');
    expect(roundHouseholdsRefusal({ type: 'announce' }, new Map([['hh-song-3', 'township-reviewed']]))).toBeUndefined();
  });
});

describe('the return decision', () => {
  it('clearing is allowed once visited; a return waits for the notice to have run', () => {
    expect(returnDecisionRefusal(false, 'visited')).toBeUndefined();
    expect(returnDecisionRefusal(true, 'visited')?.code).toBe('RETURN_NOTICE_MISSING');
    expect(returnDecisionRefusal(true, 'in-notice', '2019-01-01T00:00:00.000Z')).toMatchObject({ code: 'RETURN_NOTICE_RUNNING', details: { endsAt: '2019-01-01T00:00:00.000Z' } });
    expect(returnDecisionRefusal(true, 'awaiting-decision')).toBeUndefined();
  });
});
