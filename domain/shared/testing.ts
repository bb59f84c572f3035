import type { Decider } from './decider';

/**
 * given(events).when(command).then(events) / .thenRefuses(code), for specs of any decider.
 * Only for *.spec.ts files: it uses jest's expect.
 *
 * ### Examples
 * const spec = deciderSpec(fund);
 * spec.given([appropriated]).when(allocate).then([allocated]);
 * spec.given([]).when(allocate).thenRefuses('FUND_NOT_FOUND');
 */
export const deciderSpec = <C, E, S>(decider: Decider<C, E, S>) => ({
  given: (events: readonly E[]) => ({
    when: (command: C) => {
      const state = events.reduce(decider.evolve, decider.initialState());
      const result = decider.decide(command, state);
      const describeResult = () => (result.ok ? `accepted ${JSON.stringify(result.events)}` : `refused ${result.error.code}: ${result.error.en}`);
      return {
        state,
        result,
        then: (expected: readonly E[]): void => {
          if (!result.ok) throw new Error(`expected events but the command was ${describeResult()}`);
          expect(result.events).toEqual(expected);
        },
        /** Accepted; returns the events for further checks. */
        thenAccepts: (): E[] => {
          if (!result.ok) throw new Error(`expected acceptance but the command was ${describeResult()}`);
          return result.events;
        },
        thenRefuses: (code: string): void => {
          if (result.ok) throw new Error(`expected refusal ${code} but the command was ${describeResult()}`);
          expect(result.error.code).toBe(code);
          expect(result.error.zh.length).toBeGreaterThan(0);
          expect(result.error.en.length).toBeGreaterThan(0);
        },
      };
    },
  }),
});

/** Folds a decider over commands, stopping at the first refusal; for property tests and goldens. */
export const run = <C, E, S>(decider: Decider<C, E, S>, commands: readonly C[], from: S = decider.initialState()) => {
  let state = from;
  const events: E[] = [];
  for (const c of commands) {
    const r = decider.decide(c, state);
    if (!r.ok) return { state, events, refused: r.error };
    events.push(...r.events);
    state = r.events.reduce(decider.evolve, state);
  }
  return { state, events, refused: undefined };
};
