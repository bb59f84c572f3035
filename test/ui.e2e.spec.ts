import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Fen } from '../domain/shared/money';
import { STAGE_NAMES } from '../domain/names';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { appropriate, startProject } from './support/project-walk';
import { waitForProposal, waitForSummary } from '../cli/commands/project-path';
import { cjkRendered, launchBrowser, screenshotStats, startUiServer, unnamedControls, type Browser, type UiServer } from './support/ui-server';
import { aboveLine, householdBody } from './support/exit-households';
import { issueToken } from '../infra/tokens/tokens';
import { developmentTokenKeys } from '../infra/tokens/token-keys';

jest.setTimeout(300_000);

/** Screenshots are this run's artifacts (CI keeps test-artifacts/); the README shows the committed set in docs/ui/. */
const ARTIFACTS = path.join(__dirname, '..', 'test-artifacts', 'ui');

/** The stage as the UI shows it: its name from domain/names, the one table the UI is built with. */
const STAGE = Object.fromEntries(Object.entries(STAGE_NAMES).map(([k, v]) => [k, v.zh])) as Record<keyof typeof STAGE_NAMES, string>;

/** Exit workflows' ids name the village and year: a fresh village per run keeps runs apart on the shared Temporal server. */
const VILLAGE = `vil-song-u${randomBytes(3).toString('hex')}`;

const CENTRAL = 'fund-song-2016-a-central';
const COUNTY = 'fund-song-2016-b-county';

