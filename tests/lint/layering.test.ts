import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The arrows of ARCHITECTURE.md are enforced by lint; these cases prove the rule bites. */
const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import layering (eslint no-restricted-imports)', () => {
  const forbidden: [string, string][] = [
    ['renderer/src/x.ts', "import { openDatabase } from '../../db/open.ts';"],
    ['renderer/src/x.ts', "import { handlers } from '../../electron/host/handlers/index.ts';"],
    ['renderer/src/x.ts', "import { readFileSync } from 'node:fs';"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';"],
    ['shared/domain/x.ts', "import { openDatabase } from '../../db/open.ts';"],
    ['shared/domain/x.ts', "import { createHash } from 'node:crypto';"],
    ['db/x.ts', "import { app } from 'electron';"],
    ['db/x.ts', "import { handlers } from '../electron/host/handlers/index.ts';"],
    ['electron/host/x.ts', "import { app } from 'electron';"],
    ['server/x.ts', "import { openDatabase } from '../db/open.ts';"],
    ['bench/x.ts', "import { app } from 'electron';"],
    ['fuzz/x.ts', "import { app } from 'electron';"],
    ['fuzz/x.ts', "import { App } from '../renderer/src/App.tsx';"],
  ];

  it.each(forbidden)('refuses in %s: %s', async (file, source) => {
    expect(await importErrors(file, source)).not.toEqual([]);
  });

  const allowed: [string, string][] = [
    ['renderer/src/x.ts', "import { contract } from '../../shared/api/index.ts';"],
    ['db/x.ts', "import type { ErrorCode } from '../shared/api/result.ts';"],
    ['electron/host/x.ts', "import { openDatabase } from '../../db/open.ts';"],
    ['electron/main/x.ts', "import { app } from 'electron';"],
    ['electron/preload/x.ts', "import { contextBridge } from 'electron';"],
    ['server/x.ts', "import { contract } from '../shared/api/index.ts';"],
    ['fuzz/x.ts', "import { openDatabase } from '../db/open.ts';"],
  ];

  it.each(allowed)('allows in %s: %s', async (file, source) => {
    expect(await importErrors(file, source)).toEqual([]);
  });
});
