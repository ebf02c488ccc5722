import { Link } from "../lib/router";
import type { RouteDef } from "./routes";

export const MAIN_NAV_ID = "main-nav";

/**
 * The role's screens, grouped. On a phone staff get it collapsed behind the
 * topbar's "Menu" (`collapsed`, hidden by CSS at ≤720 px) and choosing a screen
 * closes it again (`onChoose`); operators, with two screens, always see it.
 */
export function MainNav({
  routes,
  path,
  collapsed,
  onChoose,
}: {
  routes: RouteDef[];
  path: string;
  collapsed: boolean;
  onChoose: () => void;
}) {
  const groups = [...new Set(routes.map((r) => r.group))];
  return (
    <nav id={MAIN_NAV_ID} className={collapsed ? "sidebar nav-collapsed" : "sidebar"} aria-label="Navegação principal">
      {groups.map((g) => (
        <div key={g} className="nav-group">
          <h2 className="nav-title">{g}</h2>
          <ul>
            {routes
              .filter((r) => r.group === g)
              .map((r) => (
                <li key={r.path}>
                  <Link
                    href={r.path}
                    className="nav-link"
                    aria-current={r.path === path ? "page" : undefined}
                    onClick={onChoose}
                  >
                    {r.label}
                  </Link>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
