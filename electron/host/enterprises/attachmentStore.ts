import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttachmentMime } from '../../../shared/api/enterprises.ts';

/**
 * Attachment files at rest: content-addressed by the SHA-256 of the plaintext in
 * `<dataDir>/attachments/<aa>/<sha256>`, so the same licence attached twice (or to two enterprises)
 * is stored once, and each file encrypted with AES-256-GCM under a key derived from the database
 * key. Layout of a blob: "GLA1" | 12-byte IV | ciphertext | 16-byte tag; the hash is the GCM
 * additional data, so a blob copied under another name does not decrypt.
 */
const MAGIC = Buffer.from('GLA1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class AttachmentBlobError extends Error {
  constructor(
    readonly reason: 'missing' | 'corrupt',
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentBlobError';
  }
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function blobPath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new AttachmentBlobError('corrupt', `Not a SHA-256: ${sha256.slice(0, 80)}`);
  return join(dataDir, 'attachments', sha256.slice(0, 2), sha256);
}

/** What the bytes are, by their first bytes (never by the file name). */
export function sniffMime(bytes: Uint8Array): AttachmentMime | null {
  const starts = (...prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  return null;
}

export function encryptBlob(key: Buffer, sha256: string, plaintext: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(sha256));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([MAGIC, iv, body, cipher.getAuthTag()]);
}

export function decryptBlob(key: Buffer, sha256: string, blob: Buffer): Buffer {
  if (blob.length < MAGIC.length + IV_BYTES + TAG_BYTES || !blob.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new AttachmentBlobError('corrupt', `Attachment ${sha256} is not a GreenLedger blob`);
  }
  const iv = blob.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = blob.subarray(blob.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(sha256));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(blob.subarray(MAGIC.length + IV_BYTES, blob.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new AttachmentBlobError('corrupt', `Attachment ${sha256} fails its authentication tag (damaged, or another key)`);
  }
}

/**
 * Stores the plaintext once; returns its hash and whether a new blob was written. The blob is written
 * to a temporary name and renamed, so a crash never leaves a half-written file under a content address.
 */
export function putBlob(dataDir: string, key: Buffer, plaintext: Uint8Array): { sha256: string; written: boolean } {
  const sha256 = sha256Hex(plaintext);
  const path = blobPath(dataDir, sha256);
  if (existsSync(path)) return { sha256, written: false };
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, encryptBlob(key, sha256, plaintext), { mode: 0o600, flush: true });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return { sha256, written: true };
}

/** The plaintext, decrypted and checked against the hash it is filed under. */
export function getBlob(dataDir: string, key: Buffer, sha256: string): Buffer {
  const path = blobPath(dataDir, sha256);
  let blob: Buffer;
  try {
    blob = readFileSync(path);
  } catch {
    throw new AttachmentBlobError('missing', `Attachment file ${sha256} is missing from the data folder`);
  }
  const plaintext = decryptBlob(key, sha256, blob);
  if (sha256Hex(plaintext) !== sha256) throw new AttachmentBlobError('corrupt', `Attachment ${sha256} does not match its SHA-256`);
  return plaintext;
}
