import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The font printed letters and reports carry: Noto Serif SC (@fontsource/noto-serif-sc, SIL OFL 1.1),
 * so a PDF looks the same whatever fonts the laptop has (a county branch's Windows may have only
 * SimSun). Fontsource cuts each weight into ~100 woff2 slices by unicode-range; a page gets
 * @font-face rules, with the woff2 inlined as data: URLs, for only the slices its own characters
 * fall in — a letter needs a few dozen of the 2 × 101, not the 87 MB package — and Chromium embeds
 * a subset of those in the PDF. Inlined rather than file:// so the same HTML prints from
 * playwright's about:blank page and from Electron's hidden window alike.
 */
export const printFontFamily = 'Noto Serif SC';
/** Regular text and bold (headings, table heads); electron-builder.yml ships only these two. */
const weights = [400, 700] as const;

interface Slice {
  weight: number;
  file: string;
  ranges: [number, number][];
}

const fontDir = (): string => {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@fontsource/noto-serif-sc/package.json'));
};

/** U+4e00-4e01,U+4e03 → [[0x4e00, 0x4e01], [0x4e03, 0x4e03]]. */
function parseRanges(text: string): [number, number][] {
  return text.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
    const start = parseInt(from!, 16);
    return [start, to === undefined ? start : parseInt(to, 16)];
  });
}

let slices: Slice[] | null = null;
function loadSlices(): Slice[] {
  if (slices !== null) return slices;
  const dir = fontDir();
  const found: Slice[] = [];
  for (const weight of weights) {
    const css = readFileSync(join(dir, `${weight}.css`), 'utf8');
    for (const block of css.split('@font-face').slice(1)) {
      const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
      const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
      if (file === undefined || range === undefined) continue;
      found.push({ weight, file: join(dir, 'files', file), ranges: parseRanges(range) });
    }
  }
  if (found.length === 0) throw new Error(`No Noto Serif SC slices found in ${dir}`);
  slices = found;
  return found;
}

const woff2Cache = new Map<string, string>();
const woff2Base64 = (file: string): string => {
  let data = woff2Cache.get(file);
  if (data === undefined) {
    data = readFileSync(file).toString('base64');
    woff2Cache.set(file, data);
  }
  return data;
};

/** The @font-face rules for the slices (both weights) that hold a character of `text`. */
export function printFontFaces(text: string): string {
  const codePoints = new Set<number>();
  for (const char of text) codePoints.add(char.codePointAt(0)!);
  const points = [...codePoints];
  return loadSlices()
    .filter((slice) => points.some((point) => slice.ranges.some(([from, to]) => point >= from && point <= to)))
    .map(
      (slice) =>
        `@font-face { font-family: '${printFontFamily}'; font-style: normal; font-weight: ${slice.weight}; ` +
        `src: url(data:font/woff2;base64,${woff2Base64(slice.file)}) format('woff2'); unicode-range: ${slice.ranges
          .map(([from, to]) => (from === to ? `U+${from.toString(16)}` : `U+${from.toString(16)}-${to.toString(16)}`))
          .join(',')}; }`,
    )
    .join('\n');
}

/** A printable page with the font's rules for its own characters put before its first <style>. */
export function withPrintFont(html: string): string {
  const at = html.indexOf('<style>');
  if (at < 0) throw new Error('withPrintFont: the page has no <style> to precede');
  return `${html.slice(0, at)}<style>\n${printFontFaces(html)}\n</style>\n${html.slice(at)}`;
}
