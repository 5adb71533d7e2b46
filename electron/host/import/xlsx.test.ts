import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { HostFailure } from '../context.ts';
import { readSourceTable } from './table.ts';
import { readFirstSheet, type SheetReader } from './xlsx.ts';
import { excelJsRows, xlsxBase64 } from './testFiles.ts';

/**
 * The streaming .xlsx reader (xlsx.ts) against ExcelJS's whole-workbook loader, which the importer
 * used before: the same sheet, rows and cell texts for files written by ExcelJS and for parts
 * written by hand the way Excel, WPS and other exporters write them.
 */

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

interface Parts {
  sheets: { name: string; xml: string; state?: string }[];
  sharedStrings?: string[];
  /** Raw <si> elements, when sharedStrings is not enough. */
  sharedStringsXml?: string;
  /** Number format ids of cellXfs (index = the cell's s), and custom formats. */
  styles?: { xfs: number[]; formats?: Record<number, string> };
  date1904?: boolean;
}

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An .xlsx from its parts, as small as Excel accepts. */
async function handWritten(parts: Parts): Promise<Buffer> {
  const zip = new JSZip();
  const overrides = parts.sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('');
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}</Types>`,
  );
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>');
  const sheets = parts.sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`).join('');
  zip.file('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS}>${parts.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets>${sheets}</sheets></workbook>`);
  const rels = parts.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
  rels.push(`<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`);
  zip.file('xl/_rels/workbook.xml.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`);
  parts.sheets.forEach((s, i) => zip.file(`xl/worksheets/sheet${i + 1}.xml`, `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}>${s.xml}</worksheet>`));
  if (parts.sharedStrings !== undefined || parts.sharedStringsXml !== undefined) {
    const items = parts.sharedStringsXml ?? (parts.sharedStrings ?? []).map((t) => `<si><t xml:space="preserve">${xmlText(t)}</t></si>`).join('');
    zip.file('xl/sharedStrings.xml', `<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>${items}</sst>`);
  }
  const { xfs = [0], formats = {} } = parts.styles ?? {};
  const numFmts = Object.entries(formats).map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${xmlText(code)}"/>`).join('');
  zip.file(
    'xl/styles.xml',
    `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${NS}>${numFmts ? `<numFmts count="${Object.keys(formats).length}">${numFmts}</numFmts>` : ''}<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="14" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${xfs.length}">${xfs.map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"/>`).join('')}</cellXfs><dxfs count="1"><dxf><numFmt numFmtId="14" formatCode="yyyy"/></dxf></dxfs></styleSheet>`,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** What readSourceTable gives, in the shape of the ExcelJS oracle. */
async function streamed(bytes: Buffer) {
  const table = await readSourceTable('list.xlsx', bytes);
  return { sheetName: table.sheetName, rows: table.rows };
}

async function expectSameAsExcelJs(bytes: Buffer) {
  const oracle = await excelJsRows(bytes);
  expect(oracle).not.toBeNull();
  const mine = await streamed(bytes);
  expect(mine).toEqual(oracle);
  // The scanner and saxes give the same sheet (the scanner may give up: then it is saxes's).
  expect(await outcome(bytes, 'scan-or-saxes')).toEqual(await outcome(bytes, 'saxes'));
  return mine;
}

/** readFirstSheet's sheet, or its error's message, by one reader. */
async function outcome(bytes: Buffer, reader: SheetReader): Promise<unknown> {
  return readFirstSheet(bytes, { reader }).then(
    (sheet) => ({ sheet }),
    (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
  );
}

describe('streaming .xlsx reader', () => {
  it('reads what ExcelJS writes: strings, numbers, dates, booleans, rich text, formulas, hyperlinks, merged cells, styled blanks', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('空白');
    const hidden = workbook.addWorksheet('隐藏', { state: 'hidden' });
    hidden.getCell('A1').numFmt = '0.00';
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['企业名称', '统一社会信用代码', '从业人数', '推荐日期', '是否', '金额', '说明']);
    sheet.addRow(['  华盛建材有限公司 ', '91360222MA35XXXX0X', 120, new Date(Date.UTC(2024, 5, 30)), true, 0.1 + 0.2, { richText: [{ text: '红', font: { bold: true } }, { text: '字' }] }]);
    sheet.addRow(['绿源纺织', '913602220000000001', 1e21, new Date(Date.UTC(2024, 0, 2, 13, 45)), false, 1234567.891, { formula: 'A2&"X"', result: '华盛X' }]);
    sheet.addRow(['链接', { text: '官网', hyperlink: 'https://example.cn' }, { formula: '1+1', result: 2 }, { formula: 'TODAY()', result: new Date(Date.UTC(2025, 11, 31)) }, { error: '#N/A' }, null, '']);
    const custom = sheet.addRow(['自定义格式', 45473, 45473, 0.5, 12.5, 1e-7, '末']);
    custom.getCell(2).numFmt = 'yyyy"年"m"月"d"日"';
    custom.getCell(3).numFmt = '0.00"万元"';
    custom.getCell(4).numFmt = '[h]:mm';
    custom.getCell(5).numFmt = '0%';
    sheet.getCell('A7').value = '合并';
    sheet.mergeCells('A7:B8');
    sheet.getCell('C9').numFmt = '@';
    sheet.getCell('E10').value = '孤';
    sheet.mergeCells('D12:F12');
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const rows = await expectSameAsExcelJs(bytes);
    expect(rows.sheetName).toBe('名单');
    expect(rows.rows[1]!.cells).toEqual(['华盛建材有限公司', '91360222MA35XXXX0X', '120', '2024-06-30', '是', '0.3', '红字']);
    expect(rows.rows[2]!.cells.slice(2, 4)).toEqual(['1e+21', '2024-01-02 13:45']);
    expect(rows.rows[3]!.cells).toEqual(['链接', '官网', '2', '2025-12-31', '', '', '']);
    expect(rows.rows[4]!.cells.slice(1, 3)).toEqual(['2024-06-30', '45473']);
    // The merged range's text in each of its cells; a row of styled blanks is no row.
    expect(rows.rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 7, 8, 10, 12]);
    expect(rows.rows[5]!.cells).toEqual(['合并', '合并']);
    expect(rows.rows[6]!.cells).toEqual(['合并', '合并']);
    expect(rows.rows[8]!.cells).toEqual(['', '', '', '', '', '']);
  });

  it('reads parts as other programs write them: inline strings, str cells, shared formulas, t="d", escapes, phonetic runs, cells without an address', async () => {
    const bytes = await handWritten({
      sheets: [
        {
          name: 'Sheet1',
          xml:
            '<sheetData>' +
            '<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c><c r="B1" t="inlineStr"><is><r><t>统一</t></r><r><rPr><b/></rPr><t>代码</t></r></is></c><c r="C1" t="s"><v>0</v></c><c r="D1" t="s"><v>1</v></c></row>' +
            '<row r="2"><c r="A2" t="str"><v>A &amp;amp; B &amp;lt;1&amp;gt;</v></c><c r="B2"><f>1+1</f><v>2</v></c><c r="C2"><f t="shared" ref="C2:C3" si="0">B2*2</f><v>4</v></c><c r="D2" t="s"><v>2</v></c></row>' +
            '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="e"><v>#DIV/0!</v></c><c r="C3"><f t="shared" si="0"/><v>8</v></c><c r="D3" t="d"><v>2024-06-30T00:00:00</v></c></row>' +
            '<row r="4"><c r="A4"><v>7</v></c><c><v>8</v></c><c t="inlineStr"><is><t>_x0041_ 未解码</t></is></c><c r="F4" s="0"/><c r="G4" s="1"/></row>' +
            '<row r="5"><c r="B5" s="1"/></row>' +
            '<row r="6"><c r="A6" t="str"><f>A1&amp;""</f><v>企业名称</v></c><c r="B6" t="b"><f>TRUE()</f><v>1</v></c><c r="C6" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D6"><f></f><v>3</v></c></row>' +
            '</sheetData>',
        },
      ],
      sharedStringsXml:
        '<si><t>_x0041_BC_x000a_</t></si>' +
        '<si><r><t xml:space="preserve">富 </t></r><r><rPr><sz val="9"/></rPr><t>梁</t></r><rPh sb="0" eb="1"><t>ふ</t></rPh><phoneticPr fontId="1"/></si>' +
        '<si/>',
      styles: { xfs: [0, 14] },
    });
    const rows = await expectSameAsExcelJs(bytes);
    expect(rows.rows.map((r) => r.cells)).toEqual([
      // Only upper-case hex is an escape (TextXform's /_x([0-9A-F]{4})_/).
      ['企业名称', '统一代码', 'ABC_x000a_', '富 梁'],
      ['A & B <1>', '2', '4', ''],
      ['是', '', '8', '2024'],
      ['7', '8', '_x0041_ 未解码', '', '', '', ''],
      ['企业名称', '是', '', '3'],
    ]);
  });

  it('reads dates by the number format of the cell style: built-in, custom (quoted and bracketed parts aside) and in a 1904 workbook', async () => {
    const sheet = (name: string) => ({
      name,
      xml:
        '<sheetData><row r="1">' +
        ['1', '2', '3', '4', '5', '6', '7'].map((s, i) => `<c r="${String.fromCharCode(65 + i)}1" s="${s}"><v>45473.75</v></c>`).join('') +
        '<c r="H1" s="99"><v>45473</v></c></row></sheetData>',
    });
    const styles = { xfs: [0, 14, 22, 176, 177, 178, 31, 45], formats: { 176: 'yyyy"年"m"月"d"日"', 177: '0.00"天"', 178: '[Red]0.0' } };
    for (const date1904 of [false, true]) {
      const rows = await expectSameAsExcelJs(await handWritten({ sheets: [sheet('日期')], styles, date1904 }));
      // 31 (a Chinese locale's built-in date) has no format code in ExcelJS: a number there, and here.
      expect(rows.rows[0]!.cells).toEqual(
        date1904
          ? ['2028-07-01 18:00', '2028-07-01 18:00', '2028-07-01 18:00', '45473.75', '45473.75', '45473.75', '2028-07-01 18:00', '45473']
          : ['2024-06-30 18:00', '2024-06-30 18:00', '2024-06-30 18:00', '45473.75', '45473.75', '45473.75', '2024-06-30 18:00', '45473'],
      );
    }
  });

  it('takes the first sheet in the workbook order that has a row with a value', async () => {
    const blank = { name: '说明', xml: '<sheetData><row r="1"><c r="A1" s="1"/></row></sheetData>' };
    const data = { name: '数据', xml: '<sheetData><row r="3"><c r="B3"><v>1</v></c></row></sheetData>' };
    const rows = await expectSameAsExcelJs(await handWritten({ sheets: [blank, data, { name: '后', xml: '<sheetData><row r="1"><c r="A1"><v>2</v></c></row></sheetData>' }], styles: { xfs: [0, 0] } }));
    expect(rows).toEqual({ sheetName: '数据', rows: [{ row: 3, cells: ['', '1'] }] });
  });

  it('reads a large list the same as ExcelJS, by the scanner alone', async () => {
    const rows: (string | number | Date | null)[][] = [['企业名称', '统一社会信用代码', '从业人数', '日期']];
    for (let i = 0; i < 3_000; i += 1) rows.push([`企业${i}`, `91360222${String(i).padStart(10, '0')}`, i % 7 === 0 ? null : i * 1.5, new Date(Date.UTC(2020, 0, 1 + i))]);
    const bytes = Buffer.from(await xlsxBase64(rows), 'base64');
    await expectSameAsExcelJs(bytes);
    // ExcelJS's own file is the scanner's shape throughout (it did not give up).
    expect(await outcome(bytes, 'scan')).toEqual(await outcome(bytes, 'saxes'));
  });

  it('gives a shared-strings part whose root is not <sst> to saxes, which refuses it', async () => {
    const zip = await JSZip.loadAsync(await handWritten({ sheets: [{ name: 'S', xml: '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>' }], sharedStrings: ['甲'] }));
    zip.file('xl/sharedStrings.xml', `<?xml version="1.0" encoding="UTF-8"?><x:sst xmlns:x="${NS.split('"')[1]}"><si><t>甲</t></si></x:sst>`);
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(await outcome(bytes, 'scan-or-saxes')).toEqual({ error: 'sharedStrings: unexpected <x:sst>' });
    expect(await outcome(bytes, 'saxes')).toEqual({ error: 'sharedStrings: unexpected <x:sst>' });
  });

  it('scans a sheet and its shared strings to the same rows as saxes, or gives them to saxes, whatever the cells and texts look like', async () => {
    // Mostly the shapes the scanner reads (so that whole sheets are scanned), now and then one it gives up on.
    const plain = fc.constantFrom<string>(
      '<c r="A@" t="s"><v>0</v></c>',
      '<c r="B@" s="1" t="s"><v>1</v></c>',
      '<c r="C@" s="2"><v>45473.75</v></c>',
      '<c r="D@"><v>12.5</v></c>',
      '<c r="E@" s="1"/>',
      '<c r="F@"/>',
      '<c r="G@"></c>',
      '<c r="H@"><v></v></c>',
      '<c r="I@"><v> 7 </v></c>',
      "<c t='s' r='J@'><v>1</v></c>",
      '<c  r = "K@"  t="b" ><v>1</v></c>',
      '<c r="L@" t="e"><v>#N/A</v></c>',
      '<c r="M@" t="str"><v>a>b</v></c>',
      '<c r="Q@" t="s" cm="1"><v>0</v></c>',
      '<c t="s"><v>1</v></c>',
    );
    const awkward = fc.constantFrom(
      '<c r="M@" t="str"><v>a&amp;amp;b</v></c>',
      '<c r="N@" t="str"><v>x]y</v></c>',
      '<c r="O@" t="inlineStr"><is><t>内联</t></is></c>',
      '<c r="P@"><f>1+1</f><v>2</v></c>',
      '<c r="R@" r="S@"><v>1</v></c>',
      '<c r="T@"><v>1\r\n2</v></c>',
      '<c r="U@"><v>1</v>\n</c>',
      '<!-- a comment --><c r="V@"><v>3</v></c>',
      '<x:c r="X@"><v>1</v></x:c>',
      '<c r="W@" t="s"><v>9</v></c>',
      '<c r="M@" t="str"><v>a&gt;b</v></c>',
    );
    const plainRow = fc.record({
      open: fc.constantFrom<string>('<row r="@">', '<row r="@" spans="1:24" x14ac:dyDescent="0.25">', "<row r='@'>", '<row r="@"/>', '<row r="0">', '<row r="2">'),
      cells: fc.array(plain, { maxLength: 6 }),
      gap: fc.constantFrom<string>('', '\n', '  ', '\r\n\t'),
    });
    // Parts before and after <sheetData> that the scanner leaves to saxes.
    const plainFrame = fc.constantFrom(
      ['', ''],
      ['<dimension ref="A1:X6"/>', '<mergeCells count="1"><mergeCell ref="A2:B3"/></mergeCells>'],
      ['<sheetViews><sheetView workbookViewId="0"/></sheetViews>', '<mergeCells><mergeCell ref="B3:B4"/><mergeCell ref="A1:C1"/></mergeCells><pageMargins left="0.7"/>'],
    );
    // One thing the scanner must give up on, put somewhere in a sheet that is otherwise its shape.
    const spoiler = fc.oneof(
      awkward.map((cell) => ({ cell })),
      fc.constantFrom('<row>', '<row r="@" r="1">', '<x:row r="@">').map((open) => ({ open })),
      fc.constant({ gap: 'text' }),
      fc.constantFrom<[string, string]>(['<!-- <sheetData> -->', ''], ['', '<mergeCells><mergeCell ref="A1:B2"/><mergeCell ref="B2:C3"/></mergeCells>'], ['', '<sheetData><row r="9"><c r="A9"><v>9</v></c></row></sheetData>'], ['<extLst>', '</extLst>']).map((frame) => ({ frame })),
    );
    // The shared strings (index 0 and 1 are read by the cells above): mostly the scanner's shape.
    const item = fc.oneof(
      { arbitrary: fc.constantFrom('<si><t>甲</t></si>', '<si><t xml:space="preserve"> 乙 </t></si>', '<si><t/></si>', '<si><t></t></si>', '<si><t>a_x000D_b</t></si>', '<si><t>a>b</t></si>'), weight: 12 },
      {
        arbitrary: fc.constantFrom('<si></si>', '<si><t>乙&amp;丙</t></si>', '<si><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r></si>', '<si><t>读</t><rPh sb="0" eb="1"><t>ドク</t></rPh></si>', '<si>\n<t>丁</t></si>', '<extLst/>', '<!-- c --><si><t>戊</t></si>'),
        weight: 1,
      },
    );
    const sheet = fc.record({
      strings: fc.array(item, { minLength: 2, maxLength: 4 }).map((items) => items.join('\n')),
      rows: fc.array(plainRow, { minLength: 1, maxLength: 6 }),
      frame: plainFrame,
      spoiler: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: spoiler, weight: 1 }),
      at: fc.nat(),
    }).map(({ strings, rows, frame, spoiler: spoil, at }) => {
      if (spoil === null) return { strings, rows, frame };
      const i = at % rows.length;
      const changed = rows.map((r) => ({ ...r, cells: [...r.cells] }));
      if ('cell' in spoil) changed[i]!.cells.splice(at % (changed[i]!.cells.length + 1), 0, spoil.cell);
      if ('open' in spoil) changed[i]!.open = spoil.open;
      if ('gap' in spoil) changed[i]!.gap = spoil.gap;
      return { strings, rows: changed, frame: 'frame' in spoil ? spoil.frame : frame };
    });
    await fc.assert(
      fc.asyncProperty(sheet, async ({ strings, rows, frame: [before, after] }) => {
        const body = rows
          .map((r, i) => {
            const n = String(i + 1);
            const open = r.open.replace('@', n);
            const cells = r.cells.map((c) => c.replace('@', n)).join(r.gap);
            return open.endsWith('/>') ? open : `${open}${r.gap}${cells}</row>`;
          })
          .join('\n');
        const bytes = await handWritten({ sheets: [{ name: 'S', xml: `${before}<sheetData>${body}</sheetData>${after}` }], sharedStringsXml: strings, styles: { xfs: [0, 0, 22] } });
        expect(await outcome(bytes, 'scan-or-saxes')).toEqual(await outcome(bytes, 'saxes'));
      }),
      { numRuns: 500, seed: 20261207 },
    );
  });

  it('refuses what ExcelJS could not read, and a workbook without data', async () => {
    const refused = async (bytes: Buffer) => {
      const error = await readSourceTable('list.xlsx', bytes).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HostFailure);
      return (error as HostFailure).message;
    };
    const good = Buffer.from(await xlsxBase64([['a', 1]]), 'base64');
    expect(await refused(good.subarray(0, good.length - 40))).toMatch(/无法读取该 \.xlsx 文件/);
    expect(await refused(Buffer.concat([good.subarray(0, 4), Buffer.alloc(200)]))).toMatch(/无法读取该 \.xlsx 文件/);
    // A row without its number: ExcelJS throws "Invalid row number in model".
    const unnumbered = await handWritten({ sheets: [{ name: 'S', xml: '<sheetData><row><c r="A1"><v>1</v></c></row></sheetData>' }] });
    await expect(excelJsRows(unnumbered)).rejects.toThrow();
    expect(await refused(unnumbered)).toMatch(/无法读取该 \.xlsx 文件/);
    const broken = await handWritten({ sheets: [{ name: 'S', xml: '<sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData>' }] });
    await expect(excelJsRows(broken)).rejects.toThrow();
    expect(await refused(broken)).toMatch(/无法读取该 \.xlsx 文件/);
    const empty = await handWritten({ sheets: [{ name: 'S', xml: '<sheetData/>' }] });
    expect(await excelJsRows(empty)).toBeNull();
    expect(await refused(empty)).toMatch(/工作簿中没有数据/);
  });
});
