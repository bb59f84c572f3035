import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RAIL_MAX_ATTEMPTS, railRetry, readRetry, STORE_STEP_MAX_ATTEMPTS, storeRetry } from '../workflows/retry-policies';

describe("a step's activity retries are bounded", () => {
  it('every policy has a maximum number of attempts; a final store error is never retried', () => {
    const store = storeRetry(['EventStoreInvalid']);
    expect(store.maximumAttempts).toBe(STORE_STEP_MAX_ATTEMPTS);
    expect(store.nonRetryableErrorTypes).toContain('EventStoreInvalid');
    expect(railRetry.maximumAttempts).toBe(RAIL_MAX_ATTEMPTS);
    expect(readRetry.maximumAttempts).toBeGreaterThan(0);
    for (const p of [store, railRetry, readRetry]) expect(p.maximumAttempts).toBeLessThanOrEqual(100);
  });

  it('every workflow takes its activities’ retries from these policies (none unbounded of its own)', () => {
    const dir = path.join(__dirname, '..', 'workflows');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && f !== 'retry-policies.ts');
    const proxies = files.flatMap((f) => {
      const text = readFileSync(path.join(dir, f), 'utf8');
      return [...text.matchAll(/proxy(?:Local)?Activities<.+?>\(\{([\s\S]*?)\}\);/g)].map((m) => ({ file: f, options: m[1]! }));
    });
    expect(proxies.length).toBeGreaterThanOrEqual(8);
    for (const p of proxies) expect({ file: p.file, retry: /retry:\s*(storeRetry\(|railRetry|readRetry)/.test(p.options) }).toEqual({ file: p.file, retry: true });
  });

  it('a store activity that keeps failing gives up within about 16 minutes, the rail within about half an hour', () => {
    // initial 0.5 s doubling to a 10 s ceiling (coefficient 2): the sum of the waits between attempts.
    const waits = (initial: number, max: number, attempts: number) => Array.from({ length: attempts - 1 }, (_, i) => Math.min(initial * 2 ** i, max)).reduce((a, b) => a + b, 0);
    expect(waits(0.5, 10, STORE_STEP_MAX_ATTEMPTS) / 60).toBeLessThan(17);
    expect(waits(1, 30, RAIL_MAX_ATTEMPTS) / 60).toBeLessThan(31);
  });
});
