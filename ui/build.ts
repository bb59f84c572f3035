import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { uiNamesJson } from './names';

/**
 * Builds the web UI when its bundle is missing or stale: the stamp in ui/dist records a digest of
 * everything the bundle is made from (sources, index.html, the Vite config, the lockfile, the names
 * from domain/names). `npm run api`, `demo`, `test` and `bench` call this first, so the two set-up
 * commands build it; a second call with nothing changed returns at once. `--force` builds anyway.
 */
const UI = __dirname;
const ROOT = path.join(UI, '..');
const DIST = path.join(UI, 'dist');
const STAMP = path.join(DIST, '.build-stamp');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });

export const sourceDigest = (): string => {
  const h = createHash('sha256');
  for (const f of [...filesUnder(path.join(UI, 'src')), path.join(UI, 'index.html'), path.join(UI, 'vite.config.mts'), path.join(ROOT, 'package-lock.json')]) {
    h.update(path.relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  h.update(uiNamesJson());
  return h.digest('hex');
};

/** .gz and .br beside every text asset, so the server sends them precompressed (api/web-ui.ts). */
const compressAssets = (): void => {
  for (const f of filesUnder(DIST)) {
    if (!/\.(js|css|html|svg|json)$/.test(f)) continue;
    const body = readFileSync(f);
    writeFileSync(`${f}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(`${f}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
};

export const buildUi = (opts: { force?: boolean; quiet?: boolean } = {}): { built: boolean; ms: number } => {
  const t0 = Date.now();
  const digest = sourceDigest();
  if (!opts.force && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === digest && existsSync(path.join(DIST, 'index.html'))) return { built: false, ms: Date.now() - t0 };
  if (!opts.quiet) process.stderr.write('[ui] building the web UI (vite)…\n');
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(UI, 'vite.config.mts'), '--logLevel', opts.quiet ? 'warn' : 'info'],
    {
      cwd: UI,
      stdio: 'inherit',
    },
  );
  compressAssets();
  writeFileSync(STAMP, `${digest}\n`);
  return { built: true, ms: Date.now() - t0 };
};

if (require.main === module) {
  try {
    const r = buildUi({ force: process.argv.includes('--force') });
    process.stderr.write(r.built ? `[ui] built in ${(r.ms / 1000).toFixed(1)} s\n` : '[ui] the web UI is up to date\n');
  } catch (e) {
    process.stderr.write(`[ui] build failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
