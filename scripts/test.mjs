// `npm test`: every check the project has, in order, ending with one plain line
// "N passed, N failed, N skipped" over all suites (typecheck projects, lint, unit/integration, build, end-to-end).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });
const bin = (name) => join(root, 'node_modules/.bin', name);
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function step(title, command, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, CI: 'true', ...env } });
  console.log(`--- ${title}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

function single(title, command, args, env) {
  if (step(title, command, args, env)) passed += 1;
  else {
    failed += 1;
    failures.push(title);
  }
}

/** Counts the test cases a runner reported; a runner that crashed before reporting counts as one failure. */
function counted(title, command, args, reportFile, count, env) {
  rmSync(reportFile, { force: true });
  const ok = step(title, command, args, env);
  if (!existsSync(reportFile)) {
    failed += 1;
    failures.push(`${title} (no report)`);
    return;
  }
  const { pass, fail, skip } = count(JSON.parse(readFileSync(reportFile, 'utf8')));
  passed += pass;
  failed += fail;
  skipped += skip;
  if (fail > 0 || !ok) failures.push(title);
  if (!ok && fail === 0) failed += 1; // the runner failed outside any test (e.g. a suite that did not load)
}

const tsProjects = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).references.map((ref) => ref.path);
for (const project of tsProjects) single(`typecheck ${project}`, bin('tsc'), ['-p', project]);
single('lint', bin('eslint'), ['--max-warnings', '0', '.']);
// Before vitest: the hub tests and the hub API fuzz then meet the console as a hub serves it after
// `npm run build` (dist/console), not the page a hub without a build shows; the e2e needs it too.
single('build', process.execPath, [join(root, 'scripts/build.mjs')]);
counted('unit and integration (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${join(tmp, 'vitest.json')}`], join(tmp, 'vitest.json'), (report) => ({
  pass: report.numPassedTests,
  fail: report.numFailedTests + (report.numFailedTestSuites ?? 0),
  skip: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
}));
counted('end-to-end (Playwright, Chromium)', bin('playwright'), ['test', '--config', 'tests/e2e/playwright.config.ts'], join(tmp, 'playwright.json'), (report) => ({
  pass: report.stats.expected + (report.stats.flaky ?? 0),
  fail: report.stats.unexpected,
  skip: report.stats.skipped ?? 0,
}));

if (failures.length > 0) console.log(`\nFailed: ${failures.join('; ')}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
