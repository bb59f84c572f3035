/**
 * A refusal by one of the plan's rules. The code is stable (clients and tests match on it);
 * the messages are for people, in Chinese and English.
 */
export interface DomainError {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const domainError = (code: string, zh: string, en: string, details?: Record<string, unknown>): DomainError =>
  details === undefined ? { code, zh, en } : { code, zh, en, details };

export const isDomainError = (value: unknown): value is DomainError =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as DomainError).code === 'string' &&
  typeof (value as DomainError).zh === 'string' &&
  typeof (value as DomainError).en === 'string';
