import { spawnSync } from 'node:child_process';
import path from 'node:path';

jest.setTimeout(120_000);

describe('the UI’s client types', () => {
  // In a child process: openapi-typescript is ESM inside, which jest's CommonJS runtime cannot load.
  it('are what the API’s OpenAPI document (/docs/json) generates now: npm run ui:types after changing a route', () => {
    const root = path.join(__dirname, '..');
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'gen-types.ts'), '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.stdout.trim()).toBe('the UI types are up to date');
    expect(r.status).toBe(0);
  });
});
