export * from './events';
export * from './commands';
export * from './state';
export * from './evolve';
export * from './decide';
export * from './registration';
import { makeDecide } from './decide';
import { evolve } from './evolve';
import { initialState } from './state';

export const identificationDecider = { decide: makeDecide(), evolve, initialState };
export * from './steps';
