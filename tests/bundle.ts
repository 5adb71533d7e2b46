import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');

/**
 * Bundles one entry point of ours (the browser-mode host for the kill harness, the fault client for
 * the sync fault test) into `<dir>/<name>.cjs` with esbuild, like scripts/build.mjs does: a start
 * then costs one plain `node` launch (~0.2 s here) instead of a tsx one, and those harnesses start
 * hundreds. Packages stay external (found by walking up to node_modules, or through NODE_PATH);
 * import.meta.url is defined from __filename, so db/migrate.ts finds the migrations copied beside it.
 */
export async function bundleWithMigrations(entry: string, dir: string, name: string): Promise<string> {
  const outfile = join(dir, `${name}.cjs`);
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
    absWorkingDir: root,
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  const migrations = join(root, 'db/migrations');
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  for (const file of readdirSync(migrations).filter((f) => f.endsWith('.sql'))) cpSync(join(migrations, file), join(dir, 'migrations', file));
  return outfile;
}
