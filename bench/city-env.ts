import path from 'node:path';

/**
 * The city bench's data folder and log file, set when this module is imported: first, before
 * anything opens the logger, so the simulation's log lines go to the file and the screen keeps the figures.
 */
export const cityDataDir = path.resolve(process.env.TUOPIN_DATA_DIR || '.data', 'bench-city');
export const cityLogFile = path.join(cityDataDir, `city-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
process.env.TUOPIN_LOG_FILE = cityLogFile;
