import type { ReactNode } from "react";
import { errorMessage } from "../lib/errors";
import { EmptyState, ErrorBox, Loading } from "./feedback";
import { LoadMore } from "./load-more";

/** What a list page needs from a react-query result, paged (`useInfiniteQuery`) or not (`useQuery`). */
type ListQuery = {
  isPending: boolean;
  isSuccess: boolean;
  error: unknown;
  refetch: () => Promise<unknown>;
  hasNextPage?: boolean;
  isFetchingNextPage?: boolean;
  fetchNextPage?: () => Promise<unknown>;
};

export type ListPageProps<Row> = {
  /** The page's h1. */
  title: string;
  /** The primary button in the header ("Novo …"). */
  action?: { label: string; onClick: () => void };
  /** Shown between the header and the filters (a description, an import panel). */
  intro?: ReactNode;
  /** The filter fields, inside a `<search>` labelled `filtersLabel`. */
  filters?: ReactNode;
  filtersLabel?: string;
  query: ListQuery;
  rows: Row[];
  /** Empty state: its title and sentence (already chosen for "filtered" or "nothing yet"). */
  empty: { title: string; body: ReactNode };
  /** The table's caption, read by screen readers only. */
  caption: string;
  /** The `<th>` cells of the header row. */
  columns: ReactNode;
  rowKey: (row: Row) => string;
  /** The `<td>` cells of one row. */
  cells: (row: Row) => ReactNode;
  /** Dialogs and anything else that belongs after the table. */
  children?: ReactNode;
};

/**
 * The admin list page: header with its action, filters, then exactly one of loading, error (with retry),
 * empty state or table, then "Carregar mais" for paged lists.
 */
export function ListPage<Row>(p: ListPageProps<Row>) {
  const { query, rows } = p;
  return (
    <section aria-labelledby="page-title" className="stack">
      <header className="page-header">
        <h1 id="page-title">{p.title}</h1>
        {p.action && (
          <button type="button" className="btn btn-primary" onClick={p.action.onClick}>
            {p.action.label}
          </button>
        )}
      </header>
      {p.intro}
      {p.filters && (
        <search className="filters" aria-label={p.filtersLabel}>
          {p.filters}
        </search>
      )}
      {query.isPending && <Loading />}
      {query.error ? <ErrorBox message={errorMessage(query.error)} onRetry={() => void query.refetch()} /> : null}
      {query.isSuccess && rows.length === 0 && (
        <EmptyState title={p.empty.title}>
          <p>{p.empty.body}</p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">{p.caption}</caption>
            <thead>
              <tr>
                {p.columns}
                <th scope="col">
                  <span className="sr-only">Ações</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={p.rowKey(r)}>{p.cells(r)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.fetchNextPage && (
        <LoadMore
          list={{
            hasNextPage: query.hasNextPage ?? false,
            isFetchingNextPage: query.isFetchingNextPage ?? false,
            fetchNextPage: query.fetchNextPage,
          }}
        />
      )}
      {p.children}
    </section>
  );
}
