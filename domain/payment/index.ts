export * from './decide-payment';
