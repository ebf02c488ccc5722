import type { ApiClient } from "../../lib/api";

export type Instance = Awaited<ReturnType<ApiClient["instances"]["list"]["query"]>>[number];

export const INSTANCES_KEY = ["instances.list"];

const CONNECTION: Record<string, { label: string; className: string }> = {
  open: { label: "Conectado", className: "badge conn-open" },
  connecting: { label: "Aguardando leitura do QR", className: "badge conn-connecting" },
  close: { label: "Desconectado", className: "badge conn-close" },
};
export const connectionOf = (status: string) => CONNECTION[status] ?? { label: status, className: "badge" };

/** The URL a provider must post webhooks to: this console's origin plus the instance's path. */
export const webhookUrl = (i: Pick<Instance, "webhookPath">) => `${window.location.origin}${i.webhookPath}`;
