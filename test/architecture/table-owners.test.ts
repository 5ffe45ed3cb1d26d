// One owner per table: every SQL statement in src/ that writes a table sits in that table's owner in src/store/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');

/** Each table and the one file allowed to write it (migrations create and reshape them all). */
const OWNERS: Record<string, string> = {
  tokens: 'store/token-repository.ts',
  token_history: 'store/token-history.ts',
  reminder_decisions: 'store/decision-ledger.ts',
  outbox: 'store/outbox.ts',
  digests: 'store/digest-log.ts',
  lease: 'store/lease.ts',
  token_sources: 'store/source-links.ts',
  source_status: 'store/source-status.ts',
  apple_checks: 'store/apple-checks.ts',
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** table -> the files whose SQL writes it (INSERT, UPDATE, DELETE, REPLACE). */
function writers(files: readonly string[]): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const file of files) {
    const relative = path.relative(SRC, file).split(path.sep).join('/');
    if (relative === 'store/migrations.ts') continue;
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\b(?:INSERT(?: OR \w+)? INTO|REPLACE INTO|UPDATE|DELETE FROM)\s+([a-z_]+)\b/g)) {
      const table = match[1] ?? '';
      const set = result.get(table) ?? new Set<string>();
      set.add(relative);
      result.set(table, set);
    }
  }
  return result;
}

describe('the tables of the database', () => {
  it('are each written by their owner only', () => {
    const found = writers(sourceFiles(SRC));
    expect(Object.fromEntries([...found].map(([table, files]) => [table, [...files].sort()]))).toEqual(
      Object.fromEntries(Object.entries(OWNERS).map(([table, owner]) => [table, [owner]])),
    );
  });

  it('would be reported when a file writes a table it does not own', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenwatch-owners-'));
    try {
      const file = path.join(dir, 'intruder.ts');
      fs.writeFileSync(file, "db.prepare(`UPDATE outbox SET status = 'cancelled' WHERE token_id = ?`);\n");
      expect([...(writers([file]).get('outbox') ?? [])]).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
