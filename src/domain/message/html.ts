// HTML building blocks of an email: the document frame, a facts table, the steps. Every user value goes through
// escapeHtml; styles are inline (mail clients drop <style> blocks). Pure.
import { escapeHtml } from './escape';
import type { Step } from './text';
import { SIGNATURE } from './text';

/** Escaped text whose line breaks (from a multi-line template) become <br>. */
export function htmlLines(text: string): string {
  return text.split('\n').map(escapeHtml).join('<br>\n');
}

/** A whole HTML email: the head with `title`, then `body` lines inside the shared body style and footer. */
export function htmlDocument(title: string, body: readonly string[]): string {
  return `${[
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    '<body style="font-family: -apple-system, Segoe UI, Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328;">',
    ...body,
    `<p style="color: #656d76; font-size: 12px;">${escapeHtml(SIGNATURE)}</p>`,
    '</body>',
    '</html>',
  ].join('\n')}\n`;
}

/** The renewal steps as an ordered list. */
export function stepsHtml(steps: readonly Step[]): string[] {
  return ['<ol>', ...steps.map((step) => `<li><p><strong>${escapeHtml(step.title)}</strong><br>\n${htmlLines(step.body)}</p></li>`), '</ol>'];
}

/** Label and value rows. */
export function factsHtml(facts: readonly { readonly label: string; readonly value: string }[]): string[] {
  return [
    '<table style="border-collapse: collapse;">',
    ...facts.map(
      (fact) =>
        `<tr><th style="text-align: left; padding: 2px 12px 2px 0; vertical-align: top;">${escapeHtml(fact.label)}</th>` +
        `<td style="padding: 2px 0;">${escapeHtml(fact.value)}</td></tr>`,
    ),
    '</table>',
  ];
}
