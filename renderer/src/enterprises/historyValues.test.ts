import { beforeAll, describe, expect, it } from 'vitest';
import { i18next, initI18n } from '../i18n/index.ts';
import { historyValue, shownFields } from './historyValues.ts';
import { actorLabel } from '../components/ChangeList.tsx';
import { SYNC_ACTOR_NAME } from '../../../shared/sync/protocol.ts';

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

  it('leaves out the derived pinyin initials and the link of a child record to this file', () => {
    expect(shownFields({ name: 'a', name_initials: 'A' }, { name: 'b', name_initials: 'B' })).toEqual(['name']);
    expect(shownFields(null, { enterprise_id: '0190e0e4-0000-7000-8000-000000000001', level: 'yellow' })).toEqual(['level']);
  });

  it('in English: a rating result, a conflict choice and the sync actor are words, not codes', async () => {
    await i18next.changeLanguage('en');
    try {
      expect(historyValue('level', 'yellow', i18next.t, 'en')).toBe('Yellow · Warning');
      expect(historyValue('choice', 'theirs', i18next.t, 'en')).toBe("Took head office's value");
      expect(historyValue('choice', 'mine', i18next.t, 'en')).toBe("Kept this laptop's change");
      expect(actorLabel(SYNC_ACTOR_NAME, i18next.t)).toBe('Head-office sync');
      expect(actorLabel('李四', i18next.t)).toBe('李四');
      expect(actorLabel(null, i18next.t)).toBe('System');
    } finally {
      await i18next.changeLanguage('zh-CN');
    }
    expect(actorLabel(SYNC_ACTOR_NAME, i18next.t)).toBe('总行同步');
  });
});
