// The installed package works as npm sees it: its main entry loads and its bin is an executable Node script.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; bin: Record<string, string> };

describe('the package', () => {
  it('has a main entry that loads and exposes the engine', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require(path.join(root, pkg.main)) as Record<string, unknown>;
    expect(typeof entry['loadConfig']).toBe('function');
    expect(typeof entry['scan']).toBe('function');
  });

  it('has a tokenwatch bin that is a Node script', () => {
    const bin = path.join(root, pkg.bin['tokenwatch'] ?? '');
    expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
