import type { ApiClient } from "../../lib/api";
import { formatInt } from "../../lib/format";

export type ByAdSource = Awaited<ReturnType<ApiClient["reports"]["byAdSource"]["query"]>>;

/** An ad as people know it: its headline, else its id. */
export const adLabel = (r: { sourceId: string; headline: string | null }) => r.headline || `Anúncio ${r.sourceId}`;

/** Reports › "Por anúncio": finished conversations per click-to-WhatsApp ad they came from. */
export function AdSourceTable({ data }: { data: ByAdSource }) {
  return (
    <div className="card">
      <h2>Por anúncio</h2>
      {data.rows.length === 0 ? (
        <p className="muted">Nenhuma conversa finalizada veio de anúncio no período.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Conversas finalizadas por anúncio de origem</caption>
            <thead>
              <tr>
                <th scope="col">Anúncio</th>
                <th scope="col" className="num">
                  Encerradas
                </th>
                <th scope="col" className="num">
                  Expiradas
                </th>
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.sourceId}>
                  <td>
                    {r.sourceUrl?.startsWith("https://") ? (
                      <a href={r.sourceUrl} target="_blank" rel="noreferrer">
                        {adLabel(r)}
                      </a>
                    ) : (
                      adLabel(r)
                    )}
                    <div className="muted small">id {r.sourceId}</div>
                  </td>
                  <td className="num">{formatInt(r.closed)}</td>
                  <td className="num">{formatInt(r.expired)}</td>
                  <td className="num">{formatInt(r.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">Sem anúncio: {formatInt(data.direct)}</p>
    </div>
  );
}
