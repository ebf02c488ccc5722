import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from "react";
import { type ApiClient, createApi, errorCode, type RealtimeConnection } from "../lib/api";

export type Me = Awaited<ReturnType<ApiClient["auth"]["me"]["query"]>>;
type State = { status: "loading" } | { status: "signed-out"; notice?: string } | { status: "signed-in"; user: Me };

type Session = {
  state: State;
  api: ApiClient;
  /** State of the subscriptions' WebSocket (idle, connecting with the last error, pending = open). */
  connection: RealtimeConnection;
  /** Close code of the socket's last close (4029: this user has too many sockets open). */
  socketClosedCode: number | undefined;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** The server ended the session (revoked, expired, deactivated...): back to login with a notice. */
  ended: (notice: string) => void;
  /** Reads the session from the HttpOnly cookie at boot. */
  restore: () => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

const SESSION_ENDED_NOTICE = "Sua sessão terminou. Entre novamente.";

/** Owns the API client, the query cache and who is signed in; everything below assumes it. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: "loading" });
  const stateRef = useRef(state);
  stateRef.current = state;
  const endedRef = useRef<(notice: string) => void>(() => {});
  const [socketClosedCode, setSocketClosedCode] = useState<number | undefined>();
  const [api, setApi] = useState(() => createApi({ onSocketClosed: setSocketClosedCode }));
  const queryClient = useMemo(() => {
    // Any request answered UNAUTHORIZED means the session is gone (expired, revoked while offline).
    const onAnyError = (err: unknown) => {
      if (errorCode(err) === "UNAUTHORIZED") endedRef.current(SESSION_ENDED_NOTICE);
    };
    return new QueryClient({
      queryCache: new QueryCache({ onError: onAnyError }),
      mutationCache: new MutationCache({ onError: onAnyError }),
      defaultOptions: {
        queries: {
          staleTime: 15_000,
          refetchOnWindowFocus: false,
          // Retry only what may be transient: network errors and 5xx.
          retry: (count, err) =>
            count < 2 && (errorCode(err) ?? "NETWORK").match(/NETWORK|INTERNAL|UNAVAILABLE/) !== null,
        },
      },
    });
  }, []);

  /** Drops the socket and every cached query, and starts over with a fresh client. */
  const reset = useCallback(
    (next: State) => {
      api.close();
      queryClient.clear();
      setApi(createApi({ onSocketClosed: setSocketClosedCode }));
      stateRef.current = next;
      setState(next);
    },
    [api, queryClient],
  );

  const ended = useCallback(
    (notice: string) => {
      // Several signals may report the same end (subscription, 401s, socket close): act once.
      if (stateRef.current.status === "signed-in") reset({ status: "signed-out", notice });
    },
    [reset],
  );
  endedRef.current = ended;

  const signIn = useCallback(
    async (email: string, password: string) => {
      // The server sets the HttpOnly session cookie; the console never holds the token.
      await api.client.auth.login.mutate({ email, password });
      const user = await api.client.auth.me.query();
      setState({ status: "signed-in", user });
    },
    [api],
  );

  const signOut = useCallback(async () => {
    await api.client.auth.logout.mutate().catch(() => {});
    reset({ status: "signed-out", notice: "Você saiu da sua conta." });
  }, [api, reset]);

  const restore = useCallback(async () => {
    try {
      const user = await api.client.auth.me.query();
      setState({ status: "signed-in", user });
    } catch {
      setState({ status: "signed-out" });
    }
  }, [api]);

  const value = useMemo<Session>(
    () => ({ state, api: api.client, connection: api.connection, socketClosedCode, signIn, signOut, ended, restore }),
    [state, api, socketClosedCode, signIn, signOut, ended, restore],
  );
  return (
    <SessionContext.Provider value={value}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}

/** The typed tRPC client of the current session. */
export function useApi(): ApiClient {
  return useSession().api;
}

/** The signed-in user; only for components rendered inside the signed-in shell. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== "signed-in") throw new Error("useMe outside the signed-in shell");
  return state.user;
}

const REASONS: Record<string, string> = {
  revoked: "Sua sessão foi encerrada em outro dispositivo. Entre novamente.",
  logout: "Você saiu da sua conta.",
  expired: "Sua sessão expirou por inatividade. Entre novamente.",
  deactivated: "Sua conta foi desativada. Fale com um administrador.",
  role_changed: "Seu perfil de acesso mudou. Entre novamente para continuar.",
  password_reset: "Sua senha foi redefinida por um administrador. Entre com a nova senha.",
  password_changed: "Sua senha foi alterada. Entre com a nova senha.",
  session_limit: "Sua sessão foi encerrada porque você entrou em muitos dispositivos. Entre novamente.",
};

export function sessionEndedNotice(reason: string): string {
  return REASONS[reason] ?? SESSION_ENDED_NOTICE;
}
