// HTML building blocks of an email, made for mail clients: one column at most 600 px wide that narrows to a phone,
// every style inline (many clients drop <style>), tables for layout, explicit text and background colours on every
// container (so a client's dark mode keeps the contrast), and a dark-mode stylesheet for the clients that honour
// one. Every user value goes through escapeHtml; every link through safeUrl. Pure.
import { escapeHtml } from './escape';
import { safeUrl, type Link } from './message';
import type { Paragraph } from './rich-text';
import { paragraphsOf } from './rich-text';
import { SIGNATURE, type Step } from './text';
import type { TokenState } from '../token-state';
import { STATE_COLOURS } from './urgency';

const FONT = '-apple-system, BlinkMacSystemFont, \'Segoe UI\', Helvetica, Arial, sans-serif';
const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const INK = '#1f2328';
const MUTED = '#59636e';
const LINE = '#d0d7de';
const PAPER = '#ffffff';
const CANVAS = '#f6f8fa';
const LINK = '#0969da';
/** Long unbroken values (names, group paths, URLs) wrap instead of widening the column. */
const WRAP = 'overflow-wrap: anywhere; word-break: break-word;';

// Clients that honour prefers-color-scheme (Apple Mail, iOS Mail, Outlook for Mac) get dark surfaces; the urgency
// band and buttons keep their colours, which read on both. Clients that ignore it use the inline light colours.
const DARK_MODE = [
  '<style>',
  ':root { color-scheme: light dark; supported-color-schemes: light dark; }',
  '@media (prefers-color-scheme: dark) {',
  '  .tw-canvas { background: #0d1117 !important; }',
  `  .tw-card { background: #161b22 !important; border-color: #30363d !important; }`,
  '  .tw-ink { color: #e6edf3 !important; }',
  '  .tw-muted { color: #9198a1 !important; }',
  '  .tw-code { background: #0d1117 !important; color: #e6edf3 !important; border-color: #30363d !important; }',
  '  .tw-item { border-color: #30363d !important; }',
  '}',
  '</style>',
].join('\n');

/** Escaped text whose line breaks (from a multi-line template) become <br>. */
export function htmlLines(text: string): string {
  return text.split('\n').map(escapeHtml).join('<br>\n');
}

export interface Band {
  readonly state: TokenState;
  /** `Act now · 30 days left`. */
  readonly text: string;
}

/**
 * A whole HTML email: a coloured band saying how urgent it is, then `body` in a white card at most 600 px wide,
 * then the signature. `title` is the document title (the subject).
 */
export function htmlDocument(title: string, band: Band | null, body: readonly string[]): string {
  const bandRow =
    band === null
      ? []
      : [
          `<tr><td class="tw-band" style="background: ${STATE_COLOURS[band.state]}; color: #ffffff; padding: 10px 24px; font-size: 13px; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; border-radius: 8px 8px 0 0;">${escapeHtml(band.text)}</td></tr>`,
        ];
  return `${[
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="supported-color-schemes" content="light dark">',
    `<title>${escapeHtml(title)}</title>`,
    DARK_MODE,
    '</head>',
    `<body class="tw-canvas" style="margin: 0; padding: 0; background: ${CANVAS}; color: ${INK}; font-family: ${FONT}; font-size: 15px; line-height: 1.5;">`,
    `<table role="presentation" class="tw-canvas" width="100%" cellpadding="0" cellspacing="0" border="0" style="background: ${CANVAS}; border-collapse: collapse;">`,
    '<tr><td align="center" style="padding: 16px 8px;">',
    `<table role="presentation" class="tw-card" width="100%" cellpadding="0" cellspacing="0" border="0" style="width: 100%; max-width: 600px; background: ${PAPER}; border: 1px solid ${LINE}; border-radius: 8px; border-collapse: separate;">`,
    ...bandRow,
    `<tr><td class="tw-ink" style="padding: 20px 24px 24px; color: ${INK}; font-family: ${FONT}; font-size: 15px; line-height: 1.5; text-align: left; ${WRAP}">`,
    ...body,
    '</td></tr>',
    '</table>',
    `<p class="tw-muted" style="margin: 12px 0 0; color: ${MUTED}; font-family: ${FONT}; font-size: 12px;">${escapeHtml(SIGNATURE)}</p>`,
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
  ].join('\n')}\n`;
}

/** The one-line headline; a date in it (2027-02-09) never breaks at its hyphens. */
export function headlineHtml(text: string): string {
  const html = escapeHtml(text).replace(/\d{4}-\d{2}-\d{2}/g, (date) => `<span style="white-space: nowrap;">${date}</span>`);
  return `<h1 class="tw-ink" style="margin: 0 0 16px; font-size: 20px; line-height: 1.3; font-weight: 600; color: ${INK}; ${WRAP}">${html}</h1>`;
}

/** A paragraph of plain text; `isStrong` for the line that says what to do. */
export function paragraphHtml(text: string, isStrong = false): string {
  return `<p class="tw-ink" style="margin: 0 0 16px; color: ${INK}; ${isStrong ? 'font-weight: 600; ' : ''}${WRAP}">${htmlLines(text)}</p>`;
}

