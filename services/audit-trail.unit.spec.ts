import { policyOf } from './audit-trail';

describe('the policy versions an audit entry names', () => {
  it('names the policy an event was decided under, and every one of a list', () => {
    expect(policyOf({ policy: { id: 'project-notice-days', version: 2 } })).toBe('project-notice-days@2');
    expect(
      policyOf({
        policies: [
          { id: 'subsidy-standards', version: 1 },
          { id: 'retention', version: 3 },
        ],
      }),
    ).toBe('subsidy-standards@1, retention@3');
  });

  it('is null for an event that names none, or names one in a shape it does not know', () => {
    expect(policyOf({ amount: 5 })).toBeNull();
    expect(policyOf(null)).toBeNull();
    expect(policyOf({ policy: { id: 'x', version: 'one' } })).toBeNull();
  });
});
