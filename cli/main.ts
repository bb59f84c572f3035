import { helpLanguage, usageText } from './usage';

// The entry point. Help is answered before anything else loads; every other command loads its own
// modules (cli/run.ts), so a call pays only for what it uses.
const argv = process.argv.slice(2);
if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help') {
  // --zh / --en choose the help's language; otherwise the locale does (LC_ALL, LC_MESSAGES, LANG).
  const lang = argv.includes('--zh') ? 'zh' : argv.includes('--en') ? 'en' : helpLanguage(process.env);
  process.stdout.write(`${usageText(lang)}\n`);
} else void import('./run.js').then((r) => r.runCli(argv));
