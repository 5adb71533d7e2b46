import { defineConfig } from '@playwright/test';

// Debian's Chromium (apt), never a Playwright browser download: this machine cannot fetch one.
const executablePath = process.env.GREENLEDGER_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1, // two cores: the host, the browser and the test runner already share them
  retries: 0,
  reporter: process.env.CI === 'true' ? [['list'], ['json', { outputFile: '../../.tmp/playwright.json' }]] : [['list']],
  use: {
    headless: true,
    locale: 'zh-CN',
    viewport: { width: 1366, height: 800 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
