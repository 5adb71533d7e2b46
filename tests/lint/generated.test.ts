import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('generated reference files', () => {
  // pinyinInitials reads its letters from this table; a pinyin-pro upgrade must regenerate it.
  it('shared/codes/pinyinInitials.json is what the installed pinyin-pro gives (generate-pinyin-table.mjs --check)', () => {
    expect(() => execFileSync(process.execPath, [join(root, 'scripts', 'generate-pinyin-table.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
