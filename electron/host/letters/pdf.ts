/**
 * HTML → A4 PDF through Chromium: the PDF path letters and statistics reports share. Chromium embeds
 * a subset of each font it uses and keeps the text as text (pdftotext reads it back).
 *
 * The host does not know which Chromium prints: its runtime injects a PdfRenderer (HostContext.pdf).
 * The packaged Electron app prints with its own Chromium — electron/main renders the page in an
 * offscreen BrowserWindow with webContents.printToPDF, asked over the worker channel
 * (workerProtocol.ts 'render-pdf'); browser mode and the tests use the system's Chromium driven by
 * playwright-core (chromiumPdfRenderer). Both take the page's own @page size (A4) and print its
 * backgrounds, so the same HTML gives the same letter.
 */
export type PdfRenderer = (html: string) => Promise<Buffer>;

/** Where playwright-core finds a Chromium: GREENLEDGER_CHROMIUM, else Debian's. */
export const defaultChromiumPath = (): string => process.env.GREENLEDGER_CHROMIUM ?? '/usr/bin/chromium';

type Browser = import('playwright-core').Browser;

/**
 * A renderer over one Chromium, started at the first letter and kept for the next ones (starting it
 * is most of a letter's cost: ~20 s on a loaded 2-core machine, a page ~1 s once it runs). A browser
 * that died is started again. `close` ends it (the runtime's stop).
 */
export function chromiumPdfRenderer(executablePath = defaultChromiumPath()): PdfRenderer & { close: () => Promise<void> } {
  let browser: Promise<Browser> | null = null;
  const start = async (): Promise<Browser> => {
    const { chromium } = await import('playwright-core');
    const launched = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
    launched.on('disconnected', () => {
      browser = null;
    });
    return launched;
  };
  const render = async (html: string): Promise<Buffer> => {
    browser ??= start().catch((error: unknown) => {
      browser = null;
      throw error;
    });
    const page = await (await browser).newPage();
    try {
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    } finally {
      await page.close();
    }
  };
  return Object.assign(render, {
    close: async () => {
      const running = browser;
      browser = null;
      if (running !== null) await (await running.catch(() => null))?.close();
    },
  });
}

/** One PDF with a Chromium started and closed for it (a one-off: scripts, the letter test). */
export async function htmlToPdf(html: string, executablePath = defaultChromiumPath()): Promise<Buffer> {
  const renderer = chromiumPdfRenderer(executablePath);
  try {
    return await renderer(html);
  } finally {
    await renderer.close();
  }
}
