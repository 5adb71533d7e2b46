import { useEffect, useState } from 'react';
import { Select, Space, Spin, Typography } from 'antd';
import { useAppStore } from '../stores/app.ts';

const SEARCH_DEBOUNCE_MS = 250;

export interface EnterpriseChoice {
  id: string;
  name: string;
  uscc: string;
}

/**
 * Enterprises found by the list's own search (name fragment, pinyin initials, USCC prefix), in SQL:
 * the branch may hold 100k files, so the picker never loads them all.
 */
function useEnterpriseSearch(text: string, pinned: EnterpriseChoice | null) {
  const call = useAppStore((s) => s.call);
  const [found, setFound] = useState<EnterpriseChoice[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      setLoading(true);
      const query = text.trim();
      void call('enterprises.list', { filter: query === '' ? {} : { query }, sort: { field: 'name', order: 'asc' }, offset: 0, limit: 20 }).then((result) => {
        if (!current) return;
        setLoading(false);
        if (result.ok) setFound(result.value.rows.map((row) => ({ id: row.id, name: row.name, uscc: row.uscc })));
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [call, text]);
  const choices = pinned === null || found.some((choice) => choice.id === pinned.id) ? found : [pinned, ...found];
  return { choices, loading };
}

/**
 * The enterprise select of a form (授信申请, 绿色工厂融资需求): searched in SQL as typed, each choice
 * with its USCC. `pinned` is the enterprise already chosen, kept among the choices whatever is typed.
 * Controlled by a Form.Item (value/onChange are the enterprise id).
 */
export function EnterprisePicker({
  value,
  onChange,
  pinned,
  onPick,
  disabled,
  allowClear,
  width,
  placeholder,
  ariaLabel,
  testId,
}: {
  value?: string;
  onChange?: (id: string | undefined) => void;
  pinned: EnterpriseChoice | null;
  onPick: (choice: EnterpriseChoice | null) => void;
  disabled?: boolean;
  /** A filter may be cleared (onChange then gets no id, onPick null); a form's choice is required. */
  allowClear?: boolean;
  width?: number;
  placeholder: string;
  ariaLabel: string;
  testId: string;
}) {
  const [search, setSearch] = useState('');
  const { choices, loading } = useEnterpriseSearch(search, pinned);
  return (
    <Select
      value={value}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      disabled={disabled}
      allowClear={allowClear}
      style={width === undefined ? undefined : { width }}
      popupMatchSelectWidth={width === undefined ? undefined : Math.max(width, 320)}
      placeholder={placeholder}
      loading={loading}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      onChange={(id: string | undefined) => {
        onChange?.(id);
        onPick(choices.find((choice) => choice.id === id) ?? null);
      }}
      options={choices.map((choice) => ({
        value: choice.id,
        label: (
          <Space size={8}>
            <span>{choice.name}</span>
            <Typography.Text type="secondary" className="gl-mono" style={{ fontSize: 12 }}>
              {choice.uscc}
            </Typography.Text>
          </Space>
        ),
      }))}
      aria-label={ariaLabel}
      data-testid={testId}
    />
  );
}
