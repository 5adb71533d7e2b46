/**
 * HTML → A4 PDF through Chromium: the PDF path letters and statistics reports share. Chromium embeds
 * a subset of each font it uses and keeps the text as text (pdftotext reads it back). Here, in the
 * browser-mode host and tests, it is the system's Chromium driven by playwright-core; the packaged
 * Electron app is to print with its own Chromium (webContents.printToPDF) — not wired yet.
 */
export async function htmlToPdf(html: string, executablePath = process.env.GREENLEDGER_CHROMIUM ?? '/usr/bin/chromium'): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  } finally {
    await browser.close();
  }
}
