import { startTestStack } from '../test/support/stack';
import { startProject } from '../test/support/project-walk';
import { projectStatusQuery } from '../workflows/project-lifecycle.messages';
import { exitOnError } from './exit-on-error';

/**
 * What a workflow kept in a worker's cache costs the process (issue 17): starts N projects that
 * each wait for their township review, on a test stack with the worker in this process, and prints
 * the resident memory and the main thread's heap every 50. Run it with TEMPORAL_MAX_CACHED_WORKFLOWS
 * unset (1000) or set (e.g. 100000 to see the SDK's unbounded growth).
 *
 *   LOG_LEVEL=warn npx tsx bench/workflow-memory.ts [N=300]
 */
const N = Number(process.argv[2] ?? '300');
const mib = (b: number) => (b / 1048576).toFixed(0);

const main = async () => {
  const stack = await startTestStack('workflow-memory');
  process.stdout.write(`cache ${stack.cfg.TEMPORAL_MAX_CACHED_WORKFLOWS} a worker; start: RSS ${mib(process.memoryUsage().rss)} MiB\n`);
  const started = [];
  let first: { i: number; rss: number } | undefined;
  let last = first;
  for (let i = 1; i <= N; i++) {
    const h = await startProject(stack);
    started.push(h);
    if (i % 50 === 0) {
      await h.query(projectStatusQuery);
      const m = process.memoryUsage();
      process.stdout.write(`${i} projects waiting: RSS ${mib(m.rss)} MiB, main heap ${mib(m.heapUsed)} MiB\n`);
      last = { i, rss: m.rss };
      first ??= last;
    }
  }
  // From the first report on, so the process's start (bundle, pools, the first runs) is left out.
  if (first && last && last.i > first.i) {
    process.stdout.write(`a cached workflow: ${((last.rss - first.rss) / (last.i - first.i) / 1048576).toFixed(2)} MiB of RSS (${first.i} → ${last.i} projects)\n`);
  }
  for (const h of started) await h.terminate().catch(() => undefined);
  await stack.stop();
};

main().then(() => process.exit(0), exitOnError);
