// Builds the CLI into one CommonJS file (.build/cli.cjs) that cli/launch.cjs runs; bin/tuopin calls it
// when a source is newer than the bundle. Plain JavaScript, run by node itself: a TypeScript runner
// would add its own start-up to every rebuild.
//
// zod, kysely and pg (with what pg requires) are bundled: every command loads them, and from
// node_modules they cost ~250 ms of resolving and compiling hundreds of small files at each call;
// inside the bundle V8's code cache (cli/launch.cjs) covers them. Every other package stays in
// node_modules: Temporal's (native core bridge, the workflow bundler), NATS, pino (its transports
// load files by path), and those only some commands use.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { build } from 'esbuild';

const BUNDLED = new Set(['zod', 'kysely', 'pg']);
/** pg's optional native driver, loaded only when asked for (pg.native). */
const NEVER_BUNDLED = new Set(['pg-native']);

const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const inPackages = (file) => file.split(path.sep).includes('node_modules');

const root = path.resolve(import.meta.dirname, '..');
const [outfile] = process.argv.slice(2);
if (!outfile?.endsWith('.cjs')) throw new Error('usage: node cli/bundle.mjs <outfile>.cjs');

// The worker's relay and projectors run in a thread of their own (workers/delivery.ts), which loads
// its code from a file: built beside the CLI's, from the same sources, in the same build.
const result = await build({
  entryPoints: { [path.basename(outfile, '.cjs')]: path.join(root, 'cli/main.ts'), 'delivery-thread': path.join(root, 'workers/delivery-thread.ts') },
  outdir: path.dirname(outfile),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Whitespace and syntax only: names stay, so a stack trace names its functions; positions come
  // from the map (cli/launch.cjs reads it only when a stack is printed).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  write: false,
  logLevel: 'error',
  plugins: [
    {
      name: 'packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          const name = packageOf(args.path);
          if (args.path.startsWith('node:') || NEVER_BUNDLED.has(name)) return { path: args.path, external: true };
          // What a bundled package requires is bundled with it; our own sources bundle only the chosen packages.
          if (inPackages(args.importer) || BUNDLED.has(name)) return undefined;
          return { path: args.path, external: true };
        });
        // pg asks whether it runs in a Cloudflare Worker by touching the globals navigator and Response,
        // and Node 20 loads its fetch implementation (undici, ~20 ms) to answer: at every call, for a
        // question whose answer here is no. Left as it is if a later pg words it otherwise.
        b.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => ({
          contents: (await readFile(args.path, 'utf8')).replace('if (isCloudflareRuntime()) {', 'if (false) {'),
          loader: 'js',
        }));
      },
    },
  ],
});

// cli/launch.cjs compiles the bundle with vm.Script, where import() needs a flag Node 20 does not
// set: every import must have become a require.
const dynamic = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.kind === 'dynamic-import' && i.external));
if (dynamic.length > 0) throw new Error(`the CLI bundle may not import() a module left outside it: ${dynamic.map((i) => i.path).join(', ')} (use a static import)`);

// The maps first, then the thread's bundle, then the CLI's, each renamed into place: a call running
// meanwhile sees the old bundles or the new ones whole (bin/tuopin rebuilds by the CLI's bundle's
// time). Code caches of earlier bundles go (cli/launch.cjs names them).
const rank = (file) => (file.path.endsWith('.map') ? 0 : file.path === path.resolve(outfile) ? 2 : 1);
for (const file of [...result.outputFiles].sort((a, b) => rank(a) - rank(b))) {
  const tmp = `${file.path}.${process.pid}`;
  await writeFile(tmp, file.contents);
  await rename(tmp, file.path);
}
await rm(path.join(path.dirname(outfile), 'v8-cache'), { recursive: true, force: true });
