import type { ReactNode } from "react";

/** One column of a report table: its heading and what a row shows in it (numbers align right). */
export type Column<T> = { header: string; num?: boolean; cell: (row: T) => ReactNode };

/** A report card: its title, a table of rows (or a sentence when there are none), and an optional note below. */
export function ReportTable<T>({
  title,
  empty,
  rows,
  rowKey,
  columns,
  caption,
  testId,
  children,
}: {
  title: string;
  /** Said instead of the table when there are no rows. */
  empty: string;
  rows: readonly T[];
  rowKey: (row: T) => string;
  columns: Column<T>[];
  /** For screen readers, when the title alone doesn't say what the rows are. */
  caption?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <div className="card">
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid={testId}>
            {caption && <caption className="sr-only">{caption}</caption>}
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.header} scope="col" className={c.num ? "num" : undefined}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={rowKey(r)}>
                  {columns.map((c) => (
                    <td key={c.header} className={c.num ? "num" : undefined}>
                      {c.cell(r)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {children}
    </div>
  );
}
