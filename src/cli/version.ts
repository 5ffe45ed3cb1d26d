// The version of this build, read from the package.json shipped next to the compiled code (once, on demand).
import fs from 'node:fs';
import path from 'node:path';

let cached: string | null = null;

/** The `version` of the nearest package.json named tokenwatch above this file (src/cli or dist/src/cli). */
export function packageVersion(): string {
  if (cached !== null) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'tokenwatch' && typeof pkg.version === 'string') {
        cached = pkg.version;
        return cached;
      }
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
