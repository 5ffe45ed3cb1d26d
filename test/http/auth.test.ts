// The HTTP edge's authentication rules (src/http/auth.ts, src/http/password-hash.ts): the constant-time comparison,
// bearer and Basic headers as RFC 6750 and RFC 7617 define them, wrong schemes, and scrypt password hashes.
import crypto from 'node:crypto';
import { Authenticator, challenges, constantTimeEqual, type HttpAuth } from '../../src/http/auth';
import { formatPasswordHash, parsePasswordHash } from '../../src/config/password-hash-format';
import { hashPassword, verifyPassword } from '../../src/http/password-hash';
import { InputError } from '../../src/errors';

// The smallest cost the parser accepts: the tests check behaviour, not strength.
const TEST_LOG_N = 10;
const TOKEN = 'q3Zf8v1N0cKx7pLmA2sD9wE4rT6yU5iO';
const basicHeader = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

describe('constantTimeEqual', () => {
  afterEach(() => jest.restoreAllMocks());

  it('says equal secrets are equal', () => {
    expect(constantTimeEqual(TOKEN, `${TOKEN}`)).toBe(true);
    expect(constantTimeEqual('pässwörd-✓', 'pässwörd-✓')).toBe(true);
  });

  it('says secrets of the same length that differ anywhere are unequal', () => {
    expect(constantTimeEqual(TOKEN, `x${TOKEN.slice(1)}`)).toBe(false);
    expect(constantTimeEqual(TOKEN, `${TOKEN.slice(0, -1)}x`)).toBe(false);
  });

  it('says secrets of different lengths are unequal without throwing, including a prefix and the empty string', () => {
    expect(constantTimeEqual(TOKEN, TOKEN.slice(0, 8))).toBe(false);
    expect(constantTimeEqual(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(constantTimeEqual('', TOKEN)).toBe(false);
  });

  it('compares with crypto.timingSafeEqual on two digests of equal length, whatever the lengths of the secrets', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    constantTimeEqual(TOKEN, 'short');
    constantTimeEqual(TOKEN, TOKEN);
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) {
      expect(Buffer.isBuffer(a) && Buffer.isBuffer(b)).toBe(true);
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
    expect(spy.mock.results.map((r) => r.value as boolean)).toEqual([false, true]);
  });
});

describe('scrypt password hashes', () => {
  it('verifies the password a hash was made from and refuses any other', async () => {
    const hash = parsePasswordHash(await hashPassword('correct horse battery', TEST_LOG_N), 'TEST');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('writes the PHC string format with a fresh salt each time, and reads back what it wrote', async () => {
    const one = await hashPassword('same password here', TEST_LOG_N);
    const two = await hashPassword('same password here', TEST_LOG_N);
    expect(one).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(one).not.toBe(two);
    expect(formatPasswordHash(parsePasswordHash(one, 'TEST'))).toBe(one);
  });

  it.each([
    ['a plain password', 'hunter2hunter2'],
    ['a bcrypt hash', '$2b$12$abcdefghijklmnopqrstuvCDEFGHIJKLMNOPQRSTUVWXYZ012345'],
    ['an absurd cost', '$scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U'],
  ])('refuses %s with one line naming the setting and not echoing the value', (_what, value) => {
    const attempt = (): unknown => parsePasswordHash(value, 'TOKENWATCH_HTTP_PASSWORD_HASH');
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(/^TOKENWATCH_HTTP_PASSWORD_HASH: not a valid password hash \(expected a scrypt hash/);
    expect(attempt).not.toThrow(value);
  });
});

describe('Authenticator', () => {
  let basicAuth: HttpAuth;
  beforeAll(async () => {
    basicAuth = { bearerToken: null, basic: { user: 'ops', passwordHash: parsePasswordHash(await hashPassword('s3cret password', TEST_LOG_N), 'TEST') } };
  });
  const bearerAuth: HttpAuth = { bearerToken: TOKEN, basic: null };

  it('lets every request in when no authentication is configured', async () => {
    expect(await new Authenticator({ bearerToken: null, basic: null }).check(undefined)).toEqual({ isAllowed: true, via: 'none' });
  });

  it('accepts the bearer token, with the scheme in any case (RFC 9110 §11.1)', async () => {
    const auth = new Authenticator(bearerAuth);
    expect(await auth.check(`Bearer ${TOKEN}`)).toEqual({ isAllowed: true, via: 'bearer' });
    expect(await auth.check(`bearer ${TOKEN}`)).toEqual({ isAllowed: true, via: 'bearer' });
  });

  it('refuses a missing header, a wrong token, a token with a character added or removed, and a malformed token', async () => {
    const auth = new Authenticator(bearerAuth);
    expect(await auth.check(undefined)).toEqual({ isAllowed: false, reason: 'missing' });
    expect(await auth.check('')).toEqual({ isAllowed: false, reason: 'missing' });
    expect(await auth.check(`Bearer ${TOKEN.slice(1)}`)).toEqual({ isAllowed: false, reason: 'wrong-token' });
    expect(await auth.check(`Bearer ${TOKEN}A`)).toEqual({ isAllowed: false, reason: 'wrong-token' });
    expect(await auth.check('Bearer two words')).toEqual({ isAllowed: false, reason: 'malformed' });
    expect(await auth.check('Bearer')).toEqual({ isAllowed: false, reason: 'malformed' });
  });

  it('refuses a wrong scheme: the right token sent as Basic, Digest or with no scheme, and Basic when only a token is configured', async () => {
    const auth = new Authenticator(bearerAuth);
    expect(await auth.check(`Basic ${TOKEN}`)).toEqual({ isAllowed: false, reason: 'wrong-scheme' });
    expect(await auth.check(`Digest username="ops"`)).toEqual({ isAllowed: false, reason: 'wrong-scheme' });
    expect(await auth.check(TOKEN)).toEqual({ isAllowed: false, reason: 'wrong-scheme' });
    expect(await auth.check(basicHeader('ops', TOKEN))).toEqual({ isAllowed: false, reason: 'wrong-scheme' });
  });

  it('accepts the Basic user and password, and refuses a wrong password, a wrong user and a header that is not base64 of user:password', async () => {
    const auth = new Authenticator(basicAuth);
    expect(await auth.check(basicHeader('ops', 's3cret password'))).toEqual({ isAllowed: true, via: 'basic' });
    expect(await auth.check(basicHeader('ops', 's3cret passworD'))).toEqual({ isAllowed: false, reason: 'wrong-credentials' });
    expect(await auth.check(basicHeader('root', 's3cret password'))).toEqual({ isAllowed: false, reason: 'wrong-credentials' });
    expect(await auth.check('Basic not*base64')).toEqual({ isAllowed: false, reason: 'malformed' });
    expect(await auth.check(`Basic ${Buffer.from('no colon').toString('base64')}`)).toEqual({ isAllowed: false, reason: 'malformed' });
    expect(await auth.check(`Bearer ${TOKEN}`)).toEqual({ isAllowed: false, reason: 'wrong-scheme' });
  });

  it('runs scrypt once for a Basic header it has accepted, and again for every wrong one', async () => {
    const auth = new Authenticator(basicAuth);
    const spy = jest.spyOn(crypto, 'scrypt');
    try {
      for (let i = 0; i < 3; i += 1) expect((await auth.check(basicHeader('ops', 's3cret password'))).isAllowed).toBe(true);
      expect(spy).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 2; i += 1) expect((await auth.check(basicHeader('ops', 'guess'))).isAllowed).toBe(false);
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('accepts either scheme when both are configured, and challenges with both', async () => {
    const both: HttpAuth = { bearerToken: TOKEN, basic: basicAuth.basic };
    const auth = new Authenticator(both);
    expect(await auth.check(`Bearer ${TOKEN}`)).toEqual({ isAllowed: true, via: 'bearer' });
    expect(await auth.check(basicHeader('ops', 's3cret password'))).toEqual({ isAllowed: true, via: 'basic' });
    expect(challenges(both, 'missing')).toEqual(['Bearer realm="tokenwatch"', 'Basic realm="tokenwatch", charset="UTF-8"']);
    expect(challenges(both, 'wrong-token')[0]).toBe('Bearer realm="tokenwatch", error="invalid_token"');
  });
});
