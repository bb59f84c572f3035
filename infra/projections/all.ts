import type { Projection } from './projection';
import { projectSummary } from './project-summary';
import { fundBalances } from './fund-balances';
import { exitProgress } from './exit-progress';
import { paymentLedger } from './payment-ledger';
import { anomalies } from './anomalies';

/**
 * Every read model, by the name its checkpoint carries: the one list the worker starts projectors
 * from and `tuopin projection rebuild <name>` rebuilds. A new projection goes here, its table in a migration.
 */
export const PROJECTIONS: readonly Projection[] = [projectSummary, fundBalances, exitProgress, paymentLedger, anomalies];
