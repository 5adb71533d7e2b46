import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { referenceSetSchemas, shippedReferenceSets } from '../shared/sync/referenceSets.ts';
import { diffTables, hasChanges, toTables } from './referenceTables.ts';
import { problemText, readReferenceWorkbook, writeReferenceWorkbook } from './referenceWorkbook.ts';

async function edit(content: Buffer, change: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  change(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const rowOf = (sheet: ExcelJS.Worksheet, column: number, text: string) => {
  let found = -1;
  sheet.eachRow((row, number) => {
    if (row.getCell(column).value === text) found = number;
  });
  return sheet.getRow(found);
};

describe('reference set workbooks', () => {
  it.each(Object.keys(referenceSetSchemas))('%s: the shipped default reads back as itself', async (name) => {
    const data = shippedReferenceSets[name];
    const read = await readReferenceWorkbook(name, await writeReferenceWorkbook(name, 0, data), data);
    expect(read).toEqual({ ok: true, data });
    expect(hasChanges(diffTables(toTables(data), toTables(read.ok ? read.data : null)))).toBe(false);
  });

  it('reads an edited price, a removed and an added row, with the decimal kept as text', async () => {
    const base = shippedReferenceSets['benefit-factors'] as { factors: { key: string; value: string }[] };
    const content = await edit(await writeReferenceWorkbook('benefit-factors', 3, base), (workbook) => {
      const sheet = workbook.getWorksheet('折算系数')!;
      const keys = (sheet.getRow(2).values as string[]).slice(1);
      const valueColumn = keys.indexOf('value') + 1;
      const first = sheet.getRow(3);
      first.getCell(valueColumn).value = 0.8; // typed in Excel as a number
      sheet.spliceRows(4, 1);
    });
    const read = await readReferenceWorkbook('benefit-factors', content, base);
    if (!read.ok) throw new Error(read.problems.map(problemText).join('\n'));
    const factors = (read.data as typeof base).factors;
    expect(factors[0]!.value).toBe('0.8');
    expect(factors).toHaveLength(base.factors.length - 1);
    const [, diff] = diffTables(toTables(base), toTables(read.data));
    expect(diff!.keyColumn).toBe('key');
    expect(diff!.changed.map((change) => [change.key, change.changed])).toEqual([[JSON.stringify(base.factors[0]!.key), ['value']]]);
    expect(diff!.removed.map((row) => row.key)).toEqual([base.factors[1]!.key]);
  });

  it('names the sheet, row and column of what the schema refuses, in Chinese', async () => {
    const base = shippedReferenceSets['collateral-terms'];
    const content = await edit(await writeReferenceWorkbook('collateral-terms', 1, base), (workbook) => {
      const prices = workbook.getWorksheet('参考价格')!;
      prices.getRow(3).getCell((prices.getRow(2).values as string[]).indexOf('priceFen')).value = '很贵';
      const parameters = workbook.getWorksheet('参数')!;
      rowOf(parameters, 2, 'coverageLimitBp').getCell(3).value = -5;
    });
    const read = await readReferenceWorkbook('collateral-terms', content, base);
    expect(read.ok).toBe(false);
    const texts = read.ok ? [] : read.problems.map(problemText);
    expect(texts).toContainEqual(expect.stringMatching(/^工作表「参考价格」第 3 行 [A-Z] 列（参考价格（分））：无效输入/));
    expect(texts).toContainEqual(expect.stringMatching(/^工作表「参数」第 \d+ 行 C 列（覆盖率上限（基点））：数值过小/));
  });

  it('refuses a sheet it does not know and a file that is not a workbook', async () => {
    const base = shippedReferenceSets['greenwashing-bounds'];
    const content = await edit(await writeReferenceWorkbook('greenwashing-bounds', 1, base), (workbook) => workbook.addWorksheet('备忘'));
    const read = await readReferenceWorkbook('greenwashing-bounds', content, base);
    expect(read.ok ? [] : read.problems.map(problemText)).toEqual([expect.stringMatching(/^工作表「备忘」：不认识这个工作表/)]);
    await expect(readReferenceWorkbook('greenwashing-bounds', Buffer.from('not a zip'), base)).rejects.toThrow('不是 .xlsx');
  });

  it('a branch code added to the levels becomes a field of the record', async () => {
    const base = shippedReferenceSets['approval-authority'];
    const content = await edit(await writeReferenceWorkbook('approval-authority', 1, base), (workbook) => {
      const parameters = workbook.getWorksheet('参数')!;
      rowOf(parameters, 2, 'branchLevelByCode').getCell(2).value = 'branchLevelByCode.B-031';
      rowOf(parameters, 2, 'branchLevelByCode.B-031').getCell(3).value = 'prefecture';
    });
    const read = await readReferenceWorkbook('approval-authority', content, base);
    expect(read.ok && (read.data as { branchLevelByCode: unknown }).branchLevelByCode).toEqual({ 'B-031': 'prefecture' });
  });
});
