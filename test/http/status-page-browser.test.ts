// The status page as a person sees it in headless Chromium (Debian's chromium package): names readable, hostile
// names shown as text and never run, bars drawn to the right width in the state's colour; with JavaScript off too.
import type { Page } from 'playwright-core';
import { hasChromium, launchChromium, type Chromium, CHROMIUM_PATH } from '../../scripts/chromium';
import { tokenInput } from '../support/engine';
import { startStatusServerOn, type RunningStatusServer } from '../support/status-server';
import { makeTempDir, removeDir } from '../support/temp-dir';

const SCRIPT_NAME = '<script>alert(1)</script>';
const ATTRIBUTE_NAME = '"><img src=x onerror=alert(1)>';

if (!hasChromium()) {
  console.warn(`status page browser test skipped: ${CHROMIUM_PATH} is missing (apt-get install chromium; .ci/run installs it)`);
}

(hasChromium() ? describe : describe.skip)('the status page in headless Chromium', () => {
  let dir: string;
  let s: RunningStatusServer;
  let browser: Chromium | null = null;

  beforeAll(async () => {
    dir = makeTempDir();
    s = await startStatusServerOn(dir);
    s.engine.clock.set('2027-01-10T10:00');
    s.engine.tokens.addMany(
      [
        tokenInput('Acme Schools', '2027-12-01T10:00'),
        tokenInput('Acme Stores', '2027-02-20T10:00'),
        tokenInput('Acme Kiosks', '2027-01-14T10:00'),
        tokenInput('Acme Legacy', '2027-01-05T10:00'),
        tokenInput(SCRIPT_NAME, '2027-06-01T10:00'),
        tokenInput(ATTRIBUTE_NAME, '2027-07-01T10:00'),
      ],
      s.engine.clock.now(),
    );
    await s.startAndScan();
  });
  afterEach(async () => {
    await browser?.close();
    browser = null;
  });
  afterAll(async () => {
    await s.close();
    removeDir(dir);
  });

  async function open(javaScriptEnabled: boolean): Promise<{ page: Page; dialogs: string[] }> {
    browser = await launchChromium({ javaScriptEnabled });
    const page = await browser.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const response = await page.goto(s.server.url);
    expect(response?.status()).toBe(200);
    return { page, dialogs };
  }

  /** What a reader sees in each token row: name, state and the days-left line. */
  async function visibleRows(page: Page): Promise<{ name: string; state: string; left: string }[]> {
    const rows = page.locator('tr.token');
    const result: { name: string; state: string; left: string }[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      await expect(row.isVisible()).resolves.toBe(true);
      result.push({
        name: (await row.locator('td.name').innerText()).replace(/\s*VPP$/, ''),
        state: await row.locator('.badge').innerText(),
        left: await row.locator('.left').innerText(),
      });
    }
    return result;
  }

  it.each([
    ['enabled', true],
    ['disabled', false],
  ])('shows every token by name with a readable state, the hostile names as plain text (JavaScript %s)', async (_label, isEnabled) => {
    const { page, dialogs } = await open(isEnabled);
    expect(await page.title()).toBe('tokenwatch status');
    expect(await visibleRows(page)).toEqual([
      { name: 'Acme Legacy', state: 'Expired', left: 'expired 5 days ago' },
      { name: 'Acme Kiosks', state: 'Critical', left: '4 days left' },
      { name: 'Acme Stores', state: 'Warning', left: '41 days left' },
      { name: SCRIPT_NAME, state: 'OK', left: '142 days left' },
      { name: ATTRIBUTE_NAME, state: 'OK', left: '172 days left' },
      { name: 'Acme Schools', state: 'OK', left: '325 days left' },
    ]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await page.locator('header .health').innerText()).toBe('healthy');
    expect(await page.locator('table.recent tr.delivery').count()).toBe(6);
  });

  it('draws each bar as the share of 12 months left, in the colour of its state', async () => {
    const { page } = await open(false);
    // Runs in the page: the DOM's types are not part of this (Node) project, so the few used are spelled out.
    type Box = { getBoundingClientRect(): { width: number; height: number }; getAttribute(name: string): string | null };
    type Row = { querySelector(selector: string): Box };
    const bars = await page.locator('tr.token').evaluateAll((rows) =>
      (rows as unknown as Row[]).map((row) => {
        const bar = row.querySelector('.bar');
        const fill = row.querySelector('.bar .fill');
        const getComputedStyle = (globalThis as unknown as { getComputedStyle: (element: Box) => { backgroundColor: string } }).getComputedStyle;
        return {
          ratio: Math.round((fill.getBoundingClientRect().width / bar.getBoundingClientRect().width) * 1000) / 1000,
          barWidth: bar.getBoundingClientRect().width,
          height: fill.getBoundingClientRect().height,
          colour: getComputedStyle(fill).backgroundColor,
          label: bar.getAttribute('aria-label'),
        };
      }),
    );
    expect(bars.map((b) => b.barWidth)).toEqual(Array(6).fill(220));
    expect(bars.map((b) => b.label)).toEqual([
      '0.0% of 12 months left',
      '1.1% of 12 months left',
      '11.2% of 12 months left',
      '38.9% of 12 months left',
      '47.1% of 12 months left',
      '89.0% of 12 months left',
    ]);
    expect(bars.map((b) => b.ratio)).toEqual([0, 0.011, 0.112, 0.389, 0.471, 0.89].map((r): unknown => expect.closeTo(r, 2)));
    expect(bars.slice(1).every((b) => b.height > 0)).toBe(true);
    expect(bars.map((b) => b.colour)).toEqual([
      'rgb(110, 119, 129)', // expired: grey
      'rgb(207, 34, 46)', // critical: red
      'rgb(179, 89, 0)', // warning: amber
      'rgb(26, 127, 55)', // ok: green
      'rgb(26, 127, 55)',
      'rgb(26, 127, 55)',
    ]);
  });

  it('searches token names from the search box, under the page\'s Content-Security-Policy and without JavaScript', async () => {
    const { page } = await open(false);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    await page.locator('form.search input[name="q"]').fill('acme s');
    await Promise.all([page.waitForURL(/\?q=acme\+s$/), page.locator('form.search button').click()]);
    expect((await visibleRows(page)).map((row) => row.name)).toEqual(['Acme Stores', 'Acme Schools']);
    expect(await page.locator('nav.pager .shown').innerText()).toBe('Showing 1–2 of 2 tokens whose name contains “acme s”, the most urgent first.');
    await Promise.all([page.waitForURL(/\/\?$/), page.locator('form.search a', { hasText: 'Show all' }).click()]);
    expect(await page.locator('tr.token').count()).toBe(6);
    expect(violations).toEqual([]);
  });
});
