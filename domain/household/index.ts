export * from './ids';
export * from './resident-id';
export * from './causes';
export * from './guarantees';
export * from './assessment';
export * from './events';
export * from './commands';
export * from './state';
export * from './evolve';
export * from './decide';
export * from './errors';
import { makeDecide } from './decide';
import { evolve } from './evolve';
import { initialState } from './state';

/** The household decider as one value, for deciderSpec/run and the activities. */
export const householdDecider = { decide: makeDecide(), evolve, initialState };
export * from './command-schemas';
