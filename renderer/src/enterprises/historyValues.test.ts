import { beforeAll, describe, expect, it } from 'vitest';
import { i18next, initI18n } from '../i18n/index.ts';
import { historyValue, shownFields } from './historyValues.ts';

describe('enterprise history values', () => {
  beforeAll(async () => {
    await initI18n('zh-CN');
  });

  it.each([
    ['environmental_rating', 'blue', '蓝牌 环保良好'],
    ['scale', 'medium', '中型'],
    ['focus_group', 'buildingMaterials', '建材'],
    ['industry_code', 'C302', 'C302 石膏、水泥制品及类似制品制造'],
    ['contacts', '[{"name":"李会计","phone":"13807981234"}]', '李会计 13807981234'],
    ['green_park', '{"name":"浮梁县工业园区","level":"provincial","year":2022}', '浮梁县工业园区（省级 · 2022 年）'],
    ['green_list', 1, '是'],
    ['uscc_override_reason', null, '—'],
    ['address', '江西省景德镇市', '江西省景德镇市'],
  ])('%s %j → %s', (field, value, shown) => {
    expect(historyValue(field, value, i18next.t, 'zh-CN')).toBe(shown);
  });

  it('leaves out the derived pinyin initials', () => {
    expect(shownFields({ name: 'a', name_initials: 'A' }, { name: 'b', name_initials: 'B' })).toEqual(['name']);
  });
});
