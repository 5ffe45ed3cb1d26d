// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for the status page's browser test and
// screenshot. The flags keep a browser on a closed network quiet: no background fetches, no QUIC, no sync.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile (user-data-dir) each time, removed on close. */
export async function launchChromium(options: { javaScriptEnabled?: boolean; width?: number; height?: number } = {}): Promise<Chromium> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenwatch-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
