import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
/** Folders webpack never takes workflow code from. */
const SKIP = new Set(['node_modules', 'ui', 'test', 'docs', 'reports', 'bench', 'sim', 'cli', 'chaos', 'ops']);

const sources = (dir: string, out: string[] = []): string[] => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!(dir === ROOT && SKIP.has(e.name))) sources(p, out);
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) out.push(p);
  }
  return out;
};

/**
 * The workflow bundle for a simulated run, built once per version of the code and kept under the
 * data folder (TUOPIN_WORKFLOW_BUNDLE then names it): webpack takes 5–10 s of each run's start on
 * this machine. The key is every TypeScript source the bundle could take code from and the
 * lockfile, so a changed file builds a new one. With tracing on the bundle carries the tracing
 * interceptors: then nothing is kept and the worker bundles as usual (undefined).
 */
export const cachedWorkflowBundle = async (dataDir: string): Promise<string | undefined> => {
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const hash = createHash('sha256');
  for (const f of sources(ROOT).sort()) hash.update(path.relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  hash.update(readFileSync(path.join(ROOT, 'package-lock.json')));
  const dir = path.join(dataDir, 'workflow-bundles');
  const file = path.join(dir, `workflow-bundle-${hash.digest('hex').slice(0, 16)}.json`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const { writeWorkflowBundle } = await import('../workers/workflow-bundle.js');
  // Written beside and renamed: a run that stops half-way never leaves half a bundle under the key.
  const partial = `${file}.${process.pid}.part`;
  await writeWorkflowBundle(partial);
  renameSync(partial, file);
  // Only the current code's bundle is kept.
  for (const old of readdirSync(dir)) if (path.join(dir, old) !== file) rmSync(path.join(dir, old), { force: true });
  return file;
};
