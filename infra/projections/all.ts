import type { Projection } from './projection';
import { projectSummary } from './project-summary';
import { fundBalances } from './fund-balances';
import { exitProgress } from './exit-progress';
import { paymentLedger } from './payment-ledger';
import { anomalies } from './anomalies';

/** Every read model, by the name its checkpoint carries: what `tuopin projection rebuild <name>` can rebuild. Add a new projection here. */
export const PROJECTIONS: readonly Projection[] = [projectSummary, fundBalances, exitProgress, paymentLedger, anomalies];
