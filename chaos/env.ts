import path from 'node:path';

/**
 * The fault run's folder (logs, the JetStream store, the Temporal SQLite file, each run's data) and
 * its own log file, set when this module is imported: first, before anything opens the logger, so the
 * screen keeps the operator's lines.
 */
export const chaosDir = path.resolve(process.env.TUOPIN_DATA_DIR || '.data', 'chaos', new Date().toISOString().replace(/[:.]/g, '-'));
process.env.TUOPIN_LOG_FILE = path.join(chaosDir, 'chaos.log');
