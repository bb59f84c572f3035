/** Why the fault run could not run or finish (a failed check is not an error: it is reported and the exit code says so). */
export type ChaosErrorCode = 'PORT_TAKEN' | 'SERVICE_START_FAILED' | 'DRIVER_FAILED' | 'WORKER_FAILED' | 'RUN_TIMED_OUT';

export class ChaosError extends Error {
  constructor(
    readonly code: ChaosErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChaosError';
  }
}
