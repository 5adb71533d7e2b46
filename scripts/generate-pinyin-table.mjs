// Writes shared/codes/pinyinInitials.json, the table pinyinInitials (shared/domain/pinyin.ts) reads
// a name's initials from without calling pinyin-pro for each name (issue 19, issue 20: ~5.6 µs a
// name, the most of it segmenting the name into words; a table lookup is under 1 µs).
//
// Nothing in it is ours: every letter is pinyin-pro's (the version pinned in package.json).
// - `letters`: for each code point of U+3400–U+9FFF, the initial pinyin-pro gives the character
//   alone, unmarked as toneType 'none' does, or '-' when it gives none (not a letter or digit).
// - `words`: for each character whose initial can differ inside a word, the words of pinyin-pro's
//   own word patterns (the ones its default conversion segments by) in which it does
//   (长 alone is C, in 校长 Z). A name holding any of them is converted by pinyin-pro itself.
// When pinyin-pro is upgraded, rerun:
//   node scripts/generate-pinyin-table.mjs
// `--check` writes nothing and exits 1 when the file is not what the installed pinyin-pro gives
// (a test runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinyin } from 'pinyin-pro';
import { PatternsNormal } from 'pinyin-pro/dist/esm/data/patterns.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'shared', 'codes', 'pinyinInitials.json');
const { version } = createRequire(import.meta.url)('pinyin-pro/package.json');

export const FIRST = 0x3400;
export const LAST = 0x9fff;

/** A syllable's or a character's initial as pinyinInitials keeps it: A–Z or 0–9, or '' when none. */
const initialOf = (text) => text.normalize('NFD').slice(0, 1).toUpperCase().replace(/[^A-Z0-9]/g, '');
const alone = (char) => {
  const reading = pinyin(char, { pattern: 'first', toneType: 'none' });
  return reading === char ? '' : initialOf(reading);
};

const letters = [];
for (let code = FIRST; code <= LAST; code += 1) letters.push(alone(String.fromCodePoint(code)) || '-');

const words = new Map();
for (const { zh, pinyin: reading } of PatternsNormal) {
  const chars = [...zh];
  const syllables = reading.split(' ');
  chars.forEach((char, i) => {
    // A pattern whose syllables do not line up with its characters is taken as changing them all.
    const inWord = syllables.length === chars.length ? initialOf(syllables[i]) : '?';
    if (inWord === alone(char)) return;
    if (!words.has(char)) words.set(char, new Set());
    words.get(char).add(zh);
  });
}

const table = {
  source: `pinyin-pro ${version} (MIT): each character's initial alone, and the words of its patterns that change it; scripts/generate-pinyin-table.mjs`,
  pinyinPro: version,
  first: FIRST,
  letters: letters.join(''),
  words: Object.fromEntries([...words].sort(([a], [b]) => (a < b ? -1 : 1)).map(([char, set]) => [char, [...set].sort()])),
};
const text = `${JSON.stringify(table)}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing: differs
  }
  if (current !== text) {
    console.error(`${target} is not what pinyin-pro ${version} gives: run node scripts/generate-pinyin-table.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}: ${letters.length} characters, ${words.size} with words that change them`);
}
