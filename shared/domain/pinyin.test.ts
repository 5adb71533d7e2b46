import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pinyin } from 'pinyin-pro';
import table from '../codes/pinyinInitials.json' with { type: 'json' };
import { pinyinInitials, pinyinInitialsByPinyinPro } from './pinyin.ts';

describe('pinyinInitials', () => {
  it.each([
    ['华盛建材', 'HSJC'],
    ['华盛建材有限公司', 'HSJCYXGS'],
    ['重庆银行股份有限公司', 'CQYHGFYXGS'],
    ['长沙银行', 'CSYH'],
    ['厦门建发纺织有限公司', 'XMJFFZYXGS'],
    ['朝阳重型机械制造厂', 'CYZXJXZZC'],
    ['乐山市陶瓷有限责任公司', 'LSSTCYXZRGS'],
    ['景德镇市浮梁县茶叶专业合作社', 'JDZSFLXCYZYHZS'],
    ['喀什地区绿源食品有限公司', 'KSDQLYSPYXGS'],
    ['福建省宁德市蕉城区饲料厂', 'FJSNDSJCQSLC'],
    ['中国农业银行股份有限公司景德镇分行', 'ZGNYYHGFYXGSJDZFH'],
    ['平顶山市第二水泥厂', 'PDSSDESNC'],
    ['都江堰市建材公司', 'DJYSJCGS'],
    ['蚌埠玻璃工业设计研究院', 'BBBLGYSJYJY'],
    ['单县食品厂', 'SXSPC'], // corrected: pinyin-pro reads 单 as dān
    ['农业银行单县支行', 'NYYHSXZH'],
    ['中国农业银行股份有限公司景德镇分行', 'ZGNYYHGFYXGSJDZFH'], // corrected: pinyin-pro reads 分行 as fēn xíng
    ['江西银行分行营业部', 'JXYHFHYYB'],
    ['重庆农村商业银行行长办公室', 'CQNCSYYHHZBGS'],
  ])('%s → %s', (name, initials) => {
    expect(pinyinInitials(name)).toBe(initials);
  });

  it.each([
    ['3M中国有限公司', '3MZGYXGS'],
    ['ＡＢＣ纺织（福建）有限公司', 'ABCFZFJYXGS'], // full-width letters and brackets
    ['TCL科技集团股份有限公司', 'TCLKJJTGFYXGS'],
    ['江西001号陶瓷厂', 'JX001HTCC'],
    ['华盛·建材 有限公司', 'HSJCYXGS'],
    ['abc', 'ABC'],
    // A character outside the BMP (no reading, dropped) before a correction: positions must
    // count code points, or the correction lands one place late (FFH).
    ['𠀀分行', 'FH'],
    ['', ''],
    ['   ', ''],
    ['（）、。', ''],
  ])('keeps letters and digits, drops the rest: %j → %j', (name, initials) => {
    expect(pinyinInitials(name)).toBe(initials);
  });
});

describe('pinyinInitials against pinyin-pro unmarked', () => {
  // The tone marks are taken off in pinyinInitials, not by pinyin-pro's toneType 'none': the
  // letters must be the ones pinyin-pro gives unmarked, for every character it reads.
  const unmarked = (text: string) => pinyin(text, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toUpperCase().replace(/[^A-Z0-9]/g, '');

  it('gives pinyin-pro’s letter for every character of U+3400–U+9FFF', () => {
    const differ: string[] = [];
    for (let code = 0x3400; code <= 0x9fff; code += 1) {
      const char = String.fromCodePoint(code);
      if (pinyinInitials(char) !== unmarked(char)) differ.push(char);
    }
    expect(differ).toEqual([]);
  });

  it.each(['嗯呣哦欸爱鹅安鸥', '一不了々', '说一说，看不看', 'café华盛 Ñandú', '女绿略吕', '呒噷'])('%s', (text) => {
    expect(pinyinInitials(text)).toBe(unmarked(text.normalize('NFKC')));
  });
});

describe('pinyinInitials from its table', () => {
  // The table is held to the installed pinyin-pro by tests/lint/generated.test.ts.
  it.each([
    // The table's letter, no word of the patterns in the name.
    ['浮梁长青化纤有限公司', 'FLCQHXYXGS'],
    // A word that changes 长 (校长), 行 (银行), 重 (重庆) or a correction (分行, 单县): pinyin-pro converts it.
    ['校长办公室', 'XZBGS'],
    ['中国农业银行浮梁县支行', 'ZGNYYHFLXZH'],
    ['重庆银行', 'CQYH'],
    ['景德镇分行', 'JDZFH'],
    ['单县农商行', 'SXNSH'],
  ])('%s → %s, the same as pinyin-pro itself', (name, initials) => {
    expect(pinyinInitials(name)).toBe(initials);
    expect(pinyinInitialsByPinyinPro(name)).toBe(initials);
  });

  it('gives pinyin-pro’s own initials for names built from the words that change a letter, their characters and any others', () => {
    const changing = Object.keys(table.words);
    const words = Object.values(table.words).flat();
    const common = [...'有限公司股份集团科技建材化纤纺织水泥绿色能源浮梁景德镇乐平长青重型银行分单县'];
    const part = fc.oneof(
      fc.constantFrom(...words),
      fc.constantFrom(...changing),
      fc.constantFrom(...common),
      fc.integer({ min: 0x3400, max: 0x9fff }).map((code) => String.fromCodePoint(code)),
      fc.constantFrom('A', 'b', '3', ' ', '（', '）', '·', 'Ｍ', '、', '-', 'é', '𠀋'),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 8 }), (parts) => {
        const name = parts.join('');
        expect(pinyinInitials(name)).toBe(pinyinInitialsByPinyinPro(name));
      }),
      { numRuns: 20_000, seed: 20261207 },
    );
  });
});
