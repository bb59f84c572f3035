import { ApplicationFailure } from '@temporalio/workflow';
import type { DomainError } from '../domain/shared/errors';

/**
 * How every workflow refuses a step: an ApplicationFailure whose type is the domain code and whose
 * first detail is the DomainError, so the CLI and the API read every refusal the same way.
 */
export const refusal = (e: DomainError): ApplicationFailure => ApplicationFailure.create({ type: e.code, message: `${e.en} / ${e.zh}`, nonRetryable: true, details: [e] });