describe('the web UI in a real Chromium: a project from township review to its first payment, and the inspector’s view of the fund', () => {
  let stack: TestStack;
  let ui: UiServer;
  let browser: Browser;
  let page: Page;
  let projectId = '';
  /** What the browser reported as blocked by the content security policy (api/security-headers.ts): nothing, or the policy is wrong. */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startTestStack('ui-e2e');
    // A notice day of one second, as in the exits' API test.
    ui = await startUiServer(stack, { noticeDaySeconds: 1 });
    await appropriate(stack.db.appDb, CENTRAL, 'central', 500_000_000);
    await appropriate(stack.db.appDb, COUNTY, 'county', 200_000_000);
    // Proposed by li.ming (county official) with a one-second notice (test policy).
    const h = await startProject(stack, { budget: 105_000_000 as Fen });
    projectId = h.workflowId.replace(/^project-/, '');
    // 我的待办 finds projects in the read model, which the proposal reaches after the workflow's first activity appends it:
    // it is there before the township official looks.
    const recorded = await waitForProposal(stack.client, stack.db.appDb, projectId);
    await waitForSummary(stack.db.appDb, projectId, recorded.position);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  });
  // What the page showed when each test ended: the first thing to look at when one fails.
  let n = 0;
  afterEach(async () => {
    await page?.screenshot({ path: path.join(ARTIFACTS, `after-${++n}.png`) }).catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
    await stack?.stop();
  });

  const signInAs = async (userId: string, p: Page = page) => {
    await p.goto(`${ui.url}/#/sign-in?as=${userId}`);
    await p.locator('.el-select:has(#si-user)').getByText(`（${userId}）`).waitFor();
    await p.locator('[data-test=si-submit]').click();
    await p.waitForURL(/#\/work/);
  };
  const openProject = async () => {
    await page.goto(`${ui.url}/#/projects/${projectId}`);
    await page.locator('[data-test=actions]').waitFor();
  };
  const stage = () => page.locator('[data-test=stage]').innerText();
  const atStage = (want: string) => until(`the page showing stage ${want}`, stage, { ok: (shown) => shown === want });
  /** Takes the step through its button and dialog; `fill` sets the fields that need more than their defaults. */
  const takeStep = async (type: string, fill: () => Promise<void> = async () => {}) => {
    await page.locator(`[data-test=action-${type}]`).click();
    await page.locator('[data-test=step-form]').waitFor();
    await fill();
    await page.locator('[data-test=step-submit]').click();
    await page.locator('[data-test=step-form]').waitFor({ state: 'detached' });
    await page.locator('[data-test=actions]').waitFor();
  };
  const choose = async (field: string, text: string) => {
    await page.locator(`.el-select:has(#sf-${field})`).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
  };
  const shoot = async (name: string, heading = 'main', p: Page = page) => {
    await p.waitForTimeout(300);
    // Charts animate for a second: the picture waits until each has drawn (EChart.vue's data-drawn).
    await p.waitForFunction(() => Array.from(document.querySelectorAll('.chart')).every((c) => c.hasAttribute('data-drawn')));
    const png = await p.screenshot({ fullPage: false });
    writeFileSync(path.join(ARTIFACTS, `${name}.png`), png);
    const stats = await screenshotStats(p, png);
    expect(stats.inked).toBeGreaterThan(0.02);
    expect(stats.colours).toBeGreaterThan(20);
    const cjk = await cjkRendered(p, heading);
    expect(cjk.sample.length).toBeGreaterThan(0);
    expect(cjk.distinct).toBe(true);
    expect(cjk.widthRatio).toBeGreaterThan(1.1);
    return stats;
  };

  it('a township official finds the proposal in 我的待办 and approves it with an opinion', async () => {
    await page.goto(ui.url);
    await page.locator('[data-test=si-submit]').waitFor();
    await shoot('sign-in');
    await signInAs('wang.fang');
    const row = page.locator('[data-test=work-table]').getByText(projectId);
    await row.waitFor();
    await shoot('my-work');
    await page.locator('[data-test=work-table] a', { hasText: '乡镇审核通过' }).click();
    await page.locator('[data-test=step-form]').waitFor();
    await page.locator('#sf-opinion').fill('同意上报，线路已踏勘');
    await page.locator('[data-test=step-submit]').click();
    await atStage(STAGE['township-reviewed']);
    expect(await stage()).toBe(STAGE['township-reviewed']);
  });

  it('the proposer is not offered the county approval, and forcing it shows the API’s zh refusal', async () => {
    await signInAs('li.ming');
    await openProject();
    expect(await page.locator('[data-test=action-ApproveAtCounty]').count()).toBe(0);
    await page.goto(`${ui.url}/#/projects/${projectId}?step=ApproveAtCounty`);
    await page.locator('#sf-documentNumber').fill('嵩扶贫〔2016〕12号');
    await page.locator('[data-test=step-submit]').click();
    const refusal = page.locator('[data-test=refusal]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('申报人不得审批自己申报的项目');
    await shoot('refusal', '.el-dialog__title');
    expect(await stage()).toBe(STAGE['township-reviewed']);
  });

  it('a county official approves it and publishes the notice; once the notice has run, the project enters the library', async () => {
    await signInAs('zhang.wei');
    await openProject();
    await takeStep('ApproveAtCounty', () => page.locator('#sf-documentNumber').fill('嵩扶贫〔2016〕12号'));
    await atStage(STAGE['county-approved']);
    await takeStep('PublishNotice');
    await atStage(STAGE['in-notice']);
    // The test policy's notice is one second: the library step is refused until it has run.
    await page.waitForTimeout(1500);
    await openProject();
    await takeStep('EnterLibrary');
    await atStage(STAGE['in-library']);
    expect(await stage()).toBe(STAGE['in-library']);
  });

  it('a township official is offered nothing on a project in the library; a forced funding request shows the zh refusal', async () => {
    await signInAs('wang.fang');
    await openProject();
    await page.locator('[data-test=no-actions]').waitFor();
    await page.goto(`${ui.url}/#/projects/${projectId}?step=RecordFunding`);
    await page.locator('#sf-amount').fill('10万');
    await page.locator('[data-test=step-submit]').click();
    await page.locator('[data-test=refusal]').waitFor();
    expect(await page.locator('[data-test=refusal]').innerText()).toMatch(/无权办理/);
  });

  it('county finance funds it from two funds and pays the advance, the allowed amount computed and shown', async () => {
    await signInAs('qian.li');
    await openProject();
    await takeStep('RecordFunding', async () => {
      await choose('fundId', CENTRAL);
      await page.locator('#sf-amount').fill('63万');
    });
    await takeStep('RecordFunding', async () => {
      await choose('fundId', COUNTY);
      await page.locator('#sf-amount').fill('42万');
    });
    await atStage(STAGE.funded);
    expect(await page.locator('[data-test=funding-by-source]').innerText()).toMatch(/中央[\s\S]*63万元[\s\S]*县级[\s\S]*42万元/);

    await signInAs('zhang.wei');
    await openProject();
    await takeStep('StartConstruction', async () => {
      await page.locator('[data-test=sf-contractId]').fill('ctr-song-2016-001');
      await page.locator('[data-test=sf-contractor]').fill('payee-song-road-co-01');
      await page.locator('#sf-contractAmount').fill('1050000');
      await page.locator('#sf-advanceBp').fill('30');
      await page.locator('#sf-retentionBp').fill('3');
      await page.locator('#sf-warrantyMonths').fill('12');
    });
    await atStage(STAGE['under-construction']);

    await signInAs('qian.li');
    await openProject();
    await page.locator('[data-test=action-RecordPayment]').click();
    await page.locator('[data-test=step-form]').waitFor();
    await choose('allocation', CENTRAL);
    // The advance's room is 30% of the contract (31.5万), within the central allocation's 63万 unpaid.
    expect(await page.locator('[data-test=allowed-amount]').innerText()).toContain('31.5万元');
    expect(await page.locator('#sf-amount').inputValue()).toBe('315000.00元');
    await page.locator('[data-test=step-submit]').click();
    await page.locator('[data-test=step-form]').waitFor({ state: 'detached' });
    await until('the payment in payments by milestone', () => page.locator('[data-test=payments-by-milestone]').innerText(), { ok: (t) => t.includes('31.5万元') });
    expect(await page.locator('[data-test=payments-by-milestone]').innerText()).toContain('31.5万元');
    await shoot('project');
  });

  it('an inspector opens the fund: the payment is in the Sankey and in the trail with a valid proof; no action is offered on the project', async () => {
    await signInAs('sun.jian');
    await page.goto(`${ui.url}/#/funds/${CENTRAL}`);
    const sankey = page.locator('[data-test=sankey]');
    await sankey.waitFor();
    expect(await sankey.getAttribute('data-nodes')).toContain('payee-song-road-co-01');
    expect(await page.locator('canvas').count()).toBeGreaterThan(0);
    const trail = page.locator('[data-test=trail]');
    const disbursed = trail.locator('tr', { hasText: '资金拨付' });
    await disbursed.waitFor();
    expect(await disbursed.innerText()).toContain('31.5万元');
    expect(await disbursed.innerText()).toContain('已验证');
    await shoot('fund');
    await openProject();
    const offered = await page.locator('[data-test=actions] button').allInnerTexts();
    expect(offered).toEqual(['记录审计问题']);
  });

  it('every main page renders Chinese at 1366×768, and English on the switch', async () => {
    await signInAs('zhang.wei');
    for (const [name, hash] of [
      ['projects', '/projects'],
      ['funds', '/funds'],
      ['households', '/households'],
      ['anomalies', '/anomalies'],
    ] as const) {
      await page.goto(`${ui.url}/#${hash}`);
      await page.locator('main h2').waitFor();
      await page.waitForLoadState('networkidle');
      await shoot(name);
    }
    expect(await page.locator('[data-test=project-totals]').count()).toBe(0);
    await page.goto(`${ui.url}/#/projects`);
    await page.locator('[data-test=project-totals]').waitFor();
    expect(await page.locator('[data-test=project-totals]').innerText()).toMatch(/1 个项目，预算 105万元/);
    await page.getByText('EN', { exact: true }).click();
    await page.locator('main h2', { hasText: 'Projects' }).waitFor();
    await page.getByText('中文', { exact: true }).click();
  });

  it('the village work team takes an exit round’s steps on a phone (360×640): after the village’s appraisal, check and record consent', async () => {
    // The round is started over the API, as the work team does from its desk: three households of a new village, above the line in 2016.
    const token = ui.app.inject({ method: 'POST', url: '/auth/dev-sign-in', payload: { userId: 'w.team' } }).then((r) => r.json<{ token: string }>().token);
    const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const r = await ui.app.inject({ method, url, headers: { authorization: `Bearer ${await token}` }, ...(payload ? { payload } : {}) });
      if (r.statusCode >= 300) throw new Error(`${method} ${url} answered ${r.statusCode}: ${r.body}`);
      return r.json<Record<string, unknown>>();
    };
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const h = householdBody(VILLAGE, n);
      await call('POST', '/registry/households', h);
      ids.push(h.householdId);
    }
    await call('POST', '/exits/records', { records: ids.map((id) => aboveLine(id)) });
    await call('POST', '/exit-rounds', { villageId: VILLAGE, year: 2016 });
    await until('the exit round at village steps', () => call('GET', `/exit-rounds/${VILLAGE}/2016`), { ok: (r) => r.phase === 'village-steps' });
    // The village's democratic appraisal is the village committee's (村两委), over the API; the work team's steps follow it.
    const committee = (await issueToken(developmentTokenKeys(), { userId: 'cwh.checun', role: 'village-committee', countyId: 'song' }, 3600)).token;
    const appraised = await ui.app.inject({
      method: 'POST',
      url: `/exit-rounds/${VILLAGE}/2016/steps`,
      headers: { authorization: `Bearer ${committee}` },
      payload: { type: 'appraise', recordRef: '车村2016-评议-01', agreed: ids },
    });
    expect(appraised.statusCode).toBe(200);
    // 我的待办 finds running rounds through Temporal's visibility, which trails their start: the page is opened once it lists the round.
    await until('the round in the work team’s 我的待办', () => call('GET', '/my-work'), {
      ok: (w) => (w.items as { kind: string; ref: { villageId?: string } }[]).some((i) => i.kind === 'exit-round' && i.ref.villageId === VILLAGE),
    });

    const phone = await browser.newPage({ width: 360, height: 640 });
    phone.setDefaultTimeout(20_000);
    const narrow = async () => expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    try {
      // 我的待办 holds the round beside projects: its next step is the work team's check.
      await signInAs('w.team', phone);
      const roundRow = phone.locator('[data-test=work-table] tr', { hasText: `${VILLAGE} 2016年退出批次` });
      await roundRow.waitFor();
      expect(await roundRow.innerText()).toMatch(/贫困户退出批次[\s\S]*嵩县[\s\S]*村内评议核实中[\s\S]*工作队核实/);
      await roundRow.getByRole('link', { name: '工作队核实' }).click();
      await phone.locator('[data-test=round-form]').waitFor();
      expect(await phone.locator('[data-test=round-phase]').innerText()).toBe('村内评议核实中');
      expect(await phone.locator('[data-test=round-households] .round-hh').count()).toBe(3);
      // The appraisal is not the work team's to take: not offered.
      expect(await phone.locator('[data-test=round-step-appraise]').count()).toBe(0);
      await narrow();
      await shoot('work-team-360', 'main h2', phone);

      // The work team checks; whoever checked a household may not record its consent, so a township official records it.
      const steps = [
        ['check', null, () => phone.locator('#rs-findings').fill('三户均已入户核实，收入达标')],
        ['consent', 'wang.fang', () => phone.locator('#rs-ref').fill('车村2016-签字-01')],
      ] as const;
      for (const [type, who, fill] of steps) {
        if (who) {
          await signInAs(who, phone);
          await phone.goto(`${ui.url}/#/exit-rounds/${VILLAGE}/2016`);
          await phone.locator('[data-test=round-form]').waitFor();
        }
        await phone.locator(`[data-test=round-step-${type}]`).click();
        await phone.locator('[data-test=round-all]').click();
        await fill();
        await narrow();
        await phone.locator('[data-test=round-submit]').click();
        const outcome = phone.locator('[data-test=round-outcome]');
        await outcome.waitFor();
        expect(await outcome.innerText()).toContain('已办理 3 户');
      }
      // All three consented, waiting for the township's notice: the counts say so in Chinese.
      expect(await phone.locator('[data-test=round-counts]').innerText()).toMatch(/本户已认可，待公示\s*3 户/);
      expect(await phone.locator('[data-test=round-step-consent]').innerText()).toContain('（0）');
      await narrow();
      await shoot('work-team-360-done', 'main h2', phone);
      expect(await unnamedControls(phone)).toEqual([]);
      // Back in 我的待办, the round now waits for the village notice.
      await phone.goto(`${ui.url}/#/work`);
      await roundRow.waitFor();
      expect(await roundRow.innerText()).toContain('村内公示');
      // The households page opens any round by village and year, too.
      await phone.goto(`${ui.url}/#/households`);
      await phone.getByRole('tab', { name: '退出批次' }).click();
      await phone.locator('#rd-village').fill(VILLAGE);
      await phone.locator('#rd-year').fill('2016');
      await phone.locator('#rd-year').press('Tab');
      await narrow();
      await phone.locator('[data-test=round-open]').click();
      await phone.locator('[data-test=round-phase]').waitFor();
    } finally {
      await phone.close();
    }
    // The county official may take none of the village's steps: none is offered.
    await signInAs('zhang.wei');
    await page.goto(`${ui.url}/#/exit-rounds/${VILLAGE}/2016`);
    await page.locator('[data-test=round-no-steps]').waitFor();
    expect(await page.locator('[data-test=round-form]').count()).toBe(0);
  });

  it('at 1366×768 every control has a name a screen reader says, and a person signs in and opens a project by keyboard alone', async () => {
    await page.goto(`${ui.url}/#/sign-in?as=zhang.wei`);
    await page.locator('.el-select:has(#si-user)').getByText('（zhang.wei）').waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    // Tab to the sign-in button and press Enter: no mouse.
    await page.locator('body').focus();
    for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.getAttribute('data-test') === 'si-submit')); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/work/);
    for (const hash of ['/work', '/projects', `/projects/${projectId}`, '/funds', `/funds/${CENTRAL}`, '/households', '/anomalies', `/exit-rounds/${VILLAGE}/2016`]) {
      await page.goto(`${ui.url}/#${hash}`);
      await page.locator('main h2').waitFor();
      await page.waitForLoadState('networkidle');
      expect({ hash, unnamed: await unnamedControls(page) }).toEqual({ hash, unnamed: [] });
    }
    await page.goto(`${ui.url}/#/projects`);
    await page.locator('[data-test=project-totals]').waitFor();
    await page.locator('body').focus();
    const onProjectLink = () => page.evaluate((id) => (document.activeElement as HTMLAnchorElement | null)?.href?.endsWith(`/projects/${id}`) ?? false, projectId);
    for (let i = 0; i < 60 && !(await onProjectLink()); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/projects/${projectId}$`));
    await page.locator('[data-test=stage]').waitFor();
  });

  it('the browser blocked nothing under the content security policy on any page it opened', () => {
    expect(cspViolations).toEqual([]);
  });
});
