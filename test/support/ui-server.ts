/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { apiApp } from '../../api/app';
import { apiDepsOf } from '../../api/deps';
import { webUi } from '../../api/web-ui';
import { buildUi } from '../../ui/build';
import type { TestStack } from './stack';

/** Debian's chromium (apt-get install chromium fonts-noto-cjk; .ci/run installs it when missing): no browser is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface UiServer {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

/** The API and the web UI in one Fastify on a real port, as `npm run api` serves them, over a test stack; the development sign-in on. */
export const startUiServer = async (stack: TestStack, opts: { noticeDaySeconds?: number } = {}): Promise<UiServer> => {
  buildUi({ quiet: true });
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
  await app.register(
    apiApp(apiDepsOf(stack.cfg, { client: stack.client, db: stack.db.appDb }, { taskQueue: stack.taskQueue, devSignIn: true, rateLimitPerMinute: 1_000_000, ...opts })),
  );
  await app.register(webUi({ log: app.log }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
};

export interface Browser {
  readonly context: BrowserContext;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** A real Chromium with a new, empty profile; closed and the profile removed afterwards. */
export const launchBrowser = async (): Promise<Browser> => {
  const profile = mkdtempSync(path.join(tmpdir(), 'tuopin-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  return {
    context,
    newPage: async (viewport) => {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};

/**
 * What a screenshot shows, measured in the page itself (a canvas reads the PNG back): the share of
 * pixels unlike the background and the number of distinct colours. A blank or failed page is one
 * colour; a rendered page has text, tables and charts.
 */
export const screenshotStats = async (page: Page, png: Buffer): Promise<{ inked: number; colours: number }> =>
  page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const bg = [d[0], d[1], d[2]];
    let inked = 0;
    const colours = new Set<number>();
    for (let i = 0; i < d.length; i += 16) {
      if (Math.abs(d[i]! - bg[0]!) + Math.abs(d[i + 1]! - bg[1]!) + Math.abs(d[i + 2]! - bg[2]!) > 24) inked++;
      colours.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
    }
    return { inked: inked / (d.length / 16), colours: colours.size };
  }, png.toString('base64'));

/**
 * Whether Chinese renders as glyphs, not tofu: with the page's own font, different characters draw
 * different pixels (missing glyphs all draw the same box) and each is about as wide as a CJK glyph.
 */
export const cjkRendered = async (page: Page, selector: string): Promise<{ distinct: boolean; widthRatio: number; sample: string }> =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel) as HTMLElement;
    const text = (el.textContent ?? '').replace(/[^\u4e00-\u9fff]/g, '');
    const font = getComputedStyle(el).font;
    const draw = (ch: string) => {
      const c = document.createElement('canvas');
      c.width = 64;
      c.height = 64;
      const g = c.getContext('2d')!;
      g.font = font.replace(/\d+(\.\d+)?px/, '40px');
      g.fillStyle = '#000';
      g.textBaseline = 'top';
      g.fillText(ch, 4, 4);
      return { data: Array.from(g.getImageData(0, 0, 64, 64).data).join(','), width: g.measureText(ch).width, latin: g.measureText('M').width };
    };
    const a = draw(text[0] ?? '脱');
    const b = draw(text[1] ?? '贫');
    return { distinct: a.data !== b.data, widthRatio: a.width / a.latin, sample: text.slice(0, 8) };
  }, selector);

/** The roles a person operates: each must have a name a screen reader can say. */
const CONTROL_ROLES = new Set([
  'button',
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'checkbox',
  'radio',
  'spinbutton',
  'slider',
  'switch',
  'link',
  'tab',
  'menuitem',
  'option',
]);

interface AxNode {
  readonly ignored: boolean;
  readonly role?: { readonly value?: unknown };
  readonly name?: { readonly value?: unknown };
  readonly backendDOMNodeId?: number;
}

/**
 * The controls on the page that Chromium's own accessibility tree gives no name (what a screen
 * reader would announce as just "button" or "edit"), each described by its tag, id and classes.
 * Hidden and inert nodes are ignored by Chromium and so not listed.
 */
export const unnamedControls = async (page: Page): Promise<string[]> => {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as unknown as { nodes: AxNode[] };
    const unnamed = nodes.filter((n) => !n.ignored && CONTROL_ROLES.has(String(n.role?.value)) && !String(n.name?.value ?? '').trim());
    return await Promise.all(
      unnamed.map(async (n) => {
        if (n.backendDOMNodeId === undefined) return String(n.role?.value);
        const { node } = (await cdp.send('DOM.describeNode', { backendNodeId: n.backendDOMNodeId })) as { node: { localName: string; attributes?: string[] } };
        const a = node.attributes ?? [];
        const attr = (k: string) => a[a.indexOf(k) + 1];
        return `${String(n.role?.value)}: <${node.localName}${a.includes('id') ? ` id="${attr('id')}"` : ''}${a.includes('class') ? ` class="${attr('class')}"` : ''}>`;
      }),
    );
  } finally {
    await cdp.detach();
  }
};
