import { pinyin } from 'pinyin-pro';
import table from '../codes/pinyinInitials.json' with { type: 'json' };

/**
 * Words pinyin-pro reads differently from how a bank or a county says them: 分行 is fēn háng
 * (a bank branch), not fēn xíng; 单县 (Shandong) is Shàn Xiàn.
 */
const corrections: readonly (readonly [word: string, initials: string])[] = [
  ['分行', 'FH'],
  ['单县', 'SX'],
];

/**
 * A marked letter that can begin a syllable, unmarked as pinyin-pro's toneType 'none' does (ü and
 * ê are left: not A–Z, they are dropped either way; n̄, m̀, m̌ are a letter and a combining mark, so
 * their first code unit is already plain).
 */
const UNMARKED: Readonly<Record<string, string>> = Object.fromEntries(
  ([['a', 'āáǎà'], ['o', 'ōóǒò'], ['e', 'ēéěè'], ['i', 'īíǐì'], ['u', 'ūúǔù'], ['n', 'ńňǹ'], ['m', 'ḿ']] as const).flatMap(([plain, marked]) => [...marked].map((m) => [m, plain])),
);

/**
 * Pinyin initials of a name, for search (华盛建材有限公司 → HSJCYXGS, so typing HSJC finds it).
 * Latin letters and digits are kept as typed (3M中国 → 3MZG), full-width ones folded to ASCII,
 * punctuation and brackets dropped.
 *
 * Polyphones come from pinyin-pro's word dictionary, which gets the common company-name words
 * right (重庆 CQ, 银行 YH, 长沙 CS, 厦门 XM, 朝阳 CY, 重型 ZX, 行长 HZ), plus the corrections
 * above. Some surnames still come out wrong (曾氏 gives CS, not ZS); a search index that must
 * find those should also store an alias.
 *
 * Cost, measured (Node 20, AMD EPYC, warm): 100,000 calls took ~0.48 s for an 8-character name
 * (华盛建材有限公司, ~5 µs each) and ~0.97 s for a 17-character one (…股份有限公司景德镇分行) with
 * toneType 'none'; the tone marks are now taken off here (below), 9.5 → 5.9 µs per name of the
 * import bench's list (best of 40 alternating runs, issue 20).
 * Most names are now read from a table of pinyin-pro's own letters (initialsFromTable, below):
 * ~0.9 µs a name of that list.
 * Loading pinyin-pro costs ~35 ms plus ~17 ms on the first call, and it adds ~450 KB minified
 * (~145 KB gzipped) to a bundle that imports it. Compute initials once when a name is saved and
 * index them; do not recompute per keystroke over a whole register.
 */
export function pinyinInitials(name: string): string {
  return initialsOf(name, true);
}

/** pinyinInitials by pinyin-pro itself, for every name (the table's fallback; the tests' reference). */
export function pinyinInitialsByPinyinPro(name: string): string {
  return initialsOf(name, false);
}

function initialsOf(name: string, fromTable: boolean): string {
  const text = name.normalize('NFKC');
  if (text.trim() === '') return '';
  return (fromTable ? initialsFromTable(text) : undefined) ?? initialsByPinyinPro(text);
}

/** The table's words by character, as lists (the JSON's own shape). */
const changingWords: Readonly<Record<string, readonly string[] | undefined>> = table.words;
const correctionWords = corrections.map(([word]) => word);

/**
 * The initials read from shared/codes/pinyinInitials.json (scripts/generate-pinyin-table.mjs):
 * pinyin-pro's initial of each character alone, which is its initial in the name too unless the
 * name holds one of the words of pinyin-pro's patterns that change it. Undefined — pinyin-pro then
 * converts the name itself — when such a word or a correction's word is there, or a character is
 * neither in the table nor an ASCII one. Same letters as pinyinInitialsByPinyinPro, held by
 * pinyin.test.ts; ~0.9 µs a name of the import bench's list instead of ~5.6 µs, and ~2% of its
 * names are converted the long way (长青, 乐清, 车…).
 */
function initialsFromTable(text: string): string | undefined {
  let initials = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= table.first && code < table.first + table.letters.length) {
      if (changingWords[char]?.some((word) => text.includes(word)) === true) return undefined;
      const letter = table.letters[code - table.first]!;
      if (letter !== '-') initials += letter;
    } else if (code >= 0x80) return undefined;
    else if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a)) initials += char;
    else if (code >= 0x61 && code <= 0x7a) initials += char.toUpperCase();
  }
  return correctionWords.some((word) => text.includes(word)) ? undefined : initials;
}

function initialsByPinyinPro(text: string): string {
  // One element per code point (pinyin-pro keeps non-Chinese characters one by one), so the
  // corrections can be applied by position, and a letter compared with its character.
  const chars = [...text];
  // The first letters with their tone marks: pinyin-pro's toneType 'none' strips them with nine
  // regular expressions per syllable, most of this function's cost in a 50,000-row import. Only
  // a Chinese character's letter is unmarked here (its letter differs from the character), as
  // pinyin-pro does; a non-Chinese á stays as typed and is dropped below either way.
  const initials = pinyin(text, { pattern: 'first', toneType: 'symbol', type: 'array' });
  if (initials.length !== chars.length) return applyCorrections(text, chars, pinyin(text, { pattern: 'first', toneType: 'none', type: 'array' }));
  for (let i = 0; i < initials.length; i += 1) {
    const letter = initials[i]!;
    if (letter !== chars[i]) initials[i] = UNMARKED[letter] ?? letter;
  }
  return applyCorrections(text, chars, initials);
}

function applyCorrections(text: string, chars: readonly string[], initials: string[]): string {
  if (initials.length === chars.length) {
    for (const [word, replacement] of corrections) {
      for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
        const position = [...text.slice(0, at)].length;
        [...replacement].forEach((initial, k) => {
          initials[position + k] = initial;
        });
      }
    }
  }
  return initials.join('').toUpperCase().replace(/[^A-Z0-9]/g, '');
}
