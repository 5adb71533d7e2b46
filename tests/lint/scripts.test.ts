import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('package.json scripts', () => {
  it('name only source files that exist (npm run web pointed at a missing electron/host/web/cli.ts)', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const named = Object.values(scripts).flatMap((script) => script.split(/\s+/).filter((word) => /^[\w./-]+\.(ts|mjs|cjs|js)$/.test(word)));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((file) => !existsSync(join(root, file)))).toEqual([]);
  });
});
