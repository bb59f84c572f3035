import { config, ConfigError } from '../infra/config';
import { createDb } from '../infra/database';
import { formatWan, formatYuan } from '../domain/shared/money';
import { PROJECT_STEP_NAMES, STAGE_NAMES, zhOf } from '../domain/names';
import { CliError } from './args';
import { helpLanguage, usageText } from './usage';

// Each command loads its own modules when it runs: \`tuopin help\` and the read-only queries never load
// Temporal's client or worker, which cost most of a call's start-up.
const temporal = () => import('../infra/temporal-client.js');

// What a command did: the English first, as scripts read it (the README's walkthrough takes an allocation's id from '^allocation …'), then the Chinese.
const out = (line = '') => process.stdout.write(`${line}\n`);

/** The actor assertion beside a workflow request (cli/actor-token.ts), when there is one. */
const withAssertion = (assertion: string | undefined): { assertion?: string } => (assertion !== undefined ? { assertion } : {});

const main = async (argv: string[]): Promise<void> => {
  const [group, verb, ...rest] = argv;
  const cfg = config();
  if (group === 'project' && verb === 'propose') {
    const { parseProposal } = await import('./commands/project-propose.js');
    const { startProposal } = await import('../services/project-proposals.js');
    const { waitForProposal } = await import('./commands/project-path.js');
    const { scaledProjectPolicies } = await import('../domain/policy/time-scale.js');
    const { connectTemporal } = await temporal();
    const { assertionFor } = await import('./actor-token.js');
    const { command, taskQueue, deadlines } = parseProposal(rest);
    const assertion = await assertionFor(cfg, command.meta.actor);
    const client = await connectTemporal(cfg);
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      // Under a declared time scale (TUOPIN_SECONDS_PER_DAY, refused outside a simulation namespace) the notice and the warranty run scaled, as the demo's do.
      const scale = cfg.TUOPIN_SECONDS_PER_DAY === undefined ? {} : { policies: scaledProjectPolicies({ secondsPerDay: cfg.TUOPIN_SECONDS_PER_DAY }) };
      const started = await startProposal(client, command, taskQueue ?? cfg.TEMPORAL_TASK_QUEUE, { ...(deadlines ? { deadlines } : {}), ...scale }, assertion);
      out(`proposed ${started.projectId} (workflow ${started.workflowId}, run ${started.runId}) 已申报`);
      const path = await waitForProposal(client, db, started.projectId);
      out(`recorded at store position ${path.position}, stream version ${path.streamVersion}, event ${path.eventId} 已入库`);
    } finally {
      await db.destroy();
      await client.connection.close();
    }
    return;
  }
  if (group === 'project' && verb === 'step') {
    const { parseStep, takeStep } = await import('./commands/project-step.js');
    const { connectTemporal } = await temporal();
    const { assertionFor } = await import('./actor-token.js');
    const { projectId, request: parsedRequest, requestId } = parseStep(rest);
    const request = { ...parsedRequest, ...withAssertion(await assertionFor(cfg, parsedRequest.actor)) };
    const client = await connectTemporal(cfg);
    // Only to record a refusal (CommandRefused).
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      const r = await takeStep(client, projectId, request, requestId, db);
      out(
        `${request.type}: ${projectId} is now ${r.stage} (stream version ${r.streamVersion}, positions ${r.positions.join(', ') || 'none'}) ${zhOf(PROJECT_STEP_NAMES, request.type)}，现为${zhOf(STAGE_NAMES, r.stage)}`,
      );
    } finally {
      await db.destroy();
      await client.connection.close();
    }
    return;
  }
  if (group === 'project' && verb === 'steps') {
    const { runProjectSteps } = await import('./commands/project-steps.js');
    let db: ReturnType<typeof createDb> | undefined;
    try {
      await runProjectSteps(rest, () => (db ??= createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' })), out);
    } finally {
      await db?.destroy();
    }
    return;
  }
  if (group === 'project' && verb === 'status') {
    const { runProjectStatus } = await import('./commands/project-queries.js');
    const { connectTemporal } = await temporal();
    const client = await connectTemporal(cfg);
    try {
      await runProjectStatus(rest, client, out);
    } finally {
      await client.connection.close();
    }
    return;
  }
  if (group === 'project' && (verb === 'list' || verb === 'show')) {
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    const client = verb === 'show' ? await (await temporal()).connectTemporal(cfg) : undefined;
    try {
      if (client) await (await import('./commands/project-queries.js')).runProjectShow(rest, { db, client }, out);
      else await (await import('./commands/project-list.js')).runProjectList(rest, db, out);
    } finally {
      await db.destroy();
      await client?.connection.close();
    }
    return;
  }
  if (group === 'project' && (verb === 'fund' || verb === 'pay' || verb === 'cancel')) {
    const { parseCancel, parseFunding, parsePayment, sendFunding, sendPayment } = await import('./commands/project-money.js');
    const { takeStep } = await import('./commands/project-step.js');
    const { connectTemporal } = await temporal();
    // Parse before connecting: a bad flag is told at once, naming the flag.
    const { assertionFor } = await import('./actor-token.js');
    const bare = verb === 'fund' ? parseFunding(rest) : verb === 'pay' ? parsePayment(rest) : parseCancel(rest);
    const parsed = { ...bare, request: { ...bare.request, ...withAssertion(await assertionFor(cfg, bare.request.actor)) } };
    const client = await connectTemporal(cfg);
    // Only to record a refusal (CommandRefused).
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      if (verb === 'fund') {
        const r = await sendFunding(client, parsed as ReturnType<typeof parseFunding>, db);
        out(
          `allocation ${r.allocationId}: ${parsed.projectId} is now ${r.stage} (stream version ${r.streamVersion}, positions ${r.positions.join(', ')}) 资金已安排，现为${zhOf(STAGE_NAMES, r.stage)}`,
        );
      } else if (verb === 'pay') {
        const p = parsed as ReturnType<typeof parsePayment>;
        const r = await sendPayment(client, p, db);
        out(
          `paid ${formatWan(p.request.amount)}元 as ${r.paymentId} (rail transfer ${r.transferId}): ${p.projectId} is ${r.stage} (positions ${r.positions.join(', ')}) 已拨付，现为${zhOf(STAGE_NAMES, r.stage)}`,
        );
      } else {
        const c = parsed as ReturnType<typeof parseCancel>;
        const r = await takeStep(client, c.projectId, c.request, c.requestId, db);
        out(`cancelled ${c.projectId} (stream version ${r.streamVersion}); unpaid allocations released to their funds 已撤销，未拨付的安排已退回各资金`);
      }
    } finally {
      await db.destroy();
      await client.connection.close();
    }
    return;
  }
  if (group === 'fund' && verb === 'appropriate') {
    const { describeFund, parseAppropriation, runAppropriation } = await import('./commands/fund-appropriate.js');
    const command = parseAppropriation(rest);
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      const r = await runAppropriation(db, command);
      out(
        `${r.duplicate ? 'already appropriated' : 'appropriated'} ${command.data.fundId}: ${formatYuan(command.data.amount)} at store position ${r.position}, event ${r.eventId} ${r.duplicate ? '此前已下达' : '已下达'}`,
      );
      for (const line of await describeFund(db, command.data.fundId)) out(line);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'fund' && (verb === 'integrate' || verb === 'integration')) {
    const { runIntegrate, runIntegration } = await import('./commands/fund-integrate.js');
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      await (verb === 'integrate' ? runIntegrate : runIntegration)(rest, db, out);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'fund' && (verb === 'freeze' || verb === 'unfreeze' || verb === 'return')) {
    const { describeFund } = await import('./commands/fund-appropriate.js');
    const { describeOutcome, parseFundCommand, runFundCommandCli } = await import('./commands/fund-commands.js');
    const parsed = parseFundCommand(verb, rest);
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
    const { runFundFlow, runFundList, runFundShow, runFundTotals } = await import('./commands/fund-queries.js');
    const { runAudit } = await import('./commands/audit.js');
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
    const { rebuildUsage, runProjectionRebuild } = await import('./commands/store-checks.js');
    if (verb !== 'rebuild') throw rebuildUsage();
    const adminDb = createDb(cfg.DATABASE_ADMIN_URL, { max: 2, applicationName: 'tuopin-cli' });
    try {
      await runProjectionRebuild(rest, adminDb, out);
    } finally {
      await adminDb.destroy();
    }
    return;
  }
  if (group === 'exit') return (await import('./commands/exit.js')).runExit(verb, rest, cfg, out);
  if (group === 'standards') return (await import('./commands/standards.js')).runStandards(argv.slice(1), out);
  if (group === 'benefit' || group === 'household') {
    const { runBenefit, runHousehold } = await import('./commands/benefit.js');
    const { connectTemporal } = await temporal();
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
  if (group === 'complaint') {
    const { runComplaint } = await import('./commands/complaint.js');
    const { connectTemporal } = await temporal();
    let client: Awaited<ReturnType<typeof connectTemporal>> | undefined;
    const db = createDb(cfg.DATABASE_URL, { max: 2, applicationName: 'tuopin-cli' });
    try {
      return await runComplaint(verb, rest, db, async () => (client ??= await connectTemporal(cfg)), cfg, out);
    } finally {
      await db.destroy();
      await client?.connection.close();
    }
  }
  if (group === 'progress') {
    const { runProgress } = await import('./commands/plan-progress.js');
    const db = createDb(cfg.DATABASE_URL, { max: 2, applicationName: 'tuopin-cli' });
    try {
      return await runProgress(verb, rest, db, out);
    } finally {
      await db.destroy();
    }
  }
  if (group === 'token' && verb === 'issue') {
    const { runTokenIssue } = await import('./commands/token-issue.js');
    const { tokenKeysOf } = await import('../infra/tokens/token-keys.js');
    const issued = await runTokenIssue(rest, tokenKeysOf(cfg));
    // The token alone on stdout (TOKEN=$(tuopin token issue …)); its id, which revokes it, on stderr.
    out(issued.token);
    process.stderr.write(`token id (jti) ${issued.jti}, expires ${issued.expiresAt.toISOString()} 令牌编号 ${issued.jti}，到期 ${issued.expiresAt.toISOString()}\n`);
    return;
  }
  if (group === 'token' && verb === 'keygen') {
    const { keygenLines, runTokenKeygen } = await import('./commands/token-issue.js');
    const pair = runTokenKeygen(rest);
    for (const line of keygenLines(pair)) out(line);
    return;
  }
  if (group === 'token' && verb === 'revoke') {
    const { runTokenRevoke } = await import('./commands/token-issue.js');
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      out(`revoked ${await runTokenRevoke(rest, db)} 已吊销`);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'verify') {
    const { runVerify } = await import('./commands/store-checks.js');
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      await runVerify(db, out, undefined, argv.slice(1));
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'rail' && verb === 'reconcile') {
    const { runRailReconcile } = await import('./commands/rail-reconcile.js');
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      await runRailReconcile(rest, db, out);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'pii' && verb === 'migrate-v1' && rest.length === 0) {
    const { migrateVersion1IdNumbers } = await import('../infra/personal-data/migrate-v1.js');
    const db = createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' });
    try {
      const r = await migrateVersion1IdNumbers(db, cfg.PII_MASTER_KEY, cfg.MEMBER_KEY_SALT);
      out(`sealed the ID numbers of ${r.households} household(s), ${r.members} member(s), into household_member_ids 已加密 ${r.households} 户、${r.members} 名成员的身份证号`);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'report') {
    const { runReport } = await import('./commands/report.js');
    const db = createDb(cfg.DATABASE_URL, { max: 2, applicationName: 'tuopin-cli' });
    try {
      await runReport(argv.slice(1), db, out);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (group === 'digest') {
    const { runDigest } = await import('./commands/store-checks.js');
    let db: ReturnType<typeof createDb> | undefined;
    try {
      await runDigest(argv.slice(1), () => (db ??= createDb(cfg.DATABASE_URL, { max: 1, applicationName: 'tuopin-cli' })), out);
    } finally {
      await db?.destroy();
    }
    return;
  }
  if (group === 'worker' && verb === undefined) {
    const { runWorker } = await import('../workers/main.js');
    // Returns only once drained: returning when the Temporal workers stop would exit before the relay and projectors did.
    await runWorker(cfg);
    return;
  }
  out(usageText(helpLanguage(process.env)));
  if (group !== undefined && group !== 'help' && group !== '--help')
    throw new CliError('CLI_USAGE', `unknown command: ${argv.join(' ')}\n  没有这个命令：${argv.join(' ')}（命令列表见上）`);
};

/** Runs one command line and exits with its code: 64 for a usage error, 1 for any other failure. */
export const runCli = (argv: string[]): Promise<never> =>
  main(argv).then(
    () => process.exit(process.exitCode ?? 0),
    (e: unknown) => {
      if (e instanceof CliError || e instanceof ConfigError) process.stderr.write(`error [${e instanceof CliError ? e.code : e.code}]: ${e.message}\n`);
      else process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(e instanceof CliError && e.code === 'CLI_USAGE' ? 64 : 1);
    },
  );

export { main };
