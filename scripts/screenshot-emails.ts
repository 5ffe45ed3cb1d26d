// `npm run screenshot`, second part: renders the sample emails (a 30-day reminder, an expired alert, a digest) with
// the real message code and saves each at 600 px (a desktop mail client's column) and 375 px (a phone) as
// docs/email-<id>-<width>.png, with headless Chromium. Also writes docs/messages/ with the Slack payloads and text
// parts, and copies them into docs/messages.md between its `<!-- generated: FILE -->` and `<!-- end: FILE -->` marks.
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './chromium';
import { sampleEmails } from './email-samples';

const DOCS = path.resolve(__dirname, '../../docs');
export const EMAIL_WIDTHS = [600, 375] as const;

async function main(): Promise<void> {
  if (!hasChromium()) {
    console.error(`screenshot: ${CHROMIUM_PATH} is missing (expected Debian's chromium: apt-get install chromium)`);
    process.exitCode = 1;
    return;
  }
  const samples = sampleEmails();
  for (const width of EMAIL_WIDTHS) {
    // Mail clients run no script: neither does the browser here.
    const browser = await launchChromium({ javaScriptEnabled: false, width, height: 800 });
    try {
      const page = await browser.context.newPage();
      for (const sample of samples) {
        await page.setContent(sample.message.html);
        const output = path.join(DOCS, `email-${sample.id}-${width}.png`);
        await page.screenshot({ path: output, fullPage: true });
        console.log(`screenshot: wrote ${path.relative(process.cwd(), output)}`);
      }
    } finally {
      await browser.close();
    }
  }
  const slackDir = path.join(DOCS, 'messages');
  fs.mkdirSync(slackDir, { recursive: true });
  for (const sample of samples) {
    const output = path.join(slackDir, `slack-${sample.id}.json`);
    fs.writeFileSync(output, `${JSON.stringify(sample.message.slack, null, 2)}\n`);
    fs.writeFileSync(path.join(slackDir, `email-${sample.id}.txt`), `Subject: ${sample.message.subject}\n\n${sample.message.text}`);
    console.log(`screenshot: wrote ${path.relative(process.cwd(), output)}`);
  }
  const guide = path.join(DOCS, 'messages.md');
  fs.writeFileSync(guide, withGenerated(fs.readFileSync(guide, 'utf8'), slackDir));
  console.log(`screenshot: updated ${path.relative(process.cwd(), guide)}`);
}

/** `markdown` with each generated block replaced by the current content of its file in `dir`. */
function withGenerated(markdown: string, dir: string): string {
  return markdown.replace(/<!-- generated: ([\w.-]+) -->\n[\s\S]*?<!-- end: \1 -->\n/g, (_whole, file: string) => {
    const content = fs.readFileSync(path.join(dir, file), 'utf8');
    const language = file.endsWith('.json') ? 'json' : 'text';
    return `<!-- generated: ${file} -->\n\`\`\`${language}\n${content}\`\`\`\n<!-- end: ${file} -->\n`;
  });
}

void main();
