import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simulationEnv } from '../../sim/env';

/**
 * The demo test's environment, set when this module is imported: first, before anything that reads
 * the configuration or opens the log. Its own database and a small stream, so a demo running beside
 * it is not disturbed and the server's JetStream store is not reserved by a test.
 */
export const demoDataDir = mkdtempSync(path.join(tmpdir(), 'tuopin-demo-'));
export const demoLogFile = path.join(demoDataDir, 'demo.log');
export const DEMO_DAY_MS = 10;

Object.assign(
  process.env,
  simulationEnv(process.env, {
    dayMs: DEMO_DAY_MS,
    logFile: demoLogFile,
    database: 'tuopin_sim_test',
    stream: 'TEST_TUOPIN_SIM',
    subjectPrefix: 'tuopin.simtest',
    maxBytes: 256 * 1024 ** 2,
  }),
);
