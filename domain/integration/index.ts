export * from './channels';
export * from './events';
export * from './decide';
