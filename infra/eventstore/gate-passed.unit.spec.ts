import { gatePassed, sawHead } from './read';
import { START } from './types';

describe('gatePassed: whether a read under a gate sees every event committed up to a target', () => {
  it('holds when the gate is above the target’s transaction, whatever its position', () => {
    expect(gatePassed('1001', { txId: '1000', position: 7 })).toBe(true);
    expect(gatePassed('90000000000', { txId: '89999999999', position: 1 })).toBe(true);
  });

  it('does not hold at or below it: a transaction at the gate may still be open, and a gate low a moment hides the target', () => {
    expect(gatePassed('1000', { txId: '1000', position: 7 })).toBe(false);
    expect(gatePassed('999', { txId: '1000', position: 7 })).toBe(false);
    expect(gatePassed('0', { txId: '1000', position: 7 })).toBe(false);
  });

  it('compares transaction ids as numbers, not as text', () => {
    expect(gatePassed('10000', { txId: '9999', position: 1 })).toBe(true);
    expect(gatePassed('9999', { txId: '10000', position: 1 })).toBe(false);
  });

  it('an empty store (the target START) is passed by any gate', () => {
    expect(gatePassed('0', START)).toBe(true);
  });
});

describe('sawHead: whether a page read withBehind saw every event committed up to the head', () => {
  const head = { txId: '1000', position: 7 };
  it('holds when nothing committed waited behind its gate, however low the gate (another database’s transaction open)', () => {
    expect(sawHead({ gate: '500', behind: false }, head)).toBe(true);
  });
  it('holds when its gate had passed the head, whatever waits behind it (newer writes)', () => {
    expect(sawHead({ gate: '1001', behind: true }, head)).toBe(true);
  });
  it('does not hold when committed events waited behind a gate at or below the head: the page is short without being the end', () => {
    expect(sawHead({ gate: '1000', behind: true }, head)).toBe(false);
    expect(sawHead({ gate: '500', behind: true }, head)).toBe(false);
  });
});
