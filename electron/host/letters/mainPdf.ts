import type { PdfRenderedMessage, RenderPdfMessage } from '../workerProtocol.ts';
import type { PdfRenderer } from './pdf.ts';

/**
 * The desktop worker's PdfRenderer: it cannot import 'electron', so it posts the page to main
 * ('render-pdf'), which prints it in a hidden window (electron/main/printToPdf.ts) and answers
 * 'pdf-rendered' with the same id. A print main never answers (it crashed, the window hung) fails
 * after `timeoutMs`, so the letter handler answers PDF_RENDER_FAILED instead of waiting forever.
 */
export interface MainPdfChannel {
  render: PdfRenderer;
  /** Main's answer; an id nobody waits for (late, after a timeout) is ignored. */
  settle: (message: PdfRenderedMessage) => void;
}

export function mainPdfChannel(post: (message: RenderPdfMessage) => void, timeoutMs = 120_000): MainPdfChannel {
  const waiting = new Map<number, { resolve: (pdf: Buffer) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  let nextId = 1;
  return {
    render: (html) =>
      new Promise<Buffer>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`main did not print the page within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, { resolve, reject, timer });
        try {
          post({ type: 'render-pdf', id, html });
        } catch (error) {
          clearTimeout(timer);
          waiting.delete(id);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }),
    settle: (message) => {
      const entry = waiting.get(message.id);
      if (entry === undefined) return;
      waiting.delete(message.id);
      clearTimeout(entry.timer);
      const pdf = message.pdfBase64 === undefined ? null : Buffer.from(message.pdfBase64, 'base64');
      if (pdf !== null && pdf.subarray(0, 5).toString('latin1') === '%PDF-') entry.resolve(pdf);
      else entry.reject(new Error(message.error ?? 'main answered without a PDF'));
    },
  };
}
