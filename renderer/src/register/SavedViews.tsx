import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Input, Modal, Select, Space, Typography } from 'antd';
import { CloseOutlined, SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { SavedView, ViewState } from '../../../shared/api/index.ts';
import { describeError } from '../i18n/index.ts';
import { useAppStore } from '../stores/app.ts';
import type { RegisterListStore } from './listState.ts';
import type { RegisterSort } from './RegisterTable.tsx';

/**
 * 视图 of a register list: the filters and sort in force saved under a name and reopened from the
 * select, on every register the list piece shows (RegisterList). Views are the signed-in person's
 * own, kept by the host on this laptop (views.*); a register's name keys them.
 */
export function SavedViews<Filter extends object, Sort extends RegisterSort>({ name, store }: { name: string; store: RegisterListStore<Filter, Sort> }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const userId = useAppStore((s) => s.session?.user?.id);
  const [views, setViews] = useState<SavedView[]>([]);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [viewName, setViewName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (userId === undefined) return;
    let current = true;
    void call('views.list', { register: name }).then((result) => {
      if (current && result.ok) setViews(result.value);
    });
    return () => {
      current = false;
    };
  }, [call, name, userId]);

  // A change of filter or sort after opening a view leaves it: the select no longer claims it.
  useEffect(
    () =>
      store.subscribe((state, previous) => {
        if (state.filter !== previous.filter || state.sort !== previous.sort) setChosen((open) => (open === undefined ? open : matches(views.find((view) => view.name === open), state) ? open : undefined));
      }),
    [store, views],
  );

  const open = (viewName: string | undefined) => {
    const view = views.find((candidate) => candidate.name === viewName);
    if (view === undefined) return setChosen(undefined);
    const state = store.getState();
    const filter = view.state.filter as Filter & { query?: unknown };
    state.setQueryText(typeof filter.query === 'string' ? filter.query : '');
    state.setFilter(filter);
    state.setSort(view.state.sort as unknown as Sort);
    setChosen(view.name);
  };

  const save = async () => {
    const { filter, sort } = store.getState();
    const trimmed = viewName.trim();
    if (trimmed === '') return setProblem(t('register.views.nameRequired'));
    const result = await call('views.save', { register: name, name: trimmed, state: { filter: filter as ViewState['filter'], sort: { field: sort.field, order: sort.order } } });
    if (!result.ok) return setProblem(result.error.code === 'VALIDATION' ? result.error.message : describeError(result.error));
    setViews(result.value);
    setChosen(trimmed);
    setSaving(false);
    void message.success(t('register.views.saved', { name: trimmed }));
  };

  const remove = async (viewName: string) => {
    const result = await call('views.delete', { register: name, name: viewName });
    if (!result.ok) return void message.error(describeError(result.error));
    setViews(result.value);
    if (chosen === viewName) setChosen(undefined);
  };

  return (
    <Space size={4}>
      <Select
        allowClear
        value={chosen}
        placeholder={t('register.views.placeholder')}
        onChange={open}
        notFoundContent={<Typography.Text type="secondary">{t('register.views.none')}</Typography.Text>}
        options={views.map((view) => ({ value: view.name, label: view.name }))}
        optionRender={(option) => (
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
            <span>{option.label}</span>
            <Button
              type="text"
              size="small"
              icon={<CloseOutlined />}
              aria-label={t('register.views.delete', { name: String(option.value) })}
              onClick={(event) => {
                event.stopPropagation();
                void remove(String(option.value));
              }}
              data-testid={`${name}-view-delete`}
            />
          </div>
        )}
        style={{ width: 150 }}
        popupMatchSelectWidth={220}
        aria-label={t('register.views.label')}
        data-testid={`${name}-views`}
      />
      <Button
        icon={<SaveOutlined />}
        onClick={() => {
          setViewName(chosen ?? '');
          setProblem(null);
          setSaving(true);
        }}
        data-testid={`${name}-view-save`}
      >
        {t('register.views.save')}
      </Button>
      <Modal open={saving} title={t('register.views.saveTitle')} onOk={() => void save()} onCancel={() => setSaving(false)} destroyOnHidden okButtonProps={{ 'data-testid': `${name}-view-save-confirm` } as never}>
        <Typography.Paragraph type="secondary">{t('register.views.saveHint')}</Typography.Paragraph>
        <Input value={viewName} maxLength={40} onChange={(event) => setViewName(event.target.value)} onPressEnter={() => void save()} placeholder={t('register.views.namePlaceholder')} aria-label={t('register.views.name')} data-testid={`${name}-view-name`} />
        {problem !== null && <Alert type="error" showIcon title={problem} style={{ marginTop: 12 }} data-testid={`${name}-view-error`} />}
      </Modal>
    </Space>
  );
}

/** The list shows exactly what the view saved (key order aside). */
function matches(view: SavedView | undefined, state: { filter: object; sort: RegisterSort }): boolean {
  if (view === undefined) return false;
  const canonical = (value: object) => JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));
  return canonical(view.state.filter) === canonical(state.filter) && view.state.sort.field === state.sort.field && view.state.sort.order === state.sort.order;
}
