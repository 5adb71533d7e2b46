import { formatInstant } from '../format.ts';
import type { RegisterColumn } from './RegisterTable.tsx';

/**
 * A column of an instant (更新时间) in Beijing time, the date over the time so the column stays
 * narrow; newest first on the first click, which is what one looks for in a change time.
 */
export function instantColumn<Row extends Record<Key, string>, Key extends string, SortField extends string>(key: Key, title: string, sort?: SortField): RegisterColumn<Row, SortField> {
  return {
    key,
    title,
    width: '112px',
    ...(sort === undefined ? {} : { sort, firstOrder: 'desc' as const }),
    cell: (row) => {
      const [date, time] = formatInstant(row[key]).split(' ');
      return (
        <>
          <span className="gl-main">{date}</span>
          <span className="gl-sub">{time}</span>
        </>
      );
    },
  };
}
