export * from './steps';
export * from './round';
export * from './return-review';
