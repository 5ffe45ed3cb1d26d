// The test suite's own conventions: every test file opens with a comment saying what it covers.
import fs from 'node:fs';
import path from 'node:path';

const TEST_ROOT = path.resolve(__dirname, '..');

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('the test files', () => {
  it('each open with a comment line saying what they cover', () => {
    const files = testFiles(TEST_ROOT);
    expect(files.length).toBeGreaterThan(40);
    const withoutHeader = files
      .filter((file) => !/^\/\/ \S.{20,}/.test(fs.readFileSync(file, 'utf8').split('\n', 1)[0] ?? ''))
      .map((file) => path.relative(TEST_ROOT, file));
    expect(withoutHeader).toEqual([]);
  });
});