/** A yellow notice with a dashed border (a test message). */
export function noticeHtml(text: string): string {
  return `<p style="margin: 0 0 16px; padding: 8px 12px; border: 2px dashed #9a6700; background: #fff8c5; color: #3b2300; font-weight: 600;">${escapeHtml(text)}</p>`;
}

/** Label and value rows; the labels stay narrow so a phone keeps room for the values. */
export function factsHtml(facts: readonly { readonly label: string; readonly value: string }[]): string[] {
  return [
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse: collapse; margin: 0 0 16px;">',
    ...facts.map(
      (fact) =>
        `<tr><th class="tw-muted" scope="row" style="text-align: left; vertical-align: top; padding: 4px 12px 4px 0; width: 30%; color: ${MUTED}; font-weight: 600; font-size: 13px; ${WRAP}">${escapeHtml(fact.label)}</th>` +
        `<td class="tw-ink" style="padding: 4px 0; vertical-align: top; color: ${INK}; ${WRAP}">${escapeHtml(fact.value)}</td></tr>`,
    ),
    '</table>',
  ];
}

/** Button-style links, the first filled, the others outlined; links that are not http(s) are left out. */
export function buttonsHtml(links: readonly Link[]): string[] {
  const safe = links.flatMap((link) => {
    const url = safeUrl(link.url);
    return url === null ? [] : [{ label: link.label, url }];
  });
  if (safe.length === 0) return [];
  const buttons = safe.map((link, index) => {
    const style =
      index === 0
        ? `background: ${LINK}; color: #ffffff; border: 1px solid ${LINK};`
        : `background: ${PAPER}; color: ${LINK}; border: 1px solid ${LINK};`;
    return `<a class="tw-button" href="${escapeHtml(link.url)}" style="display: inline-block; margin: 0 8px 8px 0; padding: 10px 16px; border-radius: 6px; ${style} font-family: ${FONT}; font-size: 14px; font-weight: 600; line-height: 1.2; text-decoration: none; ${WRAP}">${escapeHtml(link.label)}</a>`;
  });
  return [`<p style="margin: 0 0 16px;">`, ...buttons, '</p>'];
}

/** One paragraph of a step: text lines, a real list, or a command in a code block. */
export function richHtml(paragraph: Paragraph): string {
  if (paragraph.kind === 'list') {
    return `<ul style="margin: 4px 0 8px; padding-left: 20px;">${paragraph.items.map((item) => `<li class="tw-ink" style="margin: 2px 0; color: ${INK}; ${WRAP}">${escapeHtml(item)}</li>`).join('')}</ul>`;
  }
  if (paragraph.kind === 'code') {
    return `<pre class="tw-code" style="margin: 4px 0 8px; padding: 8px 12px; background: ${CANVAS}; color: ${INK}; border: 1px solid ${LINE}; border-radius: 6px; font-family: ${MONO}; font-size: 13px; line-height: 1.45; white-space: pre-wrap; ${WRAP}"><code>${paragraph.lines.map(escapeHtml).join('\n')}</code></pre>`;
  }
  return `<p class="tw-ink" style="margin: 4px 0 8px; color: ${INK}; ${WRAP}">${paragraph.lines.map(escapeHtml).join('<br>\n')}</p>`;
}

/** The renewal steps as an ordered list, each body with its lists and commands. */
export function stepsHtml(steps: readonly Step[], intro: string | null = null, heading = 'How to renew'): string[] {
  return [
    `<h2 class="tw-ink" style="margin: 24px 0 8px; font-size: 16px; color: ${INK};">${escapeHtml(heading)}</h2>`,
    ...(intro === null ? [] : [paragraphHtml(intro)]),
    '<ol style="margin: 0; padding-left: 22px;">',
    ...steps.map(
      (step) =>
        `<li class="tw-step tw-ink" style="margin: 0 0 12px; color: ${INK};"><strong>${escapeHtml(step.title)}</strong>\n${paragraphsOf(step.body).map(richHtml).join('\n')}</li>`,
    ),
    '</ol>',
  ];
}

/** One token of a digest: badge, name and the facts under it. */
export function itemHtml(badge: Band, title: string, lines: readonly string[]): string {
  return (
    `<div class="tw-item" style="padding: 10px 0; border-top: 1px solid ${LINE};">` +
    `<span style="display: inline-block; padding: 1px 8px; border-radius: 999px; background: ${STATE_COLOURS[badge.state]}; color: #ffffff; font-size: 12px; font-weight: 700;">${escapeHtml(badge.text)}</span> ` +
    `<strong class="tw-ink" style="color: ${INK}; ${WRAP}">${escapeHtml(title)}</strong>` +
    lines.map((line, index) => `<div class="${index === 0 ? 'tw-ink' : 'tw-muted'}" style="color: ${index === 0 ? INK : MUTED}; font-size: ${index === 0 ? 14 : 13}px; ${WRAP}">${escapeHtml(line)}</div>`).join('') +
    '</div>'
  );
}
