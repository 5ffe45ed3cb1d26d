// The small markup a step's wording may use, read into paragraphs each format writes its own way: a line starting
// with `- ` is a list item, a line starting with `$ ` a command shown as code, a blank line ends a paragraph.
// Anything else is text. Administrators' step files use the same conventions (config/steps/README.md). Pure.

export type Paragraph =
  | { readonly kind: 'text'; readonly lines: readonly string[] }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'code'; readonly lines: readonly string[] };

const LIST_ITEM = /^\s*[-*•] +(.*)$/;
const COMMAND = /^\s*\$ +(.*)$/;

/** The paragraphs of `body`, in order; consecutive lines of one kind form one paragraph. */
export function paragraphsOf(body: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let kind: Paragraph['kind'] | null = null;
  let lines: string[] = [];
  const flush = (): void => {
    if (kind === 'list') paragraphs.push({ kind, items: lines });
    else if (kind !== null) paragraphs.push({ kind, lines });
    kind = null;
    lines = [];
  };
  for (const line of body.split('\n')) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    const item = LIST_ITEM.exec(line);
    const command = item === null ? COMMAND.exec(line) : null;
    const next: Paragraph['kind'] = item !== null ? 'list' : command !== null ? 'code' : 'text';
    if (next !== kind) flush();
    kind = next;
    lines.push((item?.[1] ?? command?.[1] ?? line).trim());
  }
  flush();
  return paragraphs;
}
