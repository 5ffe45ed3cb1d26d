// Reading a push certificate leaves Node's TLS working: on Node 20, X509Certificate#toLegacyObject() in a process that
// had not loaded node:tls yet left tls.createSecureContext undefined, and every TLS connection after it failed (an
// email over STARTTLS, a Slack post). Checked in a fresh process of the built code, where nothing loaded tls before.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makePushCertificate } from '../support/apple-files';
import { assertBuilt } from '../support/process';
import { makeTempDir, removeDir } from '../support/temp-dir';

const PARSER = path.resolve(__dirname, '../../dist/src/domain/kinds/apns-certificate.js');

describe('reading an APNs push certificate', () => {
  let dir: string;
  beforeAll(() => assertBuilt());
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('finds its topic and leaves node:tls able to make secure contexts afterwards', () => {
    const file = path.join(dir, 'push.pem');
    fs.writeFileSync(file, makePushCertificate({ topic: 'com.apple.mgmt.External.0f1e2d3c', notAfter: '2027-06-30T12:00:00Z' }).certPem);
    const script = `
      const { parseApnsCertificate } = require(${JSON.stringify(PARSER)});
      const parsed = parseApnsCertificate('push.pem', require('node:fs').readFileSync(${JSON.stringify(file)}));
      const tls = require('node:tls');
      process.stdout.write(JSON.stringify({ topic: parsed.topic, createSecureContext: typeof tls.createSecureContext, context: typeof tls.createSecureContext({}) }));`;
    const outcome = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as Record<string, string>;
    expect(outcome).toEqual({ topic: 'com.apple.mgmt.External.0f1e2d3c', createSecureContext: 'function', context: 'object' });
  });
});
