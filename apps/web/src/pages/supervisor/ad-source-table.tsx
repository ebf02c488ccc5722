import type { ApiClient } from "../../lib/api";
import { formatInt } from "../../lib/format";
import { type Column, ReportTable } from "./report-table";

export type ByAdSource = Awaited<ReturnType<ApiClient["reports"]["byAdSource"]["query"]>>;

/** An ad as people know it: its headline, else its id. */
export const adLabel = (r: { sourceId: string; headline: string | null }) => r.headline || `Anúncio ${r.sourceId}`;

const columns: Column<ByAdSource["rows"][number]>[] = [
  {
    header: "Anúncio",
    cell: (r) => (
      <>
        {r.sourceUrl?.startsWith("https://") ? (
          <a href={r.sourceUrl} target="_blank" rel="noreferrer">
            {adLabel(r)}
          </a>
        ) : (
          adLabel(r)
        )}
        <div className="muted small">id {r.sourceId}</div>
      </>
    ),
  },
  { header: "Encerradas", num: true, cell: (r) => formatInt(r.closed) },
  { header: "Expiradas", num: true, cell: (r) => formatInt(r.expired) },
  { header: "Total", num: true, cell: (r) => formatInt(r.total) },
];

/** Reports › "Por anúncio": finished conversations per click-to-WhatsApp ad they came from. */
export function AdSourceTable({ data }: { data: ByAdSource }) {
  return (
    <ReportTable
      title="Por anúncio"
      empty="Nenhuma conversa finalizada veio de anúncio no período."
      rows={data.rows}
      rowKey={(r) => r.sourceId}
      columns={columns}
      caption="Conversas finalizadas por anúncio de origem"
    >
      <p className="muted small">Sem anúncio: {formatInt(data.direct)}</p>
    </ReportTable>
  );
}
