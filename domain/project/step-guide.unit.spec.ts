import { evolve } from './evolve';
import { initialState, PROJECT_STATUSES, type ExistingProject, type ProjectState } from './state';
import { offeredSteps } from './offered-steps';
import { HISTORIES, who } from './project.fixtures';
import type { ProjectEvent } from './events';
import { GUIDED_INPUT_SCHEMAS, STEP_EXAMPLES, type GuidedStep } from './step-schemas';
import { projectStepGuide, stepsAtStage } from './step-guide';
import { STAGE_STEP } from './next-actor';
import { ROLES } from '../shared/actor';

const stateOf = (events: readonly ProjectEvent[]): ProjectState => events.reduce(evolve, initialState());

describe('the step guide: who may take which step at a stage, and the data each needs', () => {
  it.each(Object.keys(STEP_EXAMPLES) as GuidedStep[])('the example of %s is data its own schema takes', (type) => {
    expect(GUIDED_INPUT_SCHEMAS[type].safeParse(STEP_EXAMPLES[type]).error?.issues).toBeUndefined();
  });

  it('at a proposal, before any project exists: the township official reviews, not the proposer; the library is not open yet', () => {
    const g = stepsAtStage('proposed');
    const review = g.find((s) => s.type === 'ApproveAtTownship')!;
    expect(review).toMatchObject({ roles: ['township-official'], rolesZh: '乡镇干部', notBy: ['proposer'], command: 'step', example: { opinion: expect.any(String) } });
    expect(review.fields).toEqual([{ name: 'opinion', zh: '审核意见', required: true, format: expect.objectContaining({ zh: expect.stringMatching(/^文字/) }) }]);
    expect(g.map((s) => s.type)).not.toContain('EnterLibrary');
    expect(g.map((s) => s.type)).not.toContain('RecordPayment');
  });

  it('names the money steps by their own commands and describes amounts as 元/万元 text', () => {
    const fund = stepsAtStage('in-library').find((s) => s.type === 'RecordFunding')!;
    expect(fund).toMatchObject({ command: 'fund', roles: ['county-official', 'county-finance'], example: { amount: '63万' } });
    expect(fund.fields.find((f) => f.name === 'amount')!.format.zh).toMatch(/金额.*63万/);
    const pay = stepsAtStage('under-construction').find((s) => s.type === 'RecordPayment')!;
    expect(pay).toMatchObject({ command: 'pay', roles: ['county-finance'], when: { zh: expect.any(String) } });
    expect(stepsAtStage('completed').find((s) => s.type === 'AcceptProject')!.notBy).toEqual(['proposer', 'approver']);
  });

  it('every active stage offers the step its next actor is asked for, to that role', () => {
    for (const [stage, next] of Object.entries(STAGE_STEP)) {
      const g = stepsAtStage(stage as keyof typeof STAGE_STEP);
      const s = g.find((x) => x.action === next.action);
      expect({ stage, roles: s?.roles.filter((r) => next.roles.includes(r)) }).toEqual({ stage, roles: [...next.roles] });
    }
  });

  it('a closed project offers no step but the audit’s', () => {
    expect(stepsAtStage('closed').map((s) => s.type)).toEqual(['RecordAuditFinding', 'RemediateFinding', 'VerifyRemediation']);
  });

  it.each(PROJECT_STATUSES.filter((s) => s !== 'rejected' && s !== 'cancelled'))('for a project %s: each role is listed for exactly the steps offeredSteps offers it', (stage) => {
    const s = stateOf(HISTORIES[stage]) as ExistingProject;
    const g = projectStepGuide(s);
    for (const role of ROLES) {
      const offered = offeredSteps({ userId: 'guide.someone', role, countyId: s.countyId }, s).map((o) => o.type);
      expect({ role, steps: g.filter((x) => x.roles.includes(role)).map((x) => x.type) }).toEqual({ role, steps: offered });
    }
  });

  it('for a project, names the people separation of duties keeps out', () => {
    const s = stateOf(HISTORIES.proposed) as ExistingProject;
    expect(projectStepGuide(s).find((x) => x.type === 'ApproveAtTownship')).toMatchObject({ notBy: ['proposer'], notByUsers: [who.proposer.userId] });
  });
});
