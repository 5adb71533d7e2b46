import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What a fresh clone's first `npm start` (and .ci/run) does to the work tree and the terminal:
 * the committed lockfile needs no rewrite (so `git status` stays clean) and npm prints nothing a
 * user would read as a failure. The full run (install, native build, launch) is checked by hand in
 * a real fresh clone; see README, "The two commands".
 */

const root = join(import.meta.dirname, '..', '..');
const installArgs = ['install', '--no-audit', '--no-fund', '--loglevel=error'];

describe('a fresh clone’s npm install', () => {
  it('leaves package-lock.json byte for byte as committed and prints nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'greenledger-lock-'));
    try {
      for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(root, file), join(dir, file));
      // The resolution step of the same install, without downloading or running any package.
      const result = spawnSync('npm', [...installArgs, '--package-lock-only', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('is the same quiet install in npm start and in .ci/run', () => {
    const start = readFileSync(join(root, 'scripts/start.mjs'), 'utf8');
    expect(start).toContain(`const npmInstallArgs = [${installArgs.map((arg) => `'${arg}'`).join(', ')}];`);
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    expect(ci).toMatch(new RegExp(`^npm ${installArgs.join(' ')}$`, 'm'));
  });

  it('has every dependency install script reviewed (npm 11 prints the unreviewed ones as a warning)', () => {
    const result = spawnSync('npm', ['approve-scripts', '--allow-scripts-pending'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('No packages with unreviewed install scripts.');
  }, 90_000);
});
