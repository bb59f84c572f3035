import { checkEvents, checkPayments, diffFigures, type BookedPayment, type RailPayment, type StoreEvent } from './checks';

const events: StoreEvent[] = [
  { position: 1, eventId: 'e1', streamId: 'fund-a', version: 1 },
  { position: 2, eventId: 'e2', streamId: 'prj-a', version: 1 },
  { position: 3, eventId: 'e3', streamId: 'fund-a', version: 2 },
];
const onStream = (ids: (string | null)[]) => ids.map((msgId, i) => ({ seq: i + 1, msgId }));

describe('checkEvents: no event lost or duplicated', () => {
  it('holds when JetStream carries every event of the store once, in each stream’s order', () => {
    expect(checkEvents(events, onStream(['e1', 'e2', 'e3'])).every((f) => f.ok)).toBe(true);
  });

  it('fails on an event missing from JetStream', () => {
    const [store, stream] = checkEvents(events, onStream(['e1', 'e3']));
    expect(store!.ok).toBe(true);
    expect(stream!.ok).toBe(false);
    expect(stream!.detail).toContain('missing from JetStream 1 e2@2');
  });

  it('fails on an event published twice, and on a message the store does not hold', () => {
    const [, stream] = checkEvents(events, onStream(['e1', 'e2', 'e2', 'e3', 'x9']));
    expect(stream!.ok).toBe(false);
    expect(stream!.detail).toContain('on JetStream twice 1 e2');
    expect(stream!.detail).toContain('not in the store 1 x9');
  });

  it('fails on a stream whose events reached JetStream out of order', () => {
    const [, stream] = checkEvents(events, onStream(['e3', 'e2', 'e1']));
    expect(stream!.ok).toBe(false);
    expect(stream!.detail).toContain('out of stream order 1 fund-a@1');
  });

  it('fails on a duplicated event id and on a gap in a stream’s versions', () => {
    const broken = [...events, { position: 4, eventId: 'e1', streamId: 'prj-a', version: 3 }];
    const [store] = checkEvents(broken, onStream(['e1', 'e2', 'e3']));
    expect(store!.ok).toBe(false);
    expect(store!.detail).toContain('1 duplicated ids e1');
    expect(store!.detail).toContain('prj-a [1,3]');
  });
});

const rail: RailPayment[] = [
  { key: 'prj-a:p7', fromAccount: 'treasury:fund-a', toAccount: 'contractor-a', amountFen: 100_00, transfers: 1 },
  { key: 'br-a:h1', fromAccount: 'treasury:fund-b', toAccount: 'acct-h1', amountFen: 2_000_00, transfers: 1 },
];
const booked: BookedPayment[] = [
  { key: 'prj-a:p7', side: 'fund', streamId: 'fund-a', amountFen: 100_00, purpose: '' },
  { key: 'prj-a:p7', side: 'process', streamId: 'prj-a', amountFen: 100_00, purpose: 'prj-a advance  a1' },
  { key: 'br-a:h1', side: 'fund', streamId: 'fund-b', amountFen: 2_000_00, purpose: '' },
  { key: 'br-a:h1', side: 'process', streamId: 'br-a', amountFen: 2_000_00, purpose: 'br-a h1' },
];

describe('checkPayments: every rail payment recorded exactly once on both streams, nothing paid twice', () => {
  it('holds when each confirmed payment is on its fund’s stream and its process’s once', () => {
    expect(checkPayments(rail, booked).every((f) => f.ok)).toBe(true);
  });

  it('fails on a payment recorded twice on the fund’s stream', () => {
    const [once] = checkPayments(rail, [...booked, booked[0]!]);
    expect(once!.ok).toBe(false);
    expect(once!.detail).toContain('prj-a:p7 (fund 2, process 1)');
  });

  it('fails on a payment the rail made that the books lack on one stream', () => {
    const [once] = checkPayments(rail, booked.slice(0, 3));
    expect(once!.ok).toBe(false);
    expect(once!.detail).toContain('br-a:h1 (fund 1, process 0)');
  });

  it('fails on a payment recorded that the rail never made', () => {
    const [once] = checkPayments(rail.slice(0, 1), booked);
    expect(once!.ok).toBe(false);
    expect(once!.detail).toContain('recorded but not paid 1 br-a:h1');
  });

  it('fails on a household paid twice under two keys, and on an instruction transferred twice', () => {
    const twice = [...booked, { key: 'br-a:h1-again', side: 'process' as const, streamId: 'br-a', amountFen: 2_000_00, purpose: 'br-a h1' }];
    const [, paidTwice] = checkPayments([...rail.slice(0, 1), { ...rail[1]!, transfers: 2 }], twice);
    expect(paidTwice!.ok).toBe(false);
    expect(paidTwice!.detail).toContain('br-a:h1×2');
    expect(paidTwice!.detail).toContain('br-a h1: br-a:h1 + br-a:h1-again');
  });
});

describe('diffFigures', () => {
  it('names each figure that differs by its path, and nothing when they are equal', () => {
    const a = { exits: [{ year: 2016, households: 5 }], money: { total: { paid: 100 } } };
    expect(diffFigures(a, structuredClone(a))).toEqual([]);
    expect(diffFigures(a, { exits: [{ year: 2016, households: 4 }], money: { total: { paid: 100 } } })).toEqual(['exits.0.households: 5 ≠ 4']);
  });
});
