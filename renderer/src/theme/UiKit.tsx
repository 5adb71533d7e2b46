import { useEffect, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { Locale } from '../../../shared/api/index.ts';

/**
 * The UI kit's frame, one for the laptop's window and head office's console (issue 18: one look):
 * antd in the person's language (zh_CN first), the product's green, dayjs and <html lang> following.
 */
export const theme = {
  token: { colorPrimary: '#1f7a4d', borderRadius: 6 },
  components: { Menu: { itemSelectedBg: '#e3f1e8', itemSelectedColor: '#1f7a4d' } },
};

export function UiKit({ locale, children }: { locale: Locale; children: ReactNode }) {
  useEffect(() => {
    dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
    document.documentElement.lang = locale;
  }, [locale]);

  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCNLocale : enUSLocale} theme={theme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
