import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { fundIdSchema } from '../../domain/fund/ids';
import { projectIdSchema } from '../../domain/project/ids';
import { householdIdSchema } from '../../domain/household/ids';
import { paymentIdSchema } from '../../domain/payment/ids';
import { benefitRoundIdSchema } from '../../domain/benefit/ids';
import { auditCsv, auditTrail, type AuditEntry } from '../../services/audit-trail';
import { CliError, parseFlags, takeSwitch } from '../args';
import { writeRows, type Column } from '../table';

type Out = (line?: string) => void;

/** Each kind's id is checked by its own schema, so a fund's trail cannot be asked for with a project's id. */
const ID_SCHEMAS = { fund: fundIdSchema, project: projectIdSchema, household: householdIdSchema, payment: z.union([paymentIdSchema, z.string().regex(/^br-[a-z]+-\d{4}-[a-z0-9-]{2,60}:hh-[a-z]+-[a-z0-9]{1,32}$/)]), round: benefitRoundIdSchema } as const;
type Kind = keyof typeof ID_SCHEMAS;

export const AUDIT_USAGE = 'usage: tuopin audit <fund|project|household|payment|round> <id> [--csv <file>] [--json]';

const AUDIT_COLUMNS: readonly Column<AuditEntry>[] = [
  { key: 'position', header: 'position', value: (e) => e.position, kind: 'number' },
  { key: 'type', header: 'type', value: (e) => e.type },
  { key: 'userId', header: 'actor', value: (e) => e.userId },
  { key: 'role', header: 'role', value: (e) => e.role },
  { key: 'businessDate', header: 'business date', value: (e) => e.businessDate },
  { key: 'recordedAt', header: 'recorded', value: (e) => e.recordedAt },
  { key: 'proof', header: 'chain', value: (e) => (e.proof.status === 'verified' ? 'ok' : `BROKEN (${e.proof.reason ?? 'hash'})`) },
];

/**
 * `tuopin audit <kind> <id> [--csv <file>] [--json]`: the trail GET /audit/:kind/:id serves, from the
 * same service: every event touching the thing in commit order, each with its hash-chain proof.
 * Exits 3 when any link is broken, as `tuopin verify` does.
 */
export const runAudit = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  const [kind, id, ...flags] = rest;
  if (!kind || !id || !(kind in ID_SCHEMAS)) throw new CliError('CLI_USAGE', AUDIT_USAGE);
  const checked = ID_SCHEMAS[kind as Kind].safeParse(id);
  if (!checked.success) throw new CliError('CLI_INVALID_INPUT', `<id>: ${checked.error.issues[0]?.message ?? `is not a ${kind} id`}`);
  const f = parseFlags(flags, z.object({ csv: z.string().min(1).optional() }).strict());
  const entries = await auditTrail(db, kind as Kind, checked.data);
  if (entries.length === 0) throw new CliError('NOT_FOUND', `no events touch ${kind} ${checked.data}`);
  const verified = entries.every((e) => e.proof.status === 'verified');
  if (f.csv) await writeFile(f.csv, auditCsv(entries), 'utf8');
  if (json) out(JSON.stringify({ kind, id: checked.data, verified, entries }, null, 2));
  else {
    writeRows(out, entries, AUDIT_COLUMNS);
    out(`${entries.length} event(s); ${verified ? 'every hash chain verifies' : 'a hash chain is BROKEN'}${f.csv ? `; CSV written to ${f.csv}` : ''}`);
  }
  if (!verified) process.exitCode = 3;
};
