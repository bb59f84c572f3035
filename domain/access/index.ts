export * from './actions';
export * from './authorize';
