import { spawn } from 'node:child_process';
import path from 'node:path';
import { createBenchDatabase } from './benchdb';
import { percentile } from './stats';
import { exitOnError } from './exit-on-error';

/**
 * How fast the CLI answers, as a person at a terminal waits for it: `tuopin help`, and `tuopin
 * project list` printing one page (150 projects) from a throwaway database, each the whole process
 * through bin/tuopin (the staleness check, Node's start, the bundle, the query). Beside them, in
 * turn in the same run, the floor: `node -e 0`, Node starting and doing nothing. Wall time from
 * spawn to exit, p50 and p95.
 */
export interface CliStartBenchOptions {
  /** Counted runs of each command (after one warm-up run each, which also builds the bundle and its code cache). */
  runs: number;
  log: (s: string) => void;
}

const ROOT = path.join(__dirname, '..');
const TUOPIN = path.join(ROOT, 'bin/tuopin');
const TARGET_MS = { help: 300, list: 600 } as const;

/** One run's wall time in ms; refuses a run that fails, so a broken command is never timed as a fast one. */
const timed = (command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> =>
  new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
  });

export const runCliStartBench = async (o: CliStartBenchOptions): Promise<void> => {
  const db = await createBenchDatabase(1);
  try {
    await db.adminDb
      .insertInto('project_summary')
      .values(
        Array.from({ length: 150 }, (_, i) => ({
          project_id: `prj-song-2016-bench${String(i).padStart(4, '0')}`,
          county_id: 'song',
          category: 'transport',
          name: `车村镇通村道路硬化 ${i}`,
          budget_fen: 105_000_000 + i,
          fiscal_year: 2016,
          stage: 'proposed',
          proposed_by: 'li.ming',
          last_event_position: i + 1,
          next_role: 'township-official',
          next_county_id: 'song',
          level: 'village',
          township_id: null,
          village_id: null,
        })),
      )
      .execute();
    const env = { ...process.env, DATABASE_URL: db.appUrl, LOG_LEVEL: 'warn' };
    const commands = [
      { label: 'floor: node -e 0', run: () => timed(process.execPath, ['-e', '0'], env) },
      { label: 'tuopin help', target: TARGET_MS.help, run: () => timed(TUOPIN, ['help'], env) },
      { label: 'tuopin project list (one page, 150 projects)', target: TARGET_MS.list, run: () => timed(TUOPIN, ['project', 'list'], env) },
    ];
    for (const c of commands) await c.run();
    const times: number[][] = commands.map(() => []);
    // In turn, not one after the other: a machine that slows down mid-run slows all three alike.
    for (let r = 0; r < o.runs; r++) for (const [i, c] of commands.entries()) times[i]!.push(await c.run());
    const p = (xs: number[], q: number) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        q,
      );
    const floor = p(times[0]!, 50);
    for (const [i, c] of commands.entries()) {
      const p50 = p(times[i]!, 50);
      const verdict = c.target === undefined ? '' : `  (target <= ${c.target} ms: ${p50 <= c.target ? 'met' : 'NOT met'})`;
      o.log(
        `${c.label.padEnd(46)} ${String(o.runs).padStart(3)} runs  p50 ${p50.toFixed(0).padStart(5)} ms  p95 ${p(times[i]!, 95).toFixed(0).padStart(5)} ms  ${(p50 / floor).toFixed(2).padStart(5)}x the floor${verdict}`,
      );
    }
  } finally {
    await db.drop();
  }
};

if (require.main === module) {
  const i = process.argv.indexOf('--runs');
  runCliStartBench({ runs: i > 0 ? Number(process.argv[i + 1]) : 20, log: (s) => process.stdout.write(`${s}\n`) }).then(() => process.exit(0), exitOnError);
}
