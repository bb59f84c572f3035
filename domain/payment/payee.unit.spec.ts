import { payeeParts } from './payee';

describe('payeeParts', () => {
  it('splits a household payee into the household and the account it was paid to', () => {
    expect(payeeParts('hh-song-00042.acct-6222-0001')).toEqual({ householdId: 'hh-song-00042', account: 'acct-6222-0001' });
    expect(payeeParts('hh-luanchuan-a1.6222.01')).toEqual({ householdId: 'hh-luanchuan-a1', account: '6222.01' });
  });
  it('reads anything else as an account alone', () => {
    expect(payeeParts('payee-song-road-co-01')).toEqual({ householdId: null, account: 'payee-song-road-co-01' });
    expect(payeeParts('hh-song-00042')).toEqual({ householdId: null, account: 'hh-song-00042' });
    expect(payeeParts('hh-song-.acct')).toEqual({ householdId: null, account: 'hh-song-.acct' });
    expect(payeeParts('hh-Song-1.acct')).toEqual({ householdId: null, account: 'hh-Song-1.acct' });
  });
});
