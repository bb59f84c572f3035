// The modules every workflow in a worker shares: evaluated once when the worker's sandbox starts (the
// bundle's `preloadModules`, workers/workflow-bundle.ts), not again for each run it takes into its
// cache. A run then evaluates only its workflow's own modules (workflows/index.ts). Each run used to
// evaluate all of these itself: ~140 modules, mostly zod and the domain's schemas, about 1.5 MiB of the
// process a cached workflow and a tenth of the workflow thread's CPU (issue 18).
//
// Only modules that keep no state of a run belong here: zod, the SDK's workflow API (it finds the run
// through the sandbox's globals at each call), the pure domain and the workflows' messages (Update and
// Query definitions, their zod schemas). A workflow's own module stays per run.
// workers/workflow-bundle.unit.spec.ts checks that every module a workflow imports at run time from
// domain/, zod or the messages is listed.
import '@temporalio/workflow';
import '../domain/benefit/authorize';
import '../domain/benefit/decide';
import '../domain/complaint/decide';
import '../domain/complaint/ids';
import '../domain/county/decide';
import '../domain/county/sample';
import '../domain/exits';
import '../domain/fund/ids';
import '../domain/household/decide-common';
import '../domain/household/ids';
import '../domain/identification/events';
import '../domain/identification/steps';
import '../domain/names/counties';
import '../domain/names/fields';
import '../domain/names/name';
import '../domain/project/decide';
import '../domain/project/event-parts';
import '../domain/project/evolve';
import '../domain/project/next-actor';
import '../domain/project/policies';
import '../domain/project/state';
import '../domain/project/step-schemas';
import '../domain/shared/actor';
import '../domain/shared/errors';
import '../domain/shared/ids';
import '../domain/shared/text';
import '../domain/village/decide';
import './benefit-round.messages';
import './complaint-case.messages';
import './county-exit.messages';
import './exit-round.messages';
import './identification.messages';
import './project-lifecycle.messages';
import './return-review.messages';
import './village-exit.messages';
import { freezeExceptSchemas } from './freeze-except-schemas';

// webpack's table of the bundle's modules; the reusable sandbox's module cache answers with the shared
// module of an id while no run is active, as now.
declare const __webpack_modules__: Record<string, unknown>;
const cache = (globalThis as { __webpack_module_cache__?: Record<string, { exports: unknown } | undefined> }).__webpack_module_cache__;
if (!cache) throw new Error('shared-modules: no __webpack_module_cache__; this module is meant to be preloaded into a worker sandbox with reuseV8Context');
for (const id of Object.keys(__webpack_modules__)) freezeExceptSchemas(cache[id]?.exports);
