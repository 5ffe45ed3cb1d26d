// The three emails (30-day reminder, expired alert, digest) as a reader sees them in headless Chromium at a desktop
// mail column (600 px) and a phone (375 px): nothing overflows, the urgency band and the portal button are visible,
// hostile token names stay text. Script is off, as in mail clients.
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, hasChromium, launchChromium, type Chromium } from '../../scripts/chromium';
import { sampleEmails } from '../../scripts/email-samples';
import { STATE_COLOURS } from '../../src/domain/message/urgency';

const SCRIPT_NAME = '<script>alert(1)</script> Acme';
const IMG_NAME = '"><img src=x onerror=alert(2)>Acme Schools – District 4 with a long name that has to wrap somewhere';

/** The band colour each sample should show, as Chromium reports it. */
function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
const BANDS: Readonly<Record<string, { colour: string; text: RegExp }>> = {
  reminder: { colour: rgb(STATE_COLOURS.warning), text: /act now · 30 days left/i },
  expired: { colour: rgb(STATE_COLOURS.expired), text: /expired · 3 days ago/i },
  digest: { colour: rgb(STATE_COLOURS.expired), text: /1 expired, 1 urgent, 1 act now, 1 plan/i },
};

/** The little of a DOM element the checks read (the test compiles without the DOM library). */
interface Box {
  readonly tagName: string;
  readonly className: string;
  getBoundingClientRect(): { right: number };
}

if (!hasChromium()) {
  console.warn(`email browser test skipped: ${CHROMIUM_PATH} is missing (apt-get install chromium)`);
}

(hasChromium() ? describe : describe.skip)('the emails in headless Chromium', () => {
  const samples = sampleEmails({ main: SCRIPT_NAME, other: IMG_NAME });

  for (const width of [600, 375]) {
    describe(`at ${width} px`, () => {
      let browser: Chromium;
      let page: Page;
      const dialogs: string[] = [];

      beforeAll(async () => {
        browser = await launchChromium({ javaScriptEnabled: false, width, height: 700 });
        page = await browser.context.newPage();
        page.on('dialog', (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
      });
      afterAll(async () => {
        await browser.close();
      });

      for (const id of ['reminder', 'expired', 'digest']) {
        it(`shows the ${id} email without horizontal overflow, with its urgency band and portal button`, async () => {
          const sample = samples.find((s) => s.id === id);
          if (sample === undefined) throw new Error(`no sample ${id}`);
          await page.setContent(sample.message.html);

          // Every element's right edge within the viewport, and nothing to scroll sideways.
          const wide = await page.locator('body *').evaluateAll(
            (elements, limit) =>
              (elements as unknown as Box[])
                .filter((element) => element.getBoundingClientRect().right > limit + 0.5)
                .map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${Math.round(element.getBoundingClientRect().right)}`),
            width,
          );
          expect(wide).toEqual([]);
          expect(await page.locator('html').evaluate((root) => (root as unknown as { scrollWidth: number }).scrollWidth)).toBeLessThanOrEqual(width);

          const band = page.locator('.tw-band');
          await expect(band.isVisible()).resolves.toBe(true);
          const colour = await band.evaluate(
            (element) => (globalThis as unknown as { getComputedStyle(element: unknown): { backgroundColor: string } }).getComputedStyle(element).backgroundColor,
          );
          expect(colour).toBe(BANDS[id]?.colour);
          expect(await band.innerText()).toMatch(BANDS[id]?.text ?? /never/);
          const bandBox = await band.boundingBox();
          expect(bandBox?.y).toBeLessThan(40);

          const button = page.locator('a.tw-button').first();
          await expect(button.isVisible()).resolves.toBe(true);
          expect(await button.getAttribute('href')).toBe('https://business.apple.com/');
          expect(await button.innerText()).toBe('Open Apple Business');
          const box = await button.boundingBox();
          expect(box).not.toBeNull();
          expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
          expect(box?.height).toBeGreaterThanOrEqual(30);
        });

        it(`keeps the ${id} email readable in a mail client's dark mode, the band in its colour`, async () => {
          const sample = samples.find((s) => s.id === id);
          if (sample === undefined) throw new Error(`no sample ${id}`);
          await page.emulateMedia({ colorScheme: 'dark' });
          try {
            await page.setContent(sample.message.html);
            const colours = async (selector: string): Promise<{ color: string; background: string }> =>
              page
                .locator(selector)
                .first()
                .evaluate((element) => {
                  const style = (globalThis as unknown as { getComputedStyle(element: unknown): { color: string; backgroundColor: string } }).getComputedStyle(element);
                  return { color: style.color, background: style.backgroundColor };
                });
            // Light text on a dark card: the stylesheet for prefers-color-scheme: dark took over the inline colours.
            expect((await colours('table.tw-card')).background).toBe('rgb(22, 27, 34)');
            expect((await colours('h1')).color).toBe('rgb(230, 237, 243)');
            expect((await colours('.tw-band')).background).toBe(BANDS[id]?.colour);
            expect((await colours('.tw-band')).color).toBe('rgb(255, 255, 255)');
          } finally {
            await page.emulateMedia({ colorScheme: 'light' });
          }
        });

        it(`keeps hostile token names as text in the ${id} email`, async () => {
          const sample = samples.find((s) => s.id === id);
          if (sample === undefined) throw new Error(`no sample ${id}`);
          await page.setContent(sample.message.html);
          expect(await page.locator('script, img, iframe, object').count()).toBe(0);
          const text = await page.locator('body').innerText();
          if (id !== 'expired') expect(text).toContain(SCRIPT_NAME);
          if (id !== 'reminder') expect(text).toContain('"><img src=x onerror=alert(2)>Acme Schools');
          expect(dialogs).toEqual([]);
        });
      }
    });
  }
});
