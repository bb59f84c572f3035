/// <reference lib="dom" />
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Fen } from '../domain/shared/money';
import { issueToken } from '../infra/tokens/tokens';
import { developmentTokenKeys } from '../infra/tokens/token-keys';
import { UI_DIST } from '../api/web-ui';
import { startTestStack } from '../test/support/stack';
import { APPROVER, PROPOSER, startProject, step, TOWNSHIP } from '../test/support/project-walk';
import { CHROMIUM, CHROMIUM_ARGS, startUiServer } from '../test/support/ui-server';
import { percentile } from './stats';
import { exitOnError } from './exit-on-error';

/**
 * The web UI's first load in a real Chromium on localhost, each load in a fresh browser context
 * (empty cache): the dashboard (我的待办, signed in) until its table shows the work and its first
 * link takes a click, and a project with 100 events until its timeline shows all of them and its
 * first action button takes a click. Beside it in the same run: the API calls
 * those pages make, alone (what any page must wait for). And the JavaScript the first page loads,
 * gzipped. Targets: ≤ 1.5 s to interactive, ≤ 400 KB gzipped.
 */
export interface UiLoadBenchOptions {
  readonly loads: number;
  readonly log: (s: string) => void;
}

const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(0)} ms, p95 ${percentile(s, 95).toFixed(0)} ms`;
};

export const runUiLoadBench = async (o: UiLoadBenchOptions): Promise<void> => {
  const { log } = o;
  const stack = await startTestStack('benchui');
  const ui = await startUiServer(stack);
  let browser: Browser | undefined;
  try {
    // A project with 100 events. An objection sends the project back to county review (the notice
    // runs again in full), so the objections come in rounds: approve, publish, object, until 100.
    const h = await startProject(stack, { budget: 105_000_000 as Fen });
    const projectId = h.workflowId.replace(/^project-/, '');
    const streamId = `project-${projectId}`;
    const countEvents = async () =>
      Number(
        (
          await stack.db.appDb
            .selectFrom('events')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('stream_id', '=', streamId)
            .executeTakeFirst()
        )?.n ?? 0,
      );
    await step(h, { type: 'ApproveAtTownship', data: { opinion: '同意' }, actor: TOWNSHIP });
    const round = [
      () => step(h, { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕12号' }, actor: APPROVER }),
      () => step(h, { type: 'PublishNotice', data: {}, actor: APPROVER }),
      (i: number) => step(h, { type: 'RaiseObjection', data: { objectionId: `obj-${i}`, summary: `第${i + 1}条异议：线路占用耕地，请核实` }, actor: TOWNSHIP }),
    ];
    // Each step appends one event; the projection of the stream is read once at the end.
    for (let n = await countEvents(), i = 0; n < 100; n++, i++) await round[i % 3]!(Math.floor(i / 3));
    // Nine more proposals waiting for the township: the dashboard's work.
    for (let i = 0; i < 9; i++) await startProject(stack);
    const events = await countEvents();
    log(`-- project ${projectId}: ${events} events; 9 proposals wait for the township official; ${o.loads} cold loads each, listener ${ui.url}`);

    const township = (await issueToken(developmentTokenKeys(), TOWNSHIP, 3600)).token;
    const county = (await issueToken(developmentTokenKeys(), { ...PROPOSER, userId: 'zhang.wei' }, 3600)).token;
    // 我的待办 reads the projects from the read model, which the projector fills a moment after the
    // proposals start: a cold load before then shows fewer rows and waits for the missing ones in vain.
    for (const until = Date.now() + 60_000; ;) {
      const r = await fetch(`${ui.url}/my-work`, { headers: { authorization: `Bearer ${township}` } });
      const n = r.ok ? ((await r.json()) as { items: unknown[] }).items.length : 0;
      if (n >= 9) break;
      if (Date.now() > until) throw new Error(`我的待办 lists ${n} of the 9 proposals after 60 s`);
      await new Promise((res) => setTimeout(res, 250));
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });

    /** Where a load's time went: when the last script and the last API answer arrived, and when the content showed, from the start. */
    type Phases = { js: number[]; api: number[]; shown: number[] };
    const phases: Record<'dash' | 'proj', Phases> = { dash: { js: [], api: [], shown: [] }, proj: { js: [], api: [], shown: [] } };
    /**
     * Interactive means a person can use the page, not only see it: the content is shown, and a click
     * on the page's first control lands on that control (no loading mask or overlay catches it) and
     * the control is enabled.
     */
    const usable = (p: Page, selector: string) =>
      p.waitForFunction(
        (sel) => {
          const el = document.querySelector(sel);
          if (!el || (el as HTMLButtonElement).disabled) return false;
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) return false;
          const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return hit !== null && el.contains(hit);
        },
        selector,
        { timeout: 30_000 },
      );
    /** One cold load: a fresh context (empty cache), the token already in the tab as after sign-in. */
    const coldLoad = async (
      token: string,
      hash: string,
      ready: { shown: (p: Page) => Promise<void>; control: string },
      o: { js?: Set<string>; phases?: Phases } = {},
    ): Promise<number> => {
      const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      await context.addInitScript((t) => sessionStorage.setItem('tuopin.token', t), token);
      const page = await context.newPage();
      let lastJs = 0;
      let lastApi = 0;
      page.on('requestfinished', (r) => {
        const at = performance.now() - t0;
        if (r.resourceType() === 'script') {
          o.js?.add(new URL(r.url()).pathname);
          lastJs = Math.max(lastJs, at);
        } else if (r.resourceType() === 'fetch' || r.resourceType() === 'xhr') lastApi = Math.max(lastApi, at);
      });
      const t0 = performance.now();
      await page.goto(`${ui.url}/#${hash}`, { waitUntil: 'commit' });
      await ready.shown(page);
      const shown = performance.now() - t0;
      await usable(page, ready.control);
      const ms = performance.now() - t0;
      o.phases?.js.push(lastJs);
      o.phases?.api.push(lastApi);
      o.phases?.shown.push(shown);
      await context.close();
      return ms;
    };
    const dashboardReady = {
      shown: (p: Page) => p.locator('[data-test=work-table] tbody tr').nth(8).waitFor({ timeout: 30_000 }),
      control: '[data-test=work-table] tbody tr a',
    };
    const projectReady = {
      shown: (p: Page) =>
        p
          .locator('[data-test=timeline] tbody tr')
          .nth(Number(events) - 1)
          .waitFor({ timeout: 30_000 }),
      control: '[data-test=actions] button',
    };

    // Warm-up (the server's first requests, Chromium's first start), not counted.
    const firstPageJs = new Set<string>();
    await coldLoad(township, '/work', dashboardReady, { js: firstPageJs });
    await coldLoad(county, `/projects/${projectId}`, projectReady);

    const dash: number[] = [];
    const proj: number[] = [];
    const apiDash: number[] = [];
    const apiProj: number[] = [];
    const get = async (url: string, token: string) => {
      const r = await fetch(`${ui.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
      if (!r.ok) throw new Error(`${url} answered ${r.status}`);
      await r.arrayBuffer();
    };
    for (let i = 0; i < o.loads; i++) {
      dash.push(await coldLoad(township, '/work', dashboardReady, { phases: phases.dash }));
      proj.push(await coldLoad(county, `/projects/${projectId}`, projectReady, { phases: phases.proj }));
      let t0 = performance.now();
      await get('/me', township);
      await get('/my-work', township);
      apiDash.push(performance.now() - t0);
      t0 = performance.now();
      await get('/me', county);
      await Promise.all([get(`/projects/${projectId}/file`, county), get(`/audit/project/${projectId}`, county)]);
      apiProj.push(performance.now() - t0);
    }
    const p50 = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );
    log(
      `dashboard (我的待办, 9 items) first load to interactive: ${fmt(dash)}; its API calls alone: ${fmt(apiDash)} (page ${(p50(dash) / p50(apiDash)).toFixed(1)}× at p50); target 1,500 ms: ${p50(dash) <= 1500 ? 'met' : 'not met'}`,
    );
    log(
      `project with ${events} events, first load to interactive: ${fmt(proj)}; its API calls alone: ${fmt(apiProj)} (page ${(p50(proj) / p50(apiProj)).toFixed(1)}× at p50); target 1,500 ms: ${p50(proj) <= 1500 ? 'met' : 'not met'}`,
    );
    for (const [name, ph] of [
      ['dashboard', phases.dash],
      ['project', phases.proj],
    ] as const)
      log(
        `  ${name}: last script arrived at p50 ${p50(ph.js).toFixed(0)} ms, last API answer at p50 ${p50(ph.api).toFixed(0)} ms, content shown at p50 ${p50(ph.shown).toFixed(0)} ms (between, rendering; after it, until its first control takes a click)`,
      );
    const gz = [...firstPageJs].map((p) => statSync(path.join(UI_DIST, `${p}.gz`)).size);
    const raw = [...firstPageJs].map((p) => readFileSync(path.join(UI_DIST, p)).length);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    log(
      `JS of the first page (sign-in state → 我的待办): ${firstPageJs.size} files, ${kb(gz.reduce((a, b) => a + b, 0))} gzipped (${kb(raw.reduce((a, b) => a + b, 0))} raw); target 400 KB: ${gz.reduce((a, b) => a + b, 0) <= 400 * 1024 ? 'met' : 'not met'}`,
    );
  } finally {
    await browser?.close();
    await ui.close();
    await stack.stop();
  }
};

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  runUiLoadBench({ loads: quick ? 3 : 10, log: (s) => process.stdout.write(`${s}\n`) }).then(() => process.exit(0), exitOnError);
}
