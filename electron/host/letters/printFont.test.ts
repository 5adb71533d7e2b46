import { describe, expect, it } from 'vitest';
import { printFontFaces, withPrintFont } from './printFont.ts';

/** Which of the font's slices a page carries: those its characters fall in, in both weights, and only those. */
describe('print font slices', () => {
  const faces = (text: string) => printFontFaces(text).split('\n').filter((line) => line !== '');

  it('carries the slices ASCII text falls in (Fontsource has it in two), in 400 and 700', () => {
    const rules = faces('Case ZG-2026');
    expect(rules.map((rule) => /font-weight: (\d+)/.exec(rule)?.[1]).sort()).toEqual(['400', '400', '700', '700']);
    for (const rule of rules) expect(rule).toMatch(/src: url\(data:font\/woff2;base64,d09GMg/); // 'wOF2'
  });

  it('adds a slice per Chinese character range used, none for characters absent', () => {
    const latin = faces('a').length;
    const one = faces('a整').length;
    expect(one).toBe(latin + 2);
    expect(faces('a整整整').length).toBe(one);
    expect(faces('').length).toBe(0);
  });

  it('puts the rules before the page’s own style', () => {
    const html = withPrintFont('<html><head><style>body{}</style></head><body>函</body></html>');
    expect(html.indexOf('@font-face')).toBeLessThan(html.indexOf('body{}'));
    expect(() => withPrintFont('<p>no style</p>')).toThrow(/no <style>/);
  });
});
