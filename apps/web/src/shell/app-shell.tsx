import { lazy, Suspense, useEffect, useRef } from "react";
import { sessionEndedNotice, useApi, useMe, useSession } from "../auth/session";
import { ROLE_LABEL } from "../lib/format";
import { loadAlertPrefs } from "../lib/notifications";
import { Link, navigate, useLocation } from "../lib/router";
import { useTitleBadge } from "../lib/title-badge";
import { useTrackedSubscription } from "../lib/use-tracked-subscription";
import { EmptyState, Loading } from "../ui/feedback";
import { ConnectionBanner } from "./connection-banner";
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

  // No backlog to replay here: if the session ended while we were offline, resubscribing fails UNAUTHORIZED.
  useTrackedSubscription<{ reason: string }>((_lastEventId, h) => api.auth.onSessionEnded.subscribe(undefined, h), {
    onData: (d) => ended(sessionEndedNotice(d.reason)),
    onUnauthorized: () => ended(sessionEndedNotice("expired")),
  });

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

  const groups = [...new Set(routes.map((r) => r.group))];
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Pular para o conteúdo
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            E
          </span>
          Elsehu Atendimento
        </div>
        <div className="topbar-user">
          <Link href={ACCOUNT_PATH} className="user-chip" aria-current={path === ACCOUNT_PATH ? "page" : undefined}>
            <span className="user-name">{me.name}</span>
            <span className="user-role">{ROLE_LABEL[me.role]}</span>
          </Link>
          <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>
            Sair
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Navegação principal">
        {groups.map((g) => (
          <div key={g} className="nav-group">
            <h2 className="nav-title">{g}</h2>
            <ul>
              {routes
                .filter((r) => r.group === g)
                .map((r) => (
                  <li key={r.path}>
                    <Link href={r.path} className="nav-link" aria-current={r.path === path ? "page" : undefined}>
                      {r.label}
                    </Link>
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </nav>
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
        <p>Este endereço não existe ou não está disponível para o seu perfil. Use o menu ao lado para continuar.</p>
      </EmptyState>
    );
  }
  const Page = route.page;
  return Page ? <Page /> : <PlannedPage title={route.label} description={route.planned ?? ""} />;
}
