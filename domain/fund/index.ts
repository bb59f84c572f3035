export * from './ids';
export * from './events';
export * from './commands';
export * from './state';
export * from './errors';
export { evolve, evolveAll } from './evolve';
export { decide } from './decide';
export * from './command-schemas';
export { fundFlow, type FundFlow, type FlowAllocation, type FlowPayment, type FlowPayee, type FlowCheck, type PositionedFundEvent } from './flow';
