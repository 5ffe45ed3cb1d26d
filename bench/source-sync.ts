// What a sync of a large MDM costs: 10,000 volume purchasing locations listed over 100 pages by a local server that
// answers like the Jamf Pro API (the same shapes as test/support/fake-jamf-server.ts: /api/oauth/token, then
// /api/v1/volume-purchasing-locations?page=N&page-size=100 → { totalCount, results }), synced into a fresh registry
// through the real Jamf Pro source and `syncSources`. First sync (all added), then a second (all unchanged).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { DateTime } from 'luxon';
import { fixedClock } from '../src/clock';
import { silentLogger } from '../src/log';
import { createJamfSource } from '../src/sources/jamf-source';
import { syncSources } from '../src/sources/sync';
import { openDatabase } from '../src/store/database';
import { Outbox } from '../src/store/outbox';
import { SourceLinks } from '../src/store/source-links';
import { SourceStatusStore } from '../src/store/source-status';
import { TokenRepository } from '../src/store/token-repository';
import { ZONE } from './registry';
import { elapsedMs } from './timing';

export interface SourceSyncResult {
  readonly tokens: number;
  readonly pages: number;
  readonly firstSyncMs: number;
  readonly secondSyncMs: number;
}

async function jamfLikeServer(tokens: number, expiresAt: DateTime): Promise<{ url: string; close: () => Promise<void> }> {
  const locations = Array.from({ length: tokens }, (_, index) => ({
    id: String(index + 1),
    name: `Bench location ${index + 1}`,
    appleId: `vpp-${index + 1}@bench.test`,
    organizationName: `Bench org ${index + 1}`,
    tokenExpiration: expiresAt.plus({ minutes: index }).toISO(),
    locationName: `Location ${index + 1}`,
    countryCode: 'us',
  }));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown = null;
    if (url.pathname === '/api/oauth/token') body = { access_token: 'bench-token', token_type: 'Bearer', expires_in: 3600 };
    else if (url.pathname === '/api/v1/volume-purchasing-locations') {
      const page = Number(url.searchParams.get('page') ?? '0');
      const size = Number(url.searchParams.get('page-size') ?? '100');
      body = { totalCount: locations.length, results: locations.slice(page * size, (page + 1) * size) };
    } else if (url.pathname === '/api/v1/device-enrollments') body = { totalCount: 0, results: [] };
    else if (url.pathname === '/api/v1/notifications') body = [];
    res.writeHead(body === null ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function measureSourceSync(dir: string, tokens: number, at: DateTime): Promise<SourceSyncResult> {
  const pageSize = 100;
  const server = await jamfLikeServer(tokens, at.plus({ days: 200 }));
  const db = openDatabase(path.join(dir, 'sync.db'));
  try {
    const clock = fixedClock(at);
    const deps = {
      sources: [createJamfSource({ name: 'jamf', url: server.url, clientId: 'bench', clientSecret: 'bench-secret' }, { clock, timeoutMs: 30_000, pageSize })],
      tokens: new TokenRepository(db),
      links: new SourceLinks(db),
      status: new SourceStatusStore(db),
      outbox: new Outbox(db),
      clock,
      logger: silentLogger,
      settings: {
        zone: ZONE,
        staleHours: 48,
        routing: { mailTo: ['bench@example.test'], slackChannel: null, teamsWebhook: null },
        enabled: { email: true, slack: false, teams: false, preview: false },
        secrets: [],
        defaultMdm: 'jamf' as const,
      },
    };
    const time = async (): Promise<number> => {
      const start = process.hrtime.bigint();
      const report = await syncSources(deps);
      if (report.sources.some((source) => !source.isOk)) throw new Error(`bench sync failed: ${JSON.stringify(report.sources.map((s) => s.error))}`);
      return elapsedMs(start);
    };
    const firstSyncMs = await time();
    const secondSyncMs = await time();
    return { tokens, pages: Math.ceil(tokens / pageSize), firstSyncMs, secondSyncMs };
  } finally {
    db.close();
    await server.close();
  }
}
