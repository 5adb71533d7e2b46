// electron-builder `beforePack` hook: rebuilds the one native module, better-sqlite3-multiple-ciphers,
// for the Electron version, platform and arch being packed, and says so in the log.
//
// Why: `npm ci` builds (or downloads) the module for Node's ABI, which is what the unit tests and browser
// mode need; Electron has its own ABI, so the packed app needs a build made against Electron's headers.
//
// How it is wired: electron-builder.yml sets `npmRebuild: false` (electron-builder's implicit rebuild,
// and its beforeBuild hook, are skipped) and runs this as the `beforePack` hook, which electron-builder
// 26 emits for every platform/arch before it copies the app files (app-builder-lib platformPackager.js
// doPack: emitBeforePack, then copyAppFiles). So the module is rebuilt explicitly, once per target,
// with a log line, right before node_modules are copied into the package.
//
// Like electron-builder's own rebuild, this rebuilds in place in the project's node_modules. Afterwards
// the Node-side tests need the Node build back: `npm rebuild better-sqlite3-multiple-ciphers`.
//
// Also runnable by hand for the host platform: `node build/rebuild-natives.cjs` (same effect, same caveat).
const { join } = require('node:path');

const NATIVE_MODULES = ['better-sqlite3-multiple-ciphers'];

/** electron-builder's beforePack context → what @electron/rebuild needs (also accepts that shape directly). */
function fromBeforePack(context) {
  if (context.packager === undefined) return context;
  const { Arch } = require('builder-util');
  return {
    appDir: context.packager.info.appDir,
    electronVersion: context.packager.info.framework.version,
    platform: { nodeName: context.electronPlatformName },
    arch: Arch[context.arch],
  };
}

/** @param {any} packContext */
async function rebuildNatives(packContext) {
  const context = fromBeforePack(packContext);
  // @electron/rebuild 4 is an ES module; electron-builder 26 already depends on it.
  const { rebuild } = await import('@electron/rebuild');
  const platform = context.platform.nodeName;
  const started = Date.now();
  console.log(
    `[rebuild-natives] ${NATIVE_MODULES.join(', ')} for Electron ${context.electronVersion} ${platform}-${context.arch} in ${context.appDir}`,
  );
  const rebuilding = rebuild({
    buildPath: context.appDir,
    electronVersion: context.electronVersion,
    platform,
    arch: context.arch,
    onlyModules: NATIVE_MODULES,
    force: true,
    mode: 'sequential',
  });
  rebuilding.lifecycle.on('module-found', (name) => console.log(`[rebuild-natives]   found ${name}`));
  rebuilding.lifecycle.on('module-done', (name) => console.log(`[rebuild-natives]   built ${name}`));
  await rebuilding;
  console.log(`[rebuild-natives] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

module.exports = rebuildNatives;
module.exports.default = rebuildNatives;

if (require.main === module) {
  const root = join(__dirname, '..');
  const electronVersion = require(join(root, 'node_modules/electron/package.json')).version;
  rebuildNatives({ appDir: root, electronVersion, platform: { nodeName: process.platform }, arch: process.arch }).catch((error) => {
    console.error(`[rebuild-natives] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
