import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The modules a workflow imports at run time (not `import type`, which leaves nothing in the bundle).
const runtimeImports = (source: string): string[] =>
  [...source.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+'([^']+)'/gms), ...source.matchAll(/^import\s+'([^']+)'/gm)].flatMap((m) => (m[1] ? [m[1]] : []));

const WORKFLOWS = path.join(__dirname, '..', 'workflows');
const read = (file: string) => readFileSync(path.join(WORKFLOWS, file), 'utf8');
const shared = new Set(runtimeImports(read('shared-modules.ts')));
const workflowFiles = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && f !== 'shared-modules.ts');

describe("the modules the workflow bundle preloads, shared by all of a worker sandbox's workflows (workflows/shared-modules.ts)", () => {
  it('reads the imports it checks', () => {
    expect(
      runtimeImports("import { a, type B } from '../domain/x';\nimport type { C } from '../domain/y';\nexport type { D } from './z';\nimport {\n  e,\n} from './w.messages';"),
    ).toEqual(['../domain/x', './w.messages']);
  });

  // A module a run imports but the sandbox does not share is evaluated again for every run the worker
  // keeps: its memory and CPU a run, as before shared-modules.ts.
  it.each(workflowFiles)('lists every domain module and message module %s imports', (file) => {
    const wanted = runtimeImports(read(file)).filter((m) => m.startsWith('../domain/') || m.endsWith('.messages'));
    expect(wanted.filter((m) => !shared.has(m))).toEqual([]);
  });

  it('lists no workflow itself: a workflow module stays one per run', () => {
    expect([...shared].filter((m) => m.startsWith('./') && !m.endsWith('.messages') && m !== './freeze-except-schemas')).toEqual([]);
  });
});
