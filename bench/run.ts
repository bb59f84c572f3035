import { spawn } from 'node:child_process';
import path from 'node:path';
import { runEventStoreBench } from './eventstore';
import { runRaceSoak } from './soak-race';
import { runExitCountyBench } from './exit-county';
import { PROJECT_LEVELS, runProjectLifecycleBench } from './project-lifecycle';
import { runApiAuditBench } from './api-audit';
import { runApiApprovalBench } from './api-approval';
import { runUiLoadBench } from './ui-load';
import { runBenefitRoundBench } from './benefit-round';
import { runCliStartBench } from './cli-start';
import { runTracingCostBench } from './tracing-cost';
import { exitOnError } from './exit-on-error';

/**
 * Every bench, in one run on one machine, so the ratios compare like with like.
 * `--quick` shrinks the counts (a smoke run); `--no-soak` skips the 100,000-append race soak; `--no-exit` skips the exit county;
 * `--benefit-households N` sizes the county-wide benefit round (20,000; 500 with --quick), `--no-benefit` skips it;
 * `--city [scale] [--lanes v,p,r]` runs only the plan as a benchmark (bench/city.ts; default the whole city at full scale; villages, projects and benefit rounds moved at once, default 64,48,16);
 * `--no-ui` skips the web UI's first loads; `--no-cli` skips the CLI's start-up (help, a one-page project list, against `node -e 0`); `--no-tracing` skips tracing's cost (approvals and reads, tracing on against off); `--no-projects` skips the project lifecycle (payments and whole projects); `--no-api` skips the HTTP API (audit trail on a
 * store of a million events, kept between runs in its own database; approval → read model).
 */
const log = (s: string): void => {
  process.stdout.write(`${s}\n`);
};

/** `--city [scale]` is its own run, in its own process, so its peak memory is the simulation's alone. */
const cityBench = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, path.join(__dirname, 'city.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 2));
  });

const main = async (): Promise<number> => {
  if (process.argv.includes('--city')) return cityBench();
  const quick = process.argv.includes('--quick');
  if (!process.argv.includes('--no-cli')) {
    log('== CLI start-up: whole processes, against node -e 0 in the same run');
    await runCliStartBench({ runs: quick ? 5 : 20, log });
  }
  log(`== event store${quick ? ' (quick)' : ''}`);
  await runEventStoreBench(
    quick
      ? { singleAppends: 2_000, batchAppends: 200, batchSize: 10, plainInserts: 2_000, log }
      : { singleAppends: 16_000, batchAppends: 2_000, batchSize: 10, plainInserts: 16_000, log },
  );
  if (!process.argv.includes('--no-projects')) {
    log('== project lifecycle: payments and whole projects');
    await runProjectLifecycleBench({ payments: quick ? 20 : 200, levels: PROJECT_LEVELS(quick), log });
  }
  if (!process.argv.includes('--no-api')) {
    log(`== HTTP API: a fund's audit trail in a store of ${quick ? '100,000' : '1,000,000'} events`);
    await runApiAuditBench({ storeEvents: quick ? 100_000 : 1_000_000, requests: quick ? 20 : 100, log });
    log('== HTTP API: approval → read model');
    await runApiApprovalBench({ commands: quick ? 40 : 500, log });
  }
  if (!process.argv.includes('--no-tracing')) {
    log('== tracing: approvals and reads through the API, tracing on against off, in turn');
    await runTracingCostBench({ projects: quick ? 10 : 40, log });
  }
  if (!process.argv.includes('--no-ui')) {
    log("== web UI: first load in Chromium (dashboard, a project with 100 events) and the first page's JS");
    await runUiLoadBench({ loads: quick ? 3 : 10, log });
  }
  if (!process.argv.includes('--no-exit')) {
    log('== one county (嵩县) registered and taken through one exit round');
    await runExitCountyBench({ countyId: 'song', scale: quick ? { num: 1, den: 50 } : { num: 1, den: 1 }, concurrency: 8, noticeSeconds: 2, log });
  }
  if (!process.argv.includes('--no-benefit')) {
    const i = process.argv.indexOf('--benefit-households');
    const households = i > 0 ? Number(process.argv[i + 1]) : quick ? 500 : 20_000;
    log(`== one county-wide benefit round (到户): ${households} households, draft → paid → reconciled`);
    await runBenefitRoundBench({ households, batchSize: 200, log });
  }
  if (process.argv.includes('--no-soak')) return 0;
  log('== gap-safe tail under concurrent appends');
  const problems = await runRaceSoak({ total: quick ? 10_000 : 100_000, streams: 10_000, log });
  return problems === 0 ? 0 : 1;
};

main().then((code) => process.exit(code), exitOnError);
