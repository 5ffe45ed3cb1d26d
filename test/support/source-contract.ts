// The one contract every Source keeps (token folder, Apple, and the MDM sources to come): stable ids, well-formed
// credentials, no secret anywhere in what it returns or throws, per-entry problems as warnings, whole-source failures
// as one-line errors, aborts honoured, one-line checks. Each source's test file gives a factory of fixtures.
import { DateTime } from 'luxon';
import { TOKEN_KINDS } from '../../src/domain/token';
import { SOURCED_STATES } from '../../src/domain/source-link';
import type { Source } from '../../src/sources/source';

export interface SourceFixture {
  /** A working source holding `expectedIds` and, when `expectedWarnings` is not empty, entries it cannot read. */
  readonly source: Source;
  /** The same kind of source whose whole read fails (unreachable, refused, folder missing). */
  readonly failingSource: Source;
  readonly expectedIds: readonly string[];
  readonly expectedWarnings: readonly string[];
  /** Secrets the fixture planted (token contents, passwords): none may come back in any answer or error. */
  readonly secrets: readonly string[];
  close(): Promise<void>;
}


function containsSecret(value: unknown, secrets: readonly string[]): boolean {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return secrets.some((secret) => text.includes(secret));
}

export function describeSourceContract(label: string, makeFixture: () => Promise<SourceFixture>): void {
  describe(`${label} keeps the source contract`, () => {
    let fixture: SourceFixture;
    beforeEach(async () => {
      fixture = await makeFixture();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('has a name fit for sync output, metrics labels and alert keys', () => {
      expect(fixture.source.name).toMatch(/^[a-z][a-z0-9-]*(:[A-Za-z0-9._-]+)?$/);
    });

    it('reports every credential once, under a stable id, with well-formed fields', async () => {
      const first = await fixture.source.read();
      const ids = first.credentials.map((c) => c.sourceId);
      expect([...ids].sort()).toEqual([...fixture.expectedIds].sort());
      expect(new Set(ids).size).toBe(ids.length);
      for (const credential of first.credentials) {
        expect(credential.sourceId.length).toBeGreaterThan(0);
        expect(credential.name.trim().length).toBeGreaterThan(0);
        expect(TOKEN_KINDS).toContain(credential.kind);
        expect(SOURCED_STATES).toContain(credential.state);
        if (credential.expiresAt !== null) {
          expect(DateTime.isDateTime(credential.expiresAt) && credential.expiresAt.isValid).toBe(true);
        }
      }
      const second = await fixture.source.read();
      expect(second.credentials.map((c) => c.sourceId).sort()).toEqual([...ids].sort());
    });

    it('reports an entry it cannot read as a warning naming it, and still reports the others', async () => {
      const reading = await fixture.source.read();
      expect(reading.warnings.map((w) => w.sourceId).sort()).toEqual([...fixture.expectedWarnings].sort());
      for (const warning of reading.warnings) {
        expect(warning.message).toContain(warning.sourceId);
        expect(warning.message).not.toMatch(/\n/);
      }
    });

    it('never returns a secret, in credentials, warnings or its check', async () => {
      const reading = await fixture.source.read();
      expect(containsSecret(reading, fixture.secrets)).toBe(false);
      expect(containsSecret(await fixture.source.check(), fixture.secrets)).toBe(false);
    });

    it('checks to a one-line summary', async () => {
      const summary = await fixture.source.check();
      expect(summary.length).toBeGreaterThan(0);
      expect(summary).not.toMatch(/\n/);
    });

    it('fails a whole read it cannot do with one line that names the problem and holds no secret', async () => {
      const error = await fixture.failingSource.read().then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error?.message).not.toMatch(/\n/);
      expect(containsSecret(error?.message ?? '', fixture.secrets)).toBe(false);
      await expect(fixture.failingSource.check()).rejects.toThrow();
    });

    it('stops when its signal is aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(fixture.source.read(controller.signal)).rejects.toThrow();
    });
  });
}
