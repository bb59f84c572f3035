import { z } from 'zod';
import { parseFlags, ruleRefusal } from './args';
import { config } from '../infra/config';
import { createDb } from '../infra/database';
import { formatYuan, moneySchema } from '../domain/shared/money';
import { balanceOf, credit, openAccount, trialBalance } from '../infra/payment-rail/ledger-accounts';
import { PaymentRailError } from '../infra/payment-rail/rail';
import { parseSwitches } from '../infra/payment-rail/switches';
import { TreasuryLedgerRail } from '../infra/payment-rail/treasury-ledger';

const USAGE = `the simulated treasury ledger (npx tsx cli/rail.ts <command>)

  open-account  --account <id> --kind <treasury|payee>
  credit        --reference <id> --source <source:…> --to <treasury:…> --amount <350万|12.34元>
  pay           --key <idempotency key> --from <treasury:…> --to <account> --amount <…> --memo <text> [--switch <kind[=CODE]>]
  status        --key <idempotency key>
  confirm-held  --key <idempotency key>     deliver the confirmation of a payment the hold switch left pending
  balance       --account <id>
  trial-balance                             exit 1 unless every balance and entry sums to zero

  TUOPIN_RAIL_SWITCHES and TUOPIN_RAIL_DEADLINE_MS apply to pay as they do in a worker (README.md).`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const id = z.string().min(1);

const run = async (argv: string[]): Promise<number> => {
  const [command, ...rest] = argv;
  const db = createDb(config().DATABASE_URL, { max: 1, applicationName: 'tuopin-rail-cli' });
  try {
    switch (command) {
      case 'open-account': {
        const f = parseFlags(rest, z.object({ account: id, kind: z.enum(['treasury', 'payee']) }));
        await openAccount(db, f.account, f.kind);
        out(`${f.account}: open (${f.kind})`);
        return 0;
      }
      case 'credit': {
        const f = parseFlags(rest, z.object({ reference: id, source: id, to: id, amount: moneySchema }));
        const r = await credit(db, { reference: f.reference, fromSource: f.source, toAccount: f.to, amount: f.amount });
        out(`${r.duplicate ? 'already credited' : 'credited'} ${formatYuan(f.amount)} to ${f.to}: ${r.transferId}`);
        return 0;
      }
      case 'pay': {
        const f = parseFlags(rest, z.object({ key: id, from: id, to: id, amount: moneySchema, memo: id, switch: z.string().optional() }));
        const rail = new TreasuryLedgerRail({ db, switches: config().TUOPIN_RAIL_SWITCHES, deadlineMs: config().TUOPIN_RAIL_DEADLINE_MS });
        for (const rule of parseSwitches(f.switch)) rail.switches.arm(rule.switch);
        out(JSON.stringify(await rail.submit({ idempotencyKey: f.key, fromAccount: f.from, toAccount: f.to, amount: f.amount, memo: f.memo })));
        return 0;
      }
      case 'status':
      case 'confirm-held': {
        const f = parseFlags(rest, z.object({ key: id }));
        const rail = new TreasuryLedgerRail({ db });
        out(JSON.stringify(command === 'status' ? await rail.status(f.key) : await rail.confirmHeld(f.key)));
        return 0;
      }
      case 'balance': {
        const f = parseFlags(rest, z.object({ account: id }));
        const b = await balanceOf(db, f.account);
        if (b === undefined) throw ruleRefusal({ code: 'ACCOUNT_NOT_FOUND', en: `${f.account}: no such account`, zh: `没有账户 ${f.account}` });
        out(`${f.account}: ${b < 0 ? '-' : ''}${formatYuan(Math.abs(b))}`);
        return 0;
      }
      case 'trial-balance': {
        const t = await trialBalance(db);
        out(JSON.stringify(t, null, 2));
        return t.balancesTotal === 0 && t.entriesTotal === 0 && t.driftedAccounts.length === 0 && t.unbalancedTransfers.length === 0 ? 0 : 1;
      }
      default:
        out(USAGE);
        return command === undefined || command === 'help' ? 0 : 2;
    }
  } finally {
    await db.destroy();
  }
};

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const code = (e as { code?: unknown }).code;
    process.stderr.write(`${typeof code === 'string' ? code : 'ERROR'}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = e instanceof PaymentRailError && e.retryable ? 75 : 1;
  },
);
