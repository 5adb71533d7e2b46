import { z } from 'zod';
import type { ErrorCode, Result } from '../../shared/api/result.ts';

/**
 * The messages between the Electron main process and the host worker (a utilityProcess that owns
 * the database and runs the handlers). Main imports only the types; the worker parses everything it
 * receives with the schema below, so a malformed message is dropped, never half-acted upon.
 */
export const workerInboundSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('init'),
      dataDir: z.string().min(1),
      /** Checked by openStore (64 hex characters), so a bad key answers DB_KEY_INVALID like a wrong one. */
      keyHex: z.string(),
      appVersion: z.string(),
    })
    .strict(),
  z
    .object({
      type: z.literal('call'),
      /** Correlation id chosen by main; echoed in the result. */
      id: z.number().int().nonnegative(),
      method: z.string().max(200),
      /** Parsed by the method's own zod schema in dispatch, not here. */
      input: z.unknown(),
      sessionId: z.string().max(200),
    })
    .strict(),
  /** Main's answer to a 'render-pdf': the PDF (base64), or, without one, why Chromium could not print it. */
  z
    .object({
      type: z.literal('pdf-rendered'),
      id: z.number().int().nonnegative(),
      pdfBase64: z.string().min(1).optional(),
      error: z.string().max(2000).optional(),
    })
    .strict(),
  /** Close the database and exit (sent by main when the app quits). */
  z.object({ type: z.literal('shutdown') }).strict(),
]);

export type WorkerInbound = z.infer<typeof workerInboundSchema>;
export type InitMessage = Extract<WorkerInbound, { type: 'init' }>;
export type CallMessage = Extract<WorkerInbound, { type: 'call' }>;
export type PdfRenderedMessage = Extract<WorkerInbound, { type: 'pdf-rendered' }>;
/**
 * The worker asks main to print a page (letters/pdf.ts): the packaged app prints with Electron's own
 * Chromium (electron/main/printToPdf.ts), so the desktop needs no browser of its own.
 */
export interface RenderPdfMessage {
  type: 'render-pdf';
  id: number;
  html: string;
}

export type WorkerOutbound =
  | { type: 'ready' }
  | { type: 'init-failed'; error: { code: ErrorCode; message: string } }
  | { type: 'result'; id: number; result: Result<unknown> }
  | RenderPdfMessage;
