import { config, ConfigError } from '../infra/config';
import { createDb } from '../infra/database';
import { connectTemporal } from '../infra/temporal-client';
import { formatYuan } from '../domain/shared/money';
import { projectStatusQuery, projectWorkflowId } from '../workflows/project-lifecycle.messages';
import { CliError } from './args';
import { parseProposal } from './commands/project-propose';
import { startProposal } from '../services/project-proposals';
import { parseStep, takeStep } from './commands/project-step';
import { waitForProposal } from './commands/project-path';
import { startAll } from '../workers/main';
import { EXIT_USAGE, runExit } from './commands/exit';
import { BENEFIT_USAGE, runBenefit, runHousehold } from './commands/benefit';
import { describeFund, parseAppropriation, runAppropriation } from './commands/fund-appropriate';
import { describeOutcome, FUND_COMMAND_VERBS, parseFundCommand, runFundCommandCli, type FundCommandVerb } from './commands/fund-commands';
import { parseCancel, parseFunding, parsePayment, sendFunding, sendPayment } from './commands/project-money';
import { formatWan } from '../domain/shared/money';
import { runTokenIssue, runTokenKeygen, runTokenRevoke } from './commands/token-issue';
import { tokenKeysOf } from '../api/token-keys';
import { runProjectList, runProjectShow } from './commands/project-queries';
import { runFundFlow, runFundList, runFundShow, runFundTotals } from './commands/fund-queries';
import { runAudit } from './commands/audit';
import { migrateVersion1IdNumbers } from '../infra/personal-data/migrate-v1';
import { REBUILD_USAGE, runDigest, runProjectionRebuild, runVerify } from './commands/store-checks';
import { runStandards } from './commands/standards';

const USAGE = `tuopin — poverty-alleviation projects, funds and exits, on the record

  tuopin project propose --as <user> --county <嵩县|song> --category <transport|…> --name <name>
                         --budget <350万|12.34元> --year <2016-2030> --village-record <json|@file>
                         [--role county-official] [--target <json|@file>] [--subsidy <standard>:<qty>[,…]] [--id <project id>]
                         [--deadlines '{"township-review":"10d","county-review":"15d",…}']
  tuopin project fund    --project <id> --fund <fund id> --amount <63万> --as <user> [--role county-finance] [--request-id <id>]
  tuopin project pay     --project <id> --fund <fund id> --allocation <id> --milestone <advance|progress|settlement|retention>
                         [--milestone-id <id>] --payee <account> [--household <household id>] --amount <18.9万>
                         --use <road-works|water-works|building-works|…: the expenditure kind> --as <user> [--role county-finance] [--request-id <id>]
  tuopin project cancel  --project <id> --reason <text> --as <user> [--role county-official] [--request-id <id>]
  tuopin project step    --project <id> --step <ApproveAtTownship|…> --as <user> --role <role> [--data <json>] [--request-id <id>]
  tuopin project status  <project id>
  tuopin project list    [--county <c>] [--category <c>] [--year <yyyy>] [--stage <stage>] [--next-role <role>] [--json]   a table, as GET /projects
  tuopin project show    <project id> [--json]   the read model's row and the workflow's live status
  tuopin fund appropriate --as <user> [--role county-finance] --county <嵩县|song> --fund <fund id> --source <central|…>
                          --year <2016-2030> --document <文号> --amount <500万> --earmark <transport,industry,…>
  tuopin fund list       [--county <c>] [--source <central|…>] [--year <yyyy>] [--json]   balances with totals reconciled to the fen
  tuopin fund totals     [--by source,county,year] [--county <c>] [--source <…>] [--year <yyyy>] [--json]   balances summed by source/county/year
  tuopin fund flow       <fund id> [--json]   where the money went: allocations → payments → payees, each with its source, reconciled to the fen
  tuopin fund show       <fund id> [--json]   the fund's books from its stream, and the read model's balances
  tuopin fund freeze     --fund <fund id> --reason <text> --as <user> [--role county-finance|city-poverty-office] [--county <id>] [--request-id <id>]
  tuopin fund unfreeze   --fund <fund id> --reason <text> --as <user> [--role county-finance|city-poverty-office] [--county <id>] [--request-id <id>]
  tuopin fund return     --fund <fund id> --amount <10万> --reason <text> --as <user> [--role county-finance] [--county <id>] [--request-id <id>]
${EXIT_USAGE}
  tuopin standards       [--json]   subsidy standards (the province's share per km, m², station) with units and sources, the four 省级全额补助 items, per-person standards
${BENEFIT_USAGE}
  tuopin token issue     --user <user> --role <role> [--county <嵩县|song>] [--ttl 8h]   a bearer token for the HTTP API (EdDSA, at most 12h; its id on stderr)
  tuopin token keygen    --kid <key id>   a new Ed25519 key pair: API_TOKEN_SIGNING_KEY for the issuer, API_TOKEN_PUBLIC_KEYS for the API
  tuopin token revoke    --jti <token id> --as <user> --reason <text>   every API process refuses the token from now on
  tuopin audit           <fund|project|household|payment|round> <id> [--csv <file>] [--json]   every event touching it, with hash-chain proofs
  tuopin verify          [--against <signed digest> --public-key <pem>]   recompute every stream's hash chain and report the
                         first broken link; against an earlier signed digest, also every stream's signed (version, head)
  tuopin pii migrate-v1  one-time: seal the clear ID numbers of events written before they were kept apart into their encrypted table
  tuopin digest keygen   --out <dir>   an Ed25519 key pair for signing store digests (keep the private key off the database host)
  tuopin digest sign     --key <private key file> [--out <file>]   a signed digest of the store: every stream's version and head
  tuopin projection rebuild <name>   rebuild a read model from the store and swap it in (needs DATABASE_ADMIN_URL)
  tuopin worker          run the Temporal worker, the relay and the projectors (or: npm run worker)`;

