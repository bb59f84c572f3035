import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGo } from './temporal';

describe('runGo: a long Go build tells what it is doing', () => {
  it('reports elapsed time, modules downloaded and packages compiled at least every period, and the outcome', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fake-go-'));
    const go = path.join(dir, 'go');
    // What `go install -v` writes on stderr: downloads, then one package path per compiled package.
    writeFileSync(
      go,
      [
        '#!/bin/sh',
        'echo "go: downloading go.temporal.io/server v1.27.0" >&2',
        'sleep 0.3',
        'echo "go.temporal.io/api/common/v1" >&2',
        'echo "github.com/temporalio/cli/cmd/temporal" >&2',
        'sleep 0.3',
        'exit 0',
        '',
      ].join('\n'),
    );
    chmodSync(go, 0o755);
    const lines: string[] = [];
    const r = await runGo(go, ['install', '-v', 'x'], process.env, (l) => lines.push(l), 'Temporal CLI: go install', undefined, 100);
    expect(r.ok).toBe(true);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatch(/^Temporal CLI: go install: 0m0\ds, 1 modules downloaded, 2 packages compiled \(compiled github.com\/temporalio\/cli\/cmd\/temporal\)$/);
    expect(lines.some((l) => l.includes('downloading go.temporal.io/server'))).toBe(true);
  });

  it('a failing build is reported with its stderr', async () => {
    const r = await runGo('/bin/sh', ['-c', 'echo "build failed: no space" >&2; exit 2'], process.env, () => undefined, 'x', undefined, 100);
    expect(r).toEqual({ ok: false, stderr: 'build failed: no space\n' });
  });
});
