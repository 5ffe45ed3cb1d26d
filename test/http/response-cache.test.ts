// The response cache's rules (src/http/response-cache.ts): when a kept answer is reused or computed again, that
// concurrent requests share one computation, that memory stays bounded, and the header rules for If-None-Match
// (RFC 9110 §13.1.2, weak comparison) and Accept-Encoding (RFC 9110 §12.5.3, q=0 refuses).
import { acceptsGzip, cachedBody, matchesIfNoneMatch, ResponseCache } from '../../src/http/response-cache';

describe('ResponseCache', () => {
  let now = 0;
  let computed = 0;
  const compute = (text: string) => () => {
    computed += 1;
    return cachedBody(text);
  };
  const cache = (maxEntries = 4) => new ResponseCache({ maxAgeMs: 5000, maxEntries, nowMs: () => now });
  beforeEach(() => {
    now = 1_000_000;
    computed = 0;
  });

  it('reuses an answer for the same key and version within the age limit, and computes again after it or on a new version', async () => {
    const c = cache();
    expect((await c.get('/', 'v1', compute('a'))).body.toString()).toBe('a');
    expect((await c.get('/', 'v1', compute('b'))).body.toString()).toBe('a');
    now += 4999;
    expect((await c.get('/', 'v1', compute('c'))).body.toString()).toBe('a');
    now += 1;
    expect((await c.get('/', 'v1', compute('d'))).body.toString()).toBe('d');
    expect((await c.get('/', 'v2', compute('e'))).body.toString()).toBe('e');
    expect(computed).toBe(3);
    expect(c.computeCount).toBe(3);
  });

  it('computes again when the clock goes back', async () => {
    const c = cache();
    await c.get('/', 'v1', compute('a'));
    now -= 1;
    expect((await c.get('/', 'v1', compute('b'))).body.toString()).toBe('b');
  });

  it('shares one computation among concurrent requests', async () => {
    const c = cache();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = async () => {
      computed += 1;
      await gate;
      return cachedBody('slow');
    };
    const answers = Promise.all([c.get('/', 'v1', slow), c.get('/', 'v1', slow), c.get('/', 'v1', slow)]);
    release();
    expect((await answers).map((a) => a.body.toString())).toEqual(['slow', 'slow', 'slow']);
    expect(computed).toBe(1);
  });

  it('never keeps an answer computed without a version (the registry could not be read)', async () => {
    const c = cache();
    await c.get('/', null, compute('a'));
    await c.get('/', null, compute('b'));
    expect(computed).toBe(2);
  });

  it('does not keep a failed computation: the next request tries again', async () => {
    const c = cache();
    await expect(
      c.get('/', 'v1', () => {
        throw new Error('database is locked');
      }),
    ).rejects.toThrow('database is locked');
    expect((await c.get('/', 'v1', compute('ok'))).body.toString()).toBe('ok');
  });

  it('keeps at most maxEntries answers, dropping the least recently used', async () => {
    const c = cache(2);
    await c.get('a', 'v', compute('a'));
    await c.get('b', 'v', compute('b'));
    await c.get('a', 'v', compute('a2'));
    await c.get('c', 'v', compute('c'));
    expect(computed).toBe(3);
    expect((await c.get('a', 'v', compute('a3'))).body.toString()).toBe('a');
    expect((await c.get('b', 'v', compute('b2'))).body.toString()).toBe('b2');
  });

  it('gzips bodies from 1 KiB on, and gives equal bodies equal ETags and different bodies different ones', () => {
    expect(cachedBody('small').gzipped).toBeNull();
    expect(cachedBody('x'.repeat(2048)).gzipped).not.toBeNull();
    expect(cachedBody('same').etag).toBe(cachedBody('same').etag);
    expect(cachedBody('same').etag).not.toBe(cachedBody('other').etag);
  });
});

describe('conditional and compressed requests', () => {
  it('matches If-None-Match by weak comparison, in a list, or with *', () => {
    expect(matchesIfNoneMatch('W/"abc"', 'W/"abc"')).toBe(true);
    expect(matchesIfNoneMatch('"abc"', 'W/"abc"')).toBe(true);
    expect(matchesIfNoneMatch('"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(matchesIfNoneMatch('*', 'W/"abc"')).toBe(true);
    expect(matchesIfNoneMatch('"abcd"', 'W/"abc"')).toBe(false);
    expect(matchesIfNoneMatch(undefined, 'W/"abc"')).toBe(false);
  });

  it('takes gzip when named or covered by *, unless its q is 0', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('deflate, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('br, deflate')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
