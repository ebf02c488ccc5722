import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { sessionEndedNotice, useApi, useMe, useSession } from "../auth/session";
import { ROLE_LABEL } from "../lib/format";
import { loadAlertPrefs } from "../lib/notifications";
import { Link, navigate, useLocation } from "../lib/router";
import { useTitleBadge } from "../lib/title-badge";
import type { Stream } from "../lib/types";
import { useTrackedSubscription } from "../lib/use-tracked-subscription";
import { EmptyState, Loading } from "../ui/feedback";
import { useToast } from "../ui/toast";
import { ConnectionBanner } from "./connection-banner";
import { MAIN_NAV_ID, MainNav } from "./main-nav";
import { PlannedPage } from "./planned-page";
import { ACCOUNT_PATH, homeFor, type RouteDef, routesFor } from "./routes";

const AccountPage = lazy(() => import("../pages/account/account-page"));

/** The signed-in console: header, navigation for the user's role, and the current page. */
export function AppShell() {
  const me = useMe();
  const api = useApi();
  const { signOut, ended } = useSession();
  const { path } = useLocation();
  const routes = routesFor(me.role);
  // The alert choices are per user: read them before anything can alert (the shell is keyed by user).
  const loadedFor = useRef("");
  if (loadedFor.current !== me.id) {
    loadedFor.current = me.id;
    loadAlertPrefs(me.id);
  }
  const current = routes.find((r) => r.path === path);
  // Staff have a dozen screens: on a phone they sit behind "Menu" instead of above every page.
  const collapsible = me.role !== "OPERATOR";
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setMenuOpen(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [menuOpen]);

  // No backlog to replay here: if the session ended while we were offline, resubscribing fails UNAUTHORIZED.
  useTrackedSubscription<{ reason: string }>((_lastEventId, h) => api.auth.onSessionEnded.subscribe(undefined, h), {
    onData: (d) => ended(sessionEndedNotice(d.reason)),
    onUnauthorized: () => ended(sessionEndedNotice("expired")),
  });

  // Admins hear at once when the worker turns an outbound webhook off (Administração › Webhooks shows it too).
  const toast = useToast();
  const qc = useQueryClient();
  useTrackedSubscription<Stream<"webhook.disabled">>(
    (last, h) => api.events.onWebhook.subscribe({ lastEventId: last }, h),
    {
      enabled: me.role === "ADMIN",
      onData: (e) => {
        toast(`Webhook desativado após ${e.payload.failures} falhas seguidas: ${e.payload.url}`);
        void qc.invalidateQueries({ queryKey: ["webhookEndpoints.list"] });
      },
    },
  );

  useEffect(() => {
    if (path === "/" || path === "/login") navigate(homeFor(me.role), { replace: true });
  }, [path, me.role]);

  // Right after login the address may be another role's page (left by the previous user, or
  // a link): land on this role's home instead of an error. Later unknown paths show "not found".
  // biome-ignore lint/correctness/useExhaustiveDependencies: only at sign-in (the shell is keyed by user)
  useEffect(() => {
    if (path !== ACCOUNT_PATH && !current) navigate(homeFor(me.role), { replace: true });
  }, []);

  // After an in-app navigation, move focus to the page so keyboard and screen-reader users start there.
  const firstRender = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each path change by design
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById("main")?.focus();
  }, [path]);

  const title = path === ACCOUNT_PATH ? "Minha conta" : current?.label;
  const badge = useTitleBadge();
  useEffect(() => {
    const base = title ? `${title} · Elsehu Atendimento` : "Elsehu Atendimento";
    document.title = badge > 0 ? `(${badge}) ${base}` : base;
  }, [title, badge]);

  return (
    <div className={collapsible ? "shell shell-collapsible" : "shell"}>
      <a className="skip-link" href="#main">
        Pular para o conteúdo
      </a>
      <header className="topbar">
        {collapsible && (
          <button
            type="button"
            className="btn btn-ghost menu-toggle"
            aria-expanded={menuOpen}
            aria-controls={MAIN_NAV_ID}
            onClick={() => setMenuOpen(!menuOpen)}
          >
            <span aria-hidden="true">☰</span> Menu
          </button>
        )}
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            E
          </span>
          <span className="brand-name">Elsehu Atendimento</span>
        </div>
        <div className="topbar-user">
          <Link
            href={ACCOUNT_PATH}
            className="user-chip"
            aria-current={path === ACCOUNT_PATH ? "page" : undefined}
            onClick={() => setMenuOpen(false)}
          >
            <span className="user-name">{me.name}</span>
            <span className="user-role">{ROLE_LABEL[me.role]}</span>
          </Link>
          <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>
            Sair
          </button>
        </div>
      </header>
      <MainNav routes={routes} path={path} collapsed={collapsible && !menuOpen} onChoose={() => setMenuOpen(false)} />
      <main id="main" className="content" tabIndex={-1}>
        <ConnectionBanner />
        <Suspense fallback={<Loading />}>
          {path === ACCOUNT_PATH ? <AccountPage /> : <RoutePage route={current} path={path} />}
        </Suspense>
      </main>
    </div>
  );
}

function RoutePage({ route, path }: { route: RouteDef | undefined; path: string }) {
  if (!route) {
    if (path === "/" || path === "/login") return <Loading />;
    return (
      <EmptyState title="Página não encontrada">
        <p>Este endereço não existe ou não está disponível para o seu perfil. Use o menu para continuar.</p>
      </EmptyState>
    );
  }
  const Page = route.page;
  return Page ? <Page /> : <PlannedPage title={route.label} description={route.planned ?? ""} />;
}
