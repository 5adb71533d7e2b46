import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { htmlToPdf } from './pdf.ts';
import { rectificationLetterHtml, type RectificationLetterFacts } from './rectificationLetter.ts';

/**
 * Issue 16 acceptance 5: the 督促整改函 printed to PDF by Chromium, read back with pdftotext
 * (poppler-utils): the enterprise's name, the case number, the deadline and the measure are there in
 * Chinese, as text; and the fonts are embedded (pdffonts).
 */
const facts: RectificationLetterFacts = {
  enterpriseName: '浮梁县瓷都化工有限公司',
  caseNumber: 'ZG-2026-3F9A-0007',
  category: 'environmental',
  source: 'penalty_decision',
  sourceReference: '浮环罚〔2026〕16号',
  sourceAuthority: '浮梁县生态环境局',
  sourceDate: '2026-05-20',
  description: '窑炉烟气颗粒物超标排放',
  requiredActions: '更换布袋除尘设施，经第三方监测达标',
  deadline: '2026-08-31',
  measure: 'reduce_exit',
  branchName: '浮梁县支行',
  issuedOn: '2026-06-02',
};

describe('督促整改函 PDF', () => {
  const dir = mkdtempSync(join(tmpdir(), 'greenledger-letter-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pdftotext reads back the enterprise, the case number, the deadline and the measure; fonts are embedded', async () => {
    const started = performance.now();
    const pdf = await htmlToPdf(rectificationLetterHtml(facts));
    const ms = performance.now() - started;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(dir, 'letter.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const expected of ['督促整改函', '浮梁县瓷都化工有限公司', 'ZG-2026-3F9A-0007', '2026年8月31日前', '压缩退出', '浮梁县支行', '浮环罚〔2026〕16号']) expect(text).toContain(expected);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter((line) => line.trim() !== '');
    expect(fonts.length).toBeGreaterThan(0);
    // pdffonts' columns end … emb sub uni object-id generation: every font the letter uses is embedded
    // with a Unicode map, and it is the shipped Noto Serif SC (printFont.ts), not a font of the laptop.
    for (const line of fonts) {
      const columns = line.trim().split(/\s+/);
      expect([columns.at(-5), columns.at(-3)], line).toEqual(['yes', 'yes']);
      expect(columns[0], line).toMatch(/^[A-Z]{6}\+NotoSerifSC/);
    }
    console.log(`letter: ${pdf.length} bytes in ${ms.toFixed(0)} ms (Chromium start included)`);
  }, 120_000);

  it('escapes what the case says, so a description cannot break the letter', () => {
    expect(rectificationLetterHtml({ ...facts, description: '<script>x</script>' })).toContain('&lt;script&gt;x&lt;/script&gt;');
  });
});
