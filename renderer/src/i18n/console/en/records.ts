import { common } from '../../en/common.ts';
import { environmentalRatings } from '../../../../../shared/domain/environmentalRating.ts';
import type { records as zhCN } from '../zh-CN/records.ts';

export const records: typeof zhCN = {
  records: {
    // A field's name as the laptop's history and conflict cards word it; a field without one shows its key.
    fieldNames: common.fields as Record<string, string>,
    title: 'Record and history',
    heading: '{{title}} · {{branch}}',
    notFound: 'The branch holds no such record',
    deleted: 'Deleted',
    version: 'Version {{version}}, last synced to head office {{at}}',
    fields: 'Now',
    allFields: 'Every field (as synced)',
    field: 'Field',
    value: 'Value',
    yuan: '{{amount}} yuan',
    history: 'Changes from every device',
    historyHint:
      'In the order head office received them: which laptop, who, when, which fields, and what head office did with it. Head office keeps this per-change history for the dedupe window (180 days by default); older changes are compacted, and every laptop keeps its own audit log in full.',
    historyCapped: 'Only the first {{n}} changes are listed',
    received: 'Received',
    madeAt: 'Made at',
    device: 'Device',
    person: 'By',
    op: 'Operation',
    changed: 'Fields changed',
    outcome: 'Outcome',
    noHistory: 'No changes of this record within the dedupe window',
    actors: { 'head-office': 'Head office', resolution: 'Conflict resolution' },
    ops: { insert: 'Created', update: 'Changed', delete: 'Deleted' },
    statuses: { applied: 'Applied', conflict: 'Conflict (to decide)', rejected: 'Rejected' },
    rating: {
      title: 'Environmental credit ratings',
      none: 'No rating recorded',
      level: 'Level',
      bureau: 'Rated by',
      ratedOn: 'Rated on',
      by: 'Recorded by',
      add: 'Record the bureau’s rating (head office)',
      addHint:
        'From the environmental bureau’s published list: written as a rating record of the branch, through head office’s sync path (the laptops’ own checks); the laptops show it at their next sync, and the file’s current rating is the record of the latest rating day.',
      submit: 'Record rating',
      saved: 'Recorded: {{level}} ({{bureau}}, {{ratedOn}}); the laptops show it at their next sync.',
      invalidBureau: 'The bureau needs 2 to 100 characters',
      invalidRatedOn: 'Choose the rating day',
      refused: 'Head office could not record the rating: {{reason}}',
      levels: Object.fromEntries(environmentalRatings.map((rating) => [rating.level, `${rating.en} (${rating.plate})`])) as Record<(typeof environmentalRatings)[number]['level'], string>,
    },
  },
};