const out = (line = '') => process.stdout.write(`${line}\n`);

const main = async (argv: string[]): Promise<void> => {
  const [group, verb, ...rest] = argv;
  const cfg = config();
  if (group === 'project' && verb === 'propose') {
    const { command, taskQueue, deadlines } = parseProposal(rest);
    const client = await connectTemporal(cfg);
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      const started = await startProposal(client, command, taskQueue ?? cfg.TEMPORAL_TASK_QUEUE, deadlines ? { deadlines } : {});
      out(`proposed ${started.projectId} (workflow ${started.workflowId}, run ${started.runId})`);
      const path = await waitForProposal(client, db, started.projectId);
      out(`recorded at store position ${path.position}, stream version ${path.streamVersion}, event ${path.eventId}`);
    } finally {
      await db.destroy();
      await client.connection.close();
    }
    return;
  }
  if (group === 'project' && verb === 'step') {
    const { projectId, request, requestId } = parseStep(rest);
    const client = await connectTemporal(cfg);
    // Only to record a refusal (CommandRefused).
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      const r = await takeStep(client, projectId, request, requestId, db);
      out(`${request.type}: ${projectId} is now ${r.stage} (stream version ${r.streamVersion}, positions ${r.positions.join(', ') || 'none'})`);
    } finally {
      await db.destroy();
      await client.connection.close();
    }
    return;
  }
  if (group === 'project' && verb === 'status') {
    const projectId = rest[0];
    if (!projectId || rest.length !== 1) throw new CliError('CLI_USAGE', 'usage: tuopin project status <project id>');
    const client = await connectTemporal(cfg);
    try {
      const s = await client.workflow.getHandle(projectWorkflowId(projectId)).query(projectStatusQuery);
      out(JSON.stringify(s, null, 2));
    } finally {
      await client.connection.close();
    }
    return;
  }
  if (group === 'project' && (verb === 'list' || verb === 'show')) {
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    const client = verb === 'show' ? await connectTemporal(cfg) : undefined;
    try {
      if (client) await runProjectShow(rest, { db, client }, out);
      else await runProjectList(rest, db, out);
    } finally {
      await db.destroy();
      await client?.connection.close();
    }
    return;
  }
  if (group === 'project' && (verb === 'fund' || verb === 'pay' || verb === 'cancel')) {
    // Parse before connecting: a bad flag is told at once, naming the flag.
    const parsed = verb === 'fund' ? parseFunding(rest) : verb === 'pay' ? parsePayment(rest) : parseCancel(rest);
    const client = await connectTemporal(cfg);
    // Only to record a refusal (CommandRefused).
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      if (verb === 'fund') {
        const r = await sendFunding(client, parsed as ReturnType<typeof parseFunding>, db);
        out(`allocation ${r.allocationId}: ${parsed.projectId} is now ${r.stage} (stream version ${r.streamVersion}, positions ${r.positions.join(', ')})`);
      } else if (verb === 'pay') {
        const p = parsed as ReturnType<typeof parsePayment>;
        const r = await sendPayment(client, p, db);
        out(`paid ${formatWan(p.request.amount)}元 as ${r.paymentId} (rail transfer ${r.transferId}): ${p.projectId} is ${r.stage} (positions ${r.positions.join(', ')})`);
      } else {
        const c = parsed as ReturnType<typeof parseCancel>;
        const r = await takeStep(client, c.projectId, c.request, c.requestId, db);
        out(`cancelled ${c.projectId} (stream version ${r.streamVersion}); unpaid allocations released to their funds`);
      }
    } finally {
      await db.destroy();
      await client.connection.close();
    }
    return;
  }
  if (group === 'fund' && verb === 'appropriate') {
    const command = parseAppropriation(rest);
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      const r = await runAppropriation(db, command);
      out(`${r.duplicate ? 'already appropriated' : 'appropriated'} ${command.data.fundId}: ${formatYuan(command.data.amount)} at store position ${r.position}, event ${r.eventId}`);
      for (const line of await describeFund(db, command.data.fundId)) out(line);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'fund' && FUND_COMMAND_VERBS.includes(verb as FundCommandVerb)) {
    const parsed = parseFundCommand(verb as FundCommandVerb, rest);
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      out(describeOutcome(parsed, await runFundCommandCli(db, parsed)));
      for (const line of await describeFund(db, parsed.command.data.fundId)) out(line);
    } finally {
      await db.destroy();
    }
    return;
  }
  if ((group === 'fund' && (verb === 'list' || verb === 'show' || verb === 'totals' || verb === 'flow')) || group === 'audit') {
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      if (group === 'audit') await runAudit(argv.slice(1), db, out);
      else if (verb === 'list') await runFundList(rest, db, out);
      else if (verb === 'totals') await runFundTotals(rest, db, out);
      else if (verb === 'flow') await runFundFlow(rest, db, out);
      else await runFundShow(rest, db, out);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'projection') {
    if (verb !== 'rebuild') throw new CliError('CLI_USAGE', REBUILD_USAGE);
    const adminDb = createDb(cfg.DATABASE_ADMIN_URL, { max: 2, applicationName: 'tuopin-cli' });
    try {
      await runProjectionRebuild(rest, adminDb, out);
    } finally {
      await adminDb.destroy();
    }
    return;
  }
  if (group === 'exit') return runExit(verb, rest, cfg, out);
  if (group === 'standards') return runStandards(argv.slice(1), out);
  if (group === 'benefit' || group === 'household') {
    let client: Awaited<ReturnType<typeof connectTemporal>> | undefined;
    const db = createDb(cfg.DATABASE_URL, { max: 2, applicationName: 'tuopin-cli' });
    try {
      if (group === 'benefit') return await runBenefit(verb, rest, async () => (client ??= await connectTemporal(cfg)), cfg, out);
      return await runHousehold(verb, rest, db, cfg, out);
    } finally {
      await db.destroy();
      await client?.connection.close();
    }
  }
  if (group === 'token' && verb === 'issue') {
    const issued = await runTokenIssue(rest, tokenKeysOf(cfg));
    // The token alone on stdout (TOKEN=$(tuopin token issue …)); its id, which revokes it, on stderr.
    out(issued.token);
    process.stderr.write(`token id (jti) ${issued.jti}, expires ${issued.expiresAt.toISOString()}\n`);
    return;
  }
  if (group === 'token' && verb === 'keygen') {
    const pair = runTokenKeygen(rest);
    out(`API_TOKEN_SIGNING_KEY=${pair.signing}   # the issuer only; keep it out of the API's environment`);
    out(`API_TOKEN_PUBLIC_KEYS=${pair.public}   # the API; add beside the old one to rotate`);
    return;
  }
  if (group === 'token' && verb === 'revoke') {
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      out(`revoked ${await runTokenRevoke(rest, db)}`);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'verify') {
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      await runVerify(db, out, undefined, argv.slice(1));
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'pii' && verb === 'migrate-v1' && rest.length === 0) {
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      const r = await migrateVersion1IdNumbers(db, cfg.PII_MASTER_KEY, cfg.MEMBER_KEY_SALT);
      out(`sealed the ID numbers of ${r.households} household(s), ${r.members} member(s), into household_member_ids`);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'digest') {
    let db: ReturnType<typeof createDb> | undefined;
    try {
      await runDigest(argv.slice(1), () => (db ??= createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' })), out);
    } finally {
      await db?.destroy();
    }
    return;
  }
  if (group === 'worker' && verb === undefined) {
    const all = await startAll(cfg);
    const stop = () => void all.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await all.running;
    return;
  }
  out(USAGE);
  if (group !== undefined && group !== 'help' && group !== '--help') throw new CliError('CLI_USAGE', `unknown command: ${argv.join(' ')}`);
};

if (require.main === module) {
  main(process.argv.slice(2)).then(
    () => process.exit(process.exitCode ?? 0),
    (e: unknown) => {
      if (e instanceof CliError || e instanceof ConfigError) process.stderr.write(`error [${e instanceof CliError ? e.code : e.code}]: ${e.message}\n`);
      else process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(e instanceof CliError && e.code === 'CLI_USAGE' ? 64 : 1);
    },
  );
}

export { main };
