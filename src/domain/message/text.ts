// Plain-text building blocks of a message: numbered steps with indented bodies and the signature. Pure.

export interface Step {
  readonly title: string;
  readonly body: string;
}

export const SIGNATURE = 'Sent by tokenwatch.';

/** `1. Title` then the body indented by three spaces, each step after a blank line. */
export function textSteps(steps: readonly Step[]): string[] {
  const lines: string[] = [];
  steps.forEach((step, index) => {
    lines.push('', `${index + 1}. ${step.title}`);
    for (const line of step.body.split('\n')) lines.push(line === '' ? '' : `   ${line}`);
  });
  return lines;
}

/** The lines as a text body, with the signature after the conventional `-- ` separator. */
export function textDocument(lines: readonly string[]): string {
  return `${[...lines, '', '-- ', SIGNATURE].join('\n')}\n`;
}
