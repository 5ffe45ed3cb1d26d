// Reading Slack Block Kit payloads in tests: every text value, wherever it sits in the blocks.
import type { SlackBlock } from '../../src/domain/message/message';

/** Every text value anywhere inside the blocks, with the type of the object that holds it. */
export function slackTextsWithType(blocks: readonly unknown[]): { type: string; text: string }[] {
  const found: { type: string; text: string }[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (typeof record['text'] === 'string') found.push({ type: String(record['type']), text: record['text'] });
      Object.values(record).forEach(visit);
    }
  };
  visit(blocks);
  return found;
}

/** Every text value anywhere inside the blocks. */
export function slackTexts(blocks: readonly SlackBlock[] | readonly unknown[]): string[] {
  return slackTextsWithType(blocks).map((found) => found.text);
}
