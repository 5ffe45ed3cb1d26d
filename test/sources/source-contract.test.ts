// Runs the one source contract (test/support/source-contract.ts) against every source: add each new source here.
import fs from 'node:fs';
import path from 'node:path';
import { createTokenFolderSource } from '../../src/sources/token-folder-source';
import { describeSourceContract } from '../support/source-contract';
import { makeTempDir, removeDir } from '../support/temp-dir';
import { makeTokenFile } from '../support/token-files';

describeSourceContract('the token folder', async () => {
  const dir = makeTempDir();
  const secrets = ['contract-folder-secret-one', 'contract-folder-secret-two'];
  fs.writeFileSync(path.join(dir, 'a.vpptoken'), makeTokenFile({ token: secrets[0], expDate: '2027-11-24T10:15:30-0800', orgName: 'Acme A' }));
  fs.writeFileSync(path.join(dir, 'b.vpptoken'), makeTokenFile({ token: secrets[1], expDate: '2027-12-24T10:15:30-0800', orgName: 'Acme B' }));
  fs.writeFileSync(path.join(dir, 'broken.vpptoken'), Buffer.from(JSON.stringify({ token: 'contract-folder-secret-one' })).toString('base64'));
  return {
    source: createTokenFolderSource(dir),
    failingSource: createTokenFolderSource(path.join(dir, 'missing')),
    expectedIds: ['a.vpptoken', 'b.vpptoken'],
    expectedWarnings: ['broken.vpptoken'],
    secrets,
    close: async () => removeDir(dir),
  };
});
