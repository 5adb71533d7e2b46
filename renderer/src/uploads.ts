/** Files between the browser and the host API, which carries them as base64 inside JSON. */

/** The file's bytes as standard base64 (FileReader's data: URL without its prefix). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('Cannot read the file'));
    reader.readAsDataURL(file);
  });
}

/** 24 MiB: what fits the upload methods' 32 MiB input once base64 adds a third. */
export const MAX_IMPORT_FILE_BYTES = 24 * 1024 * 1024;

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
