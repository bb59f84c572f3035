import path from 'node:path';

/**
 * The stack's own log file, set when this module is imported: first, before anything opens the logger,
 * so `npm run stack`, `npm run demo` and `npm test` show people's lines ("[stack] …") and keep the JSON in
 * the data folder. An operator's own TUOPIN_LOG_FILE wins.
 */
export const stackLogFile = process.env.TUOPIN_LOG_FILE || path.resolve(process.env.TUOPIN_DATA_DIR || '.data', 'stack.log');
process.env.TUOPIN_LOG_FILE = stackLogFile;
