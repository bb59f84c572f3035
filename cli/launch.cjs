'use strict';
// Runs the CLI's bundle (cli/bundle.mjs) with V8's code cache: `node cli/launch.cjs .build/cli.cjs <args>`.
// Compiling the 2 MB bundle and the functions a command calls cost most of a call's CPU; Node 20 has
// no compile cache of its own (module.enableCompileCache came in Node 22), so this file keeps one:
// the first run of a command writes what V8 compiled for it, and later runs start from that.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { fileURLToPath } = require('node:url');

const bundle = path.resolve(process.argv[2]);
// The command sees the argv it would see if node ran the bundle itself.
process.argv.splice(1, 2, bundle);

// One cache per command (its first two words), each holding what that command compiled; the
// folder is named after the bundle's size and time, so a rebuilt bundle never meets an old cache
// (V8 checks only the source's length).
const { size, mtimeMs } = fs.statSync(bundle);
const command =
  process.argv
    .slice(2, 4)
    .filter((w) => /^[a-z][a-z-]{0,30}$/.test(w))
    .join('-') || 'help';
const cacheFile = path.join(path.dirname(bundle), 'v8-cache', `${size}-${Math.trunc(mtimeMs)}`, `${command}.bin`);

let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The CommonJS wrapper on a line of its own (lineOffset -1): positions in the bundle stay as its map has them.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${fs.readFileSync(bundle, 'utf8')}\n})`, {
  filename: bundle,
  lineOffset: -1,
  cachedData,
});
if (cachedData === undefined || script.cachedDataRejected) {
  process.once('exit', () => {
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // Only a cache: the next run compiles again.
    }
  });
}

// Stack traces name the TypeScript sources, as --enable-source-maps did (Node maps only files its own
// loader compiled); the map is read at the first stack that passes through the bundle.
let map;
const sourceMap = () => {
  if (map === undefined) {
    try {
      map = new Module.SourceMap(JSON.parse(fs.readFileSync(`${bundle}.map`, 'utf8')));
    } catch {
      map = null;
    }
  }
  return map;
};
const frameText = (frame) => {
  const text = String(frame);
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  if (frame.getFileName() !== bundle || line === null || column === null || sourceMap() === null) return text;
  const e = sourceMap().findEntry(line - 1, column - 1);
  if (!e || typeof e.originalSource !== 'string') return text;
  const file = e.originalSource.startsWith('file:') ? fileURLToPath(e.originalSource) : path.resolve(path.dirname(bundle), e.originalSource);
  return text.replace(`${bundle}:${line}:${column}`, `${file}:${e.originalLine + 1}:${e.originalColumn + 1}`);
};
const header = (error) => {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
};
Error.prepareStackTrace = (error, frames) => `${header(error)}${frames.map((f) => `\n    at ${frameText(f)}`).join('')}`;

const cli = new Module(bundle, module);
cli.filename = bundle;
script.runInThisContext().call(cli.exports, cli.exports, Module.createRequire(bundle), cli, bundle, path.dirname(bundle));
