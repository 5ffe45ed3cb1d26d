// Plain-text building blocks of a message, for a reader with a 72-column mail client: wrapped paragraphs, numbered
// steps whose lists and commands stay indented under their step, and the signature. Pure.
import { paragraphsOf } from './rich-text';

export interface Step {
  readonly title: string;
  readonly body: string;
}

export const SIGNATURE = 'Sent by tokenwatch.';

/** The width plain-text lines are wrapped to (RFC 3676's advice for mail; fits a phone in landscape too). */
export const TEXT_WIDTH = 72;

/**
 * `text` wrapped at spaces to `width` columns, the first line starting with `first`, the others with `rest`
 * (a hanging indent). A word longer than a line (a URL, a path) is kept whole on a line of its own.
 */
export function wrap(text: string, first = '', rest = first, width = TEXT_WIDTH): string[] {
  const lines: string[] = [];
  let line = first;
  let isEmpty = true;
  for (const word of text.split(' ').filter((w) => w !== '')) {
    if (!isEmpty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      isEmpty = true;
    }
    line = isEmpty ? `${line}${word}` : `${line} ${word}`;
    isEmpty = false;
  }
  lines.push(line);
  return lines.map((l) => l.trimEnd());
}

/** `Label: value`, wrapped with the continuation indented. */
export function factText(label: string, value: string): string[] {
  return wrap(`${label}: ${value}`, '', '    ');
}

/** A step body indented under its number: text wrapped, `- ` items as a list, commands indented as code. */
export function stepBodyText(body: string, indent = '   '): string[] {
  const lines: string[] = [];
  for (const paragraph of paragraphsOf(body)) {
    if (paragraph.kind === 'list') for (const item of paragraph.items) lines.push(...wrap(item, `${indent}- `, `${indent}  `));
    else if (paragraph.kind === 'code') for (const line of paragraph.lines) lines.push(`${indent}    ${line}`);
    else for (const line of paragraph.lines) lines.push(...wrap(line, indent));
  }
  return lines;
}

/** `1. Title` then the body indented by three spaces, each step after a blank line. */
export function textSteps(steps: readonly Step[]): string[] {
  const lines: string[] = [];
  steps.forEach((step, index) => {
    lines.push('', ...wrap(`${index + 1}. ${step.title}`, '', '   '), ...stepBodyText(step.body));
  });
  return lines;
}

/** `Label: url` lines for links a plain-text reader copies into a browser. */
export function linksText(links: readonly { readonly label: string; readonly url: string }[]): string[] {
  return links.map((link) => `${link.label}: ${link.url}`);
}

/** The lines as a text body, with the signature after the conventional `-- ` separator. */
export function textDocument(lines: readonly string[]): string {
  return `${[...lines, '', '-- ', SIGNATURE].join('\n')}\n`;
}
