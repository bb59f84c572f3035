export * from './decide-payment';
export * from './payee';
