export * from './prng';
export * from './regions';
export * from './generator';
