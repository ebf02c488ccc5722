import { type ComponentType, type LazyExoticComponent, lazy } from "react";
import type { Role } from "../lib/format";

/**
 * Every screen of the console, in navigation order. To add a screen: write
 * `pages/<area>/<name>-page.tsx` with a default export and point `page` at it
 * (lazy, so it stays out of the initial bundle). `planned` renders a clean
 * placeholder until the screen's router lands.
 */
export type RouteDef = {
  path: string;
  label: string;
  group: "Atendimento" | "Supervisão" | "Administração";
  roles: readonly Role[];
  page?: LazyExoticComponent<ComponentType>;
  planned?: string;
};

const STAFF = ["SUPERVISOR", "ADMIN"] as const;
const ADMIN = ["ADMIN"] as const;

export const ROUTES: RouteDef[] = [
  {
    path: "/atendimentos",
    label: "Atendimentos",
    group: "Atendimento",
    roles: ["OPERATOR"],
    page: lazy(() => import("../pages/operator/inbox-page")),
  },
  {
    path: "/respostas-rapidas",
    label: "Respostas rápidas",
    group: "Atendimento",
    roles: ["OPERATOR", "SUPERVISOR", "ADMIN"],
    page: lazy(() => import("../pages/account/quick-replies-page")),
  },
  {
    path: "/supervisao/fila",
    label: "Fila",
    group: "Supervisão",
    roles: STAFF,
    page: lazy(() => import("../pages/supervisor/queue-page")),
  },
  {
    path: "/supervisao/operadores",
    label: "Operadores",
    group: "Supervisão",
    roles: STAFF,
    page: lazy(() => import("../pages/supervisor/operators-page")),
  },
  {
    path: "/supervisao/conversas",
    label: "Conversas",
    group: "Supervisão",
    roles: STAFF,
    page: lazy(() => import("../pages/supervisor/conversations-page")),
  },
  {
    path: "/supervisao/relatorios",
    label: "Relatórios",
    group: "Supervisão",
    roles: STAFF,
    page: lazy(() => import("../pages/supervisor/reports-page")),
  },
  {
    path: "/admin/usuarios",
    label: "Usuários",
    group: "Administração",
    roles: ADMIN,
    page: lazy(() => import("../pages/admin/users-page")),
  },
  {
    path: "/admin/numeros",
    label: "Números",
    group: "Administração",
    roles: ADMIN,
    page: lazy(() => import("../pages/admin/instances-page")),
  },
  {
    path: "/admin/modelos",
    label: "Modelos",
    group: "Administração",
    roles: ADMIN,
    page: lazy(() => import("../pages/admin/templates-page")),
  },
  {
    path: "/admin/departamentos",
    label: "Departamentos",
    group: "Administração",
    roles: ADMIN,
    page: lazy(() => import("../pages/admin/departments-page")),
  },
  {
    path: "/admin/tabulacoes",
    label: "Tabulações",
    group: "Administração",
    roles: ADMIN,
    page: lazy(() => import("../pages/admin/tabulations-page")),
  },
  {
    path: "/admin/contatos",
    label: "Contatos",
    group: "Administração",
    // Supervisors keep contacts and answer LGPD access requests; erasing stays with admins.
    roles: STAFF,
    page: lazy(() => import("../pages/admin/contacts-page")),
  },
  {
    path: "/admin/campanhas",
    label: "Campanhas",
    group: "Administração",
    roles: ADMIN,
    page: lazy(() => import("../pages/admin/campaigns-page")),
  },
  {
    path: "/admin/integracoes",
    label: "Integrações",
    group: "Administração",
    roles: ADMIN,
    page: lazy(() => import("../pages/admin/api-tokens-page")),
  },
  {
    path: "/admin/auditoria",
    label: "Auditoria",
    group: "Administração",
    roles: ADMIN,
    page: lazy(() => import("../pages/admin/audit-page")),
  },
  {
    path: "/admin/configuracoes",
    label: "Configurações",
    group: "Administração",
    roles: ADMIN,
    page: lazy(() => import("../pages/admin/settings-page")),
  },
];

export const ACCOUNT_PATH = "/conta";

export function routesFor(role: Role): RouteDef[] {
  return ROUTES.filter((r) => r.roles.includes(role));
}

/** Where a role lands after login or on "/". */
export function homeFor(role: Role): string {
  if (role === "OPERATOR") return "/atendimentos";
  if (role === "ADMIN") return "/admin/usuarios";
  return "/supervisao/fila";
}
