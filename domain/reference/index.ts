export * from './counties';
export * from './targets';
export * from './causes';
export * from './plan-money';
export * from './standards';
export { wan, yuan } from './wan';
export * from './progress';
