import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../auth/session";
import { formatDateTime } from "../../lib/format";
import { navigate, useLocation } from "../../lib/router";
import { ListPage } from "../../ui/list-page";
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
    <ListPage
      title="Campanhas"
      action={{ label: "Nova campanha", onClick: () => navigate(`${PATH}?nova=1`) }}
      query={list}
      rows={rows}
      empty={{
        title: "Nenhuma campanha ainda",
        body: "Crie uma com “Nova campanha”: escolha um modelo, o público (CSV ou etiquetas) e o ritmo de envio.",
      }}
      caption="Campanhas"
      columns={
        <>
          <th scope="col">Nome</th>
          <th scope="col">Situação</th>
          <th scope="col">Público</th>
          <th scope="col">Criada em</th>
        </>
      }
      rowKey={(c) => c.id}
      cells={(c) => (
        <>
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
        </>
      )}
    />
  );
}
