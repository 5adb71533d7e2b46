import { useCallback, useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { Alert, Button, Card, Descriptions, Input, Modal, Space, Spin, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, DownloadOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import {
  REFERENCE_UPLOAD_BYTES,
  REFERENCE_WORKBOOK_PATH,
  type ConsoleOutput,
  type ReferencePreview,
  type ReferenceProblem,
  type ReferenceRow,
  type ReferenceSetSummary,
  type ReferenceTable,
  type ReferenceTableDiff,
} from '../../../shared/api/console.ts';
import { headOfficeMay } from '../../../shared/domain/headOfficeRoles.ts';
import { formatInstant } from '../format.ts';
import { consoleCall, type ConsoleError } from './api.ts';
import { describeConsoleError } from './errors.ts';
import { LoadError } from './LoadError.tsx';
import { base64Of, cellText, fieldLabel, isMoney, pathLabel, problemText, setTitle, tableTitle, toEdited, versionText, type EditedTable } from './referenceView.ts';
import { useConsole } from './session.ts';
import { useConsoleQuery } from './useConsoleQuery.ts';

/**
 * 参考数据: head office's reference sets (catalogue levels, pledge-rate caps and reference prices,
 * approval authority, lists, industry groupings, benefit factors). The list shows each set's version
 * in force, who published it when and the source it names; a set's page its content, the version
 * each branch's laptops applied and its publications. A 总行审批人 uploads an edited .xlsx or edits
 * the tables on the page: the hub checks it with the set's schema (each problem named by sheet, row
 * and column) and answers the diff against the version in force without publishing; the publish,
 * confirmed, sends the previewed data back with the version it was diffed against, and is refused
 * if a colleague published meanwhile. The hub enforces the role; the page only hides what it refuses.
 */

const instant = (iso: string | null) => (iso === null ? '—' : formatInstant(iso));
const workbookHref = (name: string) => REFERENCE_WORKBOOK_PATH.replace(':name', encodeURIComponent(name));
const MB = (REFERENCE_UPLOAD_BYTES / 1024 / 1024).toFixed(1);
const PROBLEMS_SHOWN = 50;

const muted: CSSProperties = { fontSize: 12 };

export function ReferenceListPage() {
  const { t } = useTranslation();
  const { value, error, loading, reload } = useConsoleQuery('reference.list', {});
  return (
    <Card>
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
        {t('reference.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('reference.hint')}</Typography.Paragraph>
      {error !== undefined && <LoadError error={error} retry={reload} />}
      <Table<ReferenceSetSummary>
        rowKey="name"
        size="small"
        loading={loading}
        dataSource={value?.sets ?? []}
        pagination={false}
        data-testid="reference-sets"
        columns={[
          {
            key: 'set',
            title: t('reference.set'),
            render: (_, set) => (
              <>
                <Link to={`/reference/${encodeURIComponent(set.name)}`}>{setTitle(set.name, t)}</Link>
                <div>
                  <Typography.Text type="secondary" style={muted}>
                    {set.name}
                  </Typography.Text>
                </div>
              </>
            ),
          },
          { key: 'version', title: t('reference.inForce'), width: 110, render: (_, set) => (set.version === 0 ? <Tag>{versionText(0, t)}</Tag> : <Tag color="green">{versionText(set.version, t)}</Tag>) },
          { key: 'by', title: t('reference.publishedBy'), width: 120, render: (_, set) => set.publishedBy ?? '—' },
          { key: 'at', title: t('reference.publishedAt'), width: 165, render: (_, set) => instant(set.publishedAt) },
          {
            key: 'source',
            title: t('reference.source'),
            ellipsis: true,
            render: (_, set) => (set.source === null ? <Typography.Text type="secondary">{t(set.entrySources ? 'reference.entrySources' : 'reference.noSource')}</Typography.Text> : <span title={set.source}>{set.source}</span>),
          },
          {
            key: 'download',
            title: '',
            width: 120,
            render: (_, set) => (
              <a href={workbookHref(set.name)} download>
                {t('reference.download')}
              </a>
            ),
          },
        ]}
      />
    </Card>
  );
}

type SetAnswer = ConsoleOutput<'reference.get'>;
type Applied = SetAnswer['applied'][number];
type Outcome =
  | { kind: 'reading' }
  | { kind: 'preview'; preview: ReferencePreview; file: string | null }
  | { kind: 'problems'; problems: ReferenceProblem[]; total: number; file: string | null }
  | { kind: 'refused'; message: string };

/** A set's page: what is in force, its upload or edit with the diff and publish, the branches' versions and the publications. */
export function ReferenceSetPage() {
  const { t } = useTranslation();
  const { name = '' } = useParams();
  const user = useConsole((s) => s.user);
  const mayPublish = user != null && headOfficeMay(user.role, 'reference.publish');
  const [answer, setAnswer] = useState<{ value?: SetAnswer; error?: ConsoleError; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [editing, setEditing] = useState<EditedTable[] | null>(null);
  const [published, setPublished] = useState<number | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [modal, modalHolder] = Modal.useModal();
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  useEffect(() => {
    let current = true;
    setAnswer((previous) => ({ ...previous, loading: true }));
    void consoleCall('reference.get', {}, { name }).then((result) => {
      if (current) setAnswer(result.ok ? { value: result.value, loading: false } : { error: result.error, loading: false });
    });
    return () => {
      current = false;
    };
  }, [name, generation]);

  const refusal = (error: ConsoleError, file: string | null): Outcome => {
    const details = ('details' in error ? error.details : undefined) as { problems?: ReferenceProblem[]; total?: number; reason?: string } | undefined;
    if (error.code === 'VALIDATION' && Array.isArray(details?.problems)) return { kind: 'problems', problems: details.problems, total: details.total ?? details.problems.length, file };
    if (error.code === 'VALIDATION' && details?.reason === 'NOT_XLSX') return { kind: 'refused', message: t('reference.notXlsx', { file }) };
    if (error.code === 'PAYLOAD_TOO_LARGE') return { kind: 'refused', message: t('reference.tooLarge', { file: file ?? '', mb: MB }) };
    if (error.code === 'NOT_FOUND') return { kind: 'refused', message: t('reference.unknown') };
    return { kind: 'refused', message: describeConsoleError(error) };
  };

  const uploadFile = async (file: File) => {
    setPublished(null);
    setEditing(null);
    if (file.size > REFERENCE_UPLOAD_BYTES) {
      setOutcome({ kind: 'refused', message: t('reference.tooLarge', { file: file.name, mb: MB }) });
      return;
    }
    setOutcome({ kind: 'reading' });
    const contentBase64 = base64Of(new Uint8Array(await file.arrayBuffer()));
    const result = await consoleCall('reference.preview', { kind: 'xlsx', fileName: file.name.slice(0, 200) || 'upload.xlsx', contentBase64 }, { name });
    setOutcome(result.ok ? { kind: 'preview', preview: result.value, file: file.name } : refusal(result.error, file.name));
  };

  const previewEdits = async (tables: EditedTable[]) => {
    setPublished(null);
    setOutcome({ kind: 'reading' });
    const result = await consoleCall('reference.preview', { kind: 'tables', tables: tables.map((table) => ({ path: table.path, rows: table.rows })) }, { name });
    setOutcome(result.ok ? { kind: 'preview', preview: result.value, file: null } : refusal(result.error, null));
  };

  const publish = (preview: ReferencePreview, via: 'xlsx' | 'edit') => {
    void modal.confirm({
      title: t('reference.confirmTitle', { title: setTitle(name, t), version: preview.nextVersion }),
      content: t('reference.confirmBody'),
      okText: t('reference.confirmOk'),
      cancelText: t('reference.cancel'),
      onOk: async () => {
        setPublishing(true);
        const result = await consoleCall('reference.publish', { data: preview.data, baseVersion: preview.baseVersion, via }, { name });
        setPublishing(false);
        if (!result.ok) {
          const version = Number((('details' in result.error ? result.error.details : undefined) as { version?: unknown } | undefined)?.version);
          setOutcome(result.error.code === 'CONFLICT' ? { kind: 'refused', message: t('reference.superseded', { version }) } : refusal(result.error, null));
          return;
        }
        setOutcome(null);
        setEditing(null);
        setPublished(result.value.version);
        reload();
      },
    });
  };

  const value = answer.value;
  if (answer.error !== undefined && value === undefined) {
    return (
      <Card>
        {answer.error.code === 'NOT_FOUND' ? <Alert type="warning" showIcon message={t('reference.unknown')} /> : <LoadError error={answer.error} retry={reload} />}
        <BackLink />
      </Card>
    );
  }
  if (value === undefined) return <Spin />;
  const { set } = value;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {modalHolder}
      <Card>
        <BackLink />
        <Typography.Title level={2} style={{ fontSize: 20, marginTop: 8 }}>
          {setTitle(set.name, t)}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 14, fontWeight: 'normal' }}>
            {set.name}
          </Typography.Text>
        </Typography.Title>
        {published !== null && (
          <div role="status" style={{ marginBottom: 12 }}>
            <Alert type="success" showIcon message={t('reference.publishedNotice', { version: published })} />
          </div>
        )}
        <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('reference.inForce')}>
            <strong data-testid="in-force">{versionText(set.version, t)}</strong>
            {set.version === 0 && <Typography.Text type="secondary"> · {t('reference.shipped')}</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label={t('reference.publishedBy')}>{set.publishedBy ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('reference.publishedAt')}>{instant(set.publishedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('reference.source')}>
            <span data-testid="source">{set.source ?? t(set.entrySources ? 'reference.entrySources' : 'reference.noSource')}</span>
          </Descriptions.Item>
        </Descriptions>
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={workbookHref(set.name)} download data-testid="download-current">
            {t('reference.downloadCurrent')}
          </Button>
          {mayPublish && (
            <>
              <Upload
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                showUploadList={false}
                maxCount={1}
                beforeUpload={(file) => {
                  void uploadFile(file);
                  // The file is read here and sent as JSON (the contract): antd does not post it itself.
                  return false;
                }}
              >
                <Button type="primary" icon={<UploadOutlined />} data-testid="reference-upload">
                  {t('reference.upload')}
                </Button>
              </Upload>
              <Button
                icon={<EditOutlined />}
                disabled={editing !== null}
                onClick={() => {
                  setOutcome(null);
                  setPublished(null);
                  setEditing(toEdited(value.tables));
                }}
                data-testid="reference-edit"
              >
                {t('reference.edit')}
              </Button>
            </>
          )}
        </Space>
        <div style={{ marginTop: 8 }}>
          <Typography.Text type="secondary" style={muted}>
            {mayPublish ? t('reference.uploadHint', { mb: MB }) : t('reference.viewOnly')}
          </Typography.Text>
        </div>
      </Card>

      {outcome !== null && (
        <OutcomeCard
          outcome={outcome}
          title={setTitle(set.name, t)}
          from={versionText(set.version, t)}
          publishing={publishing}
          onPublish={(preview) => publish(preview, outcome.kind === 'preview' && outcome.file === null ? 'edit' : 'xlsx')}
          onDiscard={() => setOutcome(null)}
        />
      )}

      {editing !== null && (
        <Card title={t('reference.edit')} data-testid="reference-editor">
          <Typography.Paragraph type="secondary">{t('reference.editHint')}</Typography.Paragraph>
          <Editor tables={editing} onChange={setEditing} />
          <Space>
            <Button type="primary" onClick={() => void previewEdits(editing)} data-testid="preview-edits">
              {t('reference.previewEdit')}
            </Button>
            <Button
              onClick={() => {
                setEditing(null);
                setOutcome(null);
              }}
            >
              {t('reference.cancelEdit')}
            </Button>
          </Space>
        </Card>
      )}

      <Card>
        <Tabs
          items={[
            {
              key: 'applied',
              label: t('reference.applied'),
              children: <AppliedTable applied={value.applied} inForce={set.version} />,
            },
            {
              key: 'history',
              label: t('reference.history'),
              children: (
                <Table
                  rowKey="version"
                  size="small"
                  pagination={false}
                  dataSource={value.history}
                  locale={{ emptyText: t('reference.neverPublished') }}
                  data-testid="reference-history"
                  columns={[
                    { key: 'version', title: t('reference.versionHeading'), width: 90, render: (_, row) => versionText(row.version, t) },
                    { key: 'by', title: t('reference.publishedBy'), render: (_, row) => row.publishedBy },
                    { key: 'at', title: t('reference.publishedAt'), render: (_, row) => instant(row.publishedAt) },
                  ]}
                />
              ),
            },
            {
              key: 'content',
              label: t('reference.content'),
              children: value.tables.map((table) => <ContentTable key={table.path ?? ''} table={table} />),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Link to="/reference">
      <ArrowLeftOutlined /> {t('reference.back')}
    </Link>
  );
}

function AppliedTable({ applied, inForce }: { applied: Applied[]; inForce: number }) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Paragraph type="secondary">{t('reference.appliedHint')}</Typography.Paragraph>
      <Table<Applied>
        rowKey="deviceId"
        size="small"
        pagination={false}
        dataSource={applied}
        locale={{ emptyText: t('reference.noDevices') }}
        data-testid="reference-applied"
        onRow={(row) => ({ 'data-branch': row.branchName }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'branch', title: t('reference.branch'), render: (_, row) => row.branchName },
          { key: 'device', title: t('reference.device'), render: (_, row) => row.deviceName },
          {
            key: 'version',
            title: t('reference.appliedVersion'),
            render: (_, row) => (
              <Space size={4}>
                <span>{versionText(row.version, t)}</span>
                {row.version < inForce && <Tag color="orange">{t('reference.behind')}</Tag>}
              </Space>
            ),
          },
          { key: 'sync', title: t('reference.lastSync'), render: (_, row) => (row.lastSyncAt === null ? t('reference.never') : formatInstant(row.lastSyncAt)) },
        ]}
      />
    </>
  );
}

/** One table of the content in force, read-only: a 参数 row names its field in words and by path. */
function ContentTable({ table }: { table: ReferenceTable }) {
  const { t } = useTranslation();
  const parameters = table.path === null;
  return (
    <div style={{ marginBottom: 16 }}>
      <Typography.Title level={5}>
        {tableTitle(table.path, t)}{' '}
        <Typography.Text type="secondary" style={muted}>
          {t('reference.rows', { n: table.rows.length })}
        </Typography.Text>
      </Typography.Title>
      <Table<ReferenceRow & { __index: number }>
        rowKey="__index"
        size="small"
        dataSource={table.rows.map((row, index) => ({ ...row, __index: index }))}
        pagination={table.rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        columns={table.columns.map((column) => ({
          key: column,
          title: fieldLabel(column, t),
          render: (_: unknown, row: ReferenceRow) =>
            parameters && column === 'path' ? <PathCell path={String(row.path)} /> : cellText(row[column], parameters ? String(row.path) : column, t),
        }))}
      />
    </div>
  );
}

function PathCell({ path }: { path: string }) {
  const { t } = useTranslation();
  return (
    <>
      {pathLabel(path, t)}
      <Typography.Text type="secondary" style={muted}>
        （{path}）
      </Typography.Text>
    </>
  );
}

function OutcomeCard(props: { outcome: Outcome; title: string; from: string; publishing: boolean; onPublish: (preview: ReferencePreview) => void; onDiscard: () => void }) {
  const { t } = useTranslation();
  const { outcome } = props;
  if (outcome.kind === 'reading') {
    return (
      <Card>
        <Spin /> {t('reference.reading')}
      </Card>
    );
  }
  if (outcome.kind === 'refused') {
    return (
      <Alert type="error" showIcon message={outcome.message} data-testid="upload-refused" />
    );
  }
  if (outcome.kind === 'problems') {
    const more = outcome.total - Math.min(outcome.problems.length, PROBLEMS_SHOWN);
    return (
      <Alert
          data-testid="upload-refused"
          type="error"
          showIcon
          message={outcome.file === null ? t('reference.editProblems', { n: outcome.total }) : t('reference.problems', { file: outcome.file, n: outcome.total })}
          description={
            <ul data-testid="problems" style={{ margin: 0, paddingInlineStart: 20 }}>
              {outcome.problems.slice(0, PROBLEMS_SHOWN).map((problem, index) => (
                <li key={index}>{problemText(problem, outcome.file !== null, t)}</li>
              ))}
              {more > 0 && <li>{t('reference.moreProblems', { n: more })}</li>}
            </ul>
          }
        />
    );
  }
  const { preview, file } = outcome;
  const changedTables = preview.diff.filter((diff) => diff.added.length + diff.removed.length + diff.changed.length > 0);
  return (
    <Card
      title={t('reference.diffHeading', { title: props.title, from: props.from, to: t('reference.version', { version: preview.nextVersion }) })}
      data-testid="diff"
      extra={
        <Space>
          {preview.changed && (
            <Button type="primary" loading={props.publishing} onClick={() => props.onPublish(preview)} data-testid="publish">
              {t('reference.publish', { version: preview.nextVersion })}
            </Button>
          )}
          <Button onClick={props.onDiscard}>{t('reference.discard')}</Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{file === null ? t('reference.diffEdit') : t('reference.diffFile', { file })}</Typography.Paragraph>
      {!preview.changed && <Alert type="info" showIcon message={t('reference.noChange')} style={{ marginBottom: 16 }} />}
      {changedTables.map((diff) => (
        <DiffTable key={diff.path ?? ''} diff={diff} />
      ))}
    </Card>
  );
}

type DiffRow = { key: string; change: 'changed' | 'added' | 'removed'; row: ReferenceRow; before?: ReferenceRow; changed: string[] };
const changeStyles: Record<DiffRow['change'], CSSProperties> = {
  added: { background: '#e8f5e9' },
  removed: { background: '#fdecea', color: '#8a1c1c', textDecoration: 'line-through' },
  changed: {},
};
const changeColors: Record<DiffRow['change'], string> = { added: 'green', removed: 'red', changed: 'gold' };

/** One table's diff: changed rows with each changed cell old → new (highlighted), added rows green, removed struck through. */
function DiffTable({ diff }: { diff: ReferenceTableDiff }) {
  const { t } = useTranslation();
  const parameters = diff.path === null;
  const columns = parameters ? ['path', 'value'] : diff.columns;
  const fieldOf = (row: ReferenceRow, column: string) => (parameters ? String(row.path) : column);
  const rows: DiffRow[] = [
    ...diff.changed.map((change) => ({ key: `c${change.key}`, change: 'changed' as const, row: change.after, before: change.before, changed: change.changed })),
    ...diff.added.map((row, index) => ({ key: `a${index}`, change: 'added' as const, row, changed: [] })),
    ...diff.removed.map((row, index) => ({ key: `r${index}`, change: 'removed' as const, row, changed: [] })),
  ];
  const show = (row: ReferenceRow, column: string): ReactNode => (parameters && column === 'path' ? <PathCell path={String(row.path)} /> : cellText(row[column], fieldOf(row, column), t));
  return (
    <div style={{ marginBottom: 20 }}>
      <Typography.Title level={5}>
        {tableTitle(diff.path, t)}{' '}
        <Typography.Text type="secondary" style={muted}>
          {t('reference.tableSummary', { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length, unchanged: diff.unchanged })}
        </Typography.Text>
      </Typography.Title>
      <Table<DiffRow>
        rowKey="key"
        size="small"
        bordered
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        onRow={(row) => ({ 'data-change': row.change, className: row.change }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { key: '__change', title: t('reference.change'), width: 72, onCell: (row) => ({ style: changeStyles[row.change] }), render: (_, row) => <Tag color={changeColors[row.change]}>{t(`reference.${row.change}`)}</Tag> },
          ...columns.map((column) => ({
            key: column,
            title: fieldLabel(column, t),
            onCell: (row: DiffRow) => (row.changed.includes(column) ? { className: 'changed', style: { background: '#fff4c2' } } : { style: changeStyles[row.change] }),
            render: (_: unknown, row: DiffRow) =>
              row.before !== undefined && row.changed.includes(column) ? (
                <>
                  <del style={{ color: '#8a1c1c' }}>{show(row.before, column)}</del> → <ins style={{ color: '#1f7a4d', textDecoration: 'none', fontWeight: 600 }}>{show(row.row, column)}</ins>
                </>
              ) : (
                show(row.row, column)
              ),
          })),
        ]}
      />
    </div>
  );
}

/** The set's tables as editable cells: a 参数 row's value only; a list's rows may be added and deleted. */
function Editor({ tables, onChange }: { tables: EditedTable[]; onChange: (tables: EditedTable[]) => void }) {
  const { t } = useTranslation();
  const update = (tableIndex: number, rows: EditedTable['rows']) => onChange(tables.map((table, index) => (index === tableIndex ? { ...table, rows } : table)));
  return (
    <>
      {tables.map((table, tableIndex) => {
        const parameters = table.path === null;
        const setCell = (rowIndex: number, column: string, text: string) => update(tableIndex, table.rows.map((row, index) => (index === rowIndex ? { ...row, [column]: text } : row)));
        return (
          <div key={table.path ?? ''} style={{ marginBottom: 16 }} data-testid={`edit-table-${table.path ?? 'parameters'}`}>
            <Typography.Title level={5}>{tableTitle(table.path, t)}</Typography.Title>
            <Table<EditedTable['rows'][number] & { __index: number }>
              rowKey="__index"
              size="small"
              dataSource={table.rows.map((row, index) => ({ ...row, __index: index }))}
              pagination={table.rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
              columns={[
                ...table.columns.map((column) => ({
                  key: column,
                  // The editor takes money as the data keeps it, in 分 (the diff then shows it in 万元 / 元).
                  title: isMoney(column) ? t('reference.inFen', { label: fieldLabel(column, t) }) : fieldLabel(column, t),
                  // A 参数 value is often a sentence (a source): room to read what is being edited.
                  width: parameters && column === 'value' ? '50%' : undefined,
                  render: (_: unknown, row: EditedTable['rows'][number] & { __index: number }) =>
                    parameters && column === 'path' ? (
                      <PathCell path={String(row.path)} />
                    ) : (
                      <Input size="small" aria-label={`${tableTitle(table.path, t)} ${row.__index + 1} ${parameters ? String(row.path) : column}`} value={String(row[column] ?? '')} suffix={isMoney(parameters ? String(row.path) : column) ? t('reference.fen') : undefined} onChange={(event) => setCell(row.__index, column, event.target.value)} />
                    ),
                })),
                ...(parameters
                  ? []
                  : [
                      {
                        key: '__delete',
                        title: '',
                        width: 48,
                        render: (_: unknown, row: { __index: number }) => (
                          <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('reference.deleteRow')} onClick={() => update(tableIndex, table.rows.filter((_row, index) => index !== row.__index))} />
                        ),
                      },
                    ]),
              ]}
            />
            {!parameters && (
              <Button size="small" icon={<PlusOutlined />} style={{ marginTop: 8 }} onClick={() => update(tableIndex, [...table.rows, Object.fromEntries(table.columns.map((column) => [column, '']))])}>
                {t('reference.addRow')}
              </Button>
            )}
          </div>
        );
      })}
    </>
  );
}
