export * from './exit-tests';
export * from './events';
export * from './commands';
export * from './state';
export * from './evolve';
export * from './decide';
export * from './command-schemas';
export * from './sample';
import { makeDecide } from './decide';
import { evolve } from './evolve';
import { initialState } from './state';

export const countyDecider = { decide: makeDecide(), evolve, initialState };
