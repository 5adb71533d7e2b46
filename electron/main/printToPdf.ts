import { app, BrowserWindow } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Prints a page the host worker built (a 督促整改函, a statistics report) to PDF with Electron's own
 * Chromium: a hidden offscreen window loads it and webContents.printToPDF prints it at the page's
 * own @page size (A4), backgrounds included — what playwright's page.pdf does in browser mode
 * (electron/host/letters/pdf.ts), so both give the same letter.
 *
 * The page goes through a temporary file, not a data: URL: its inlined fonts make it ~2 MB, about
 * Chromium's URL length limit. The window has no preload and no Node, runs in its own in-memory
 * partition, and is destroyed after each page. This cannot run in CI (no Electron binary there);
 * it is kept this small so reading it is the check.
 */
export async function printToPdf(html: string): Promise<Buffer> {
  const dir = await mkdtemp(join(app.getPath('temp'), 'greenledger-print-'));
  const win = new BrowserWindow({
    show: false,
    width: 794, // A4 at 96 dpi; printToPDF lays the page out again at its @page size
    height: 1123,
    webPreferences: { offscreen: true, sandbox: true, contextIsolation: true, nodeIntegration: false, partition: 'greenledger-print', spellcheck: false },
  });
  try {
    const file = join(dir, 'page.html');
    await writeFile(file, html, 'utf8');
    await win.loadFile(file);
    // The @font-face slices decode as the page lays out; print once they are all in.
    await win.webContents.executeJavaScript('document.fonts.ready.then(() => true)');
    return await win.webContents.printToPDF({ pageSize: 'A4', preferCSSPageSize: true, printBackground: true });
  } finally {
    win.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
