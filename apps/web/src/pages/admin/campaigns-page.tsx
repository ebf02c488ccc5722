import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { navigate, useLocation } from "../../lib/router";
import { EmptyState, ErrorBox, Loading } from "../../ui/feedback";
import { LoadMore } from "../../ui/load-more";
import { CampaignDetail } from "./campaign-detail";
import { CampaignForm } from "./campaign-form";

export const CAMPAIGN_STATUS = {
  DRAFT: "Rascunho",
  SCHEDULED: "Agendada",
  RUNNING: "Enviando",
  PAUSED: "Pausada",
  COMPLETED: "Concluída",
  CANCELLED: "Cancelada",
} as const;

const PATH = "/admin/campanhas";

/** Administração › Campanhas: list, new (draft + audience), detail with live progress. */
export default function CampaignsPage() {
  const api = useApi();
  const qc = useQueryClient();
  const { query } = useLocation();
  const id = query.get("id");
  const creating = query.get("nova") === "1";
  const list = useInfiniteQuery({
    queryKey: ["campaigns.list"],
    queryFn: ({ pageParam }) => api.campaigns.list.query({ cursor: pageParam ?? undefined, limit: 50 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.nextCursor ? String(last.nextCursor) : undefined),
    enabled: !id && !creating,
  });

  if (id) return <CampaignDetail id={id} onBack={() => navigate(PATH)} />;
  if (creating) {
    return (
      <section className="stack" aria-labelledby="page-title">
        <h1 id="page-title">Campanhas</h1>
        <CampaignForm
          onCancel={() => navigate(PATH)}
          onCreated={(c) => {
            void qc.invalidateQueries({ queryKey: ["campaigns.list"] });
            navigate(`${PATH}?id=${c.id}`, { replace: true });
          }}
        />
      </section>
    );
  }
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="page-title" className="stack">
      <header className="page-header">
        <h1 id="page-title">Campanhas</h1>
        <button type="button" className="btn btn-primary" onClick={() => navigate(`${PATH}?nova=1`)}>
          Nova campanha
        </button>
      </header>
      {list.isPending && <Loading />}
      {list.error && <ErrorBox message={errorMessage(list.error)} onRetry={() => void list.refetch()} />}
      {list.isSuccess && rows.length === 0 && (
        <EmptyState title="Nenhuma campanha ainda">
          <p>Crie uma com “Nova campanha”: escolha um modelo, o público (CSV ou etiquetas) e o ritmo de envio.</p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Campanhas</caption>
            <thead>
              <tr>
                <th scope="col">Nome</th>
                <th scope="col">Situação</th>
                <th scope="col">Público</th>
                <th scope="col">Criada em</th>
                <th scope="col">
                  <span className="sr-only">Ações</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>
                    <span className={`badge campaign-${c.status.toLowerCase()}`}>{CAMPAIGN_STATUS[c.status]}</span>
                  </td>
                  <td>{c.audience.kind === "csv" ? "Lista CSV" : "Contatos por etiqueta"}</td>
                  <td>{formatDateTime(c.createdAt)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => navigate(`${PATH}?id=${c.id}`)}
                      aria-label={`Abrir ${c.name}`}
                    >
                      Abrir
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore list={list} />
    </section>
  );
}
