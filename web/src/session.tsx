import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';

/** Who is signed in, as the web server's session says; the token itself never reaches the browser. */
export interface SessionUser {
  sub: string;
  roles: string[];
  municipality: string | null;
  who: string;
}

export interface Session {
  user: SessionUser | null;
  expiresAt: string | null;
  /** Why the person is on the sign-in page, if not by choice. */
  notice: Notice | null;
  loading: boolean;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
  /** Called when the server answers 401: the session lapsed. */
  expired(): void;
}

/**
 * expired and signedOut by the app; cancelled and refused come back from the web server's callback
 * (`/?signIn=…`); providerAway when the session could not be renewed because the provider does not
 * answer (the session is kept: once the provider is back, a reload goes on without signing in).
 */
export type Notice = 'expired' | 'signedOut' | 'cancelled' | 'refused' | 'providerAway';

/** The callback's word about a sign-in that did not happen (the provider effect takes it out of the address bar). */
function callbackNotice(): Notice | null {
  const word = new URLSearchParams(window.location.search).get('signIn');
  return word === 'cancelled' || word === 'refused' ? word : null;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<Pick<Session, 'user' | 'expiresAt' | 'notice' | 'loading'>>(() => ({
    user: null,
    expiresAt: null,
    notice: callbackNotice(),
    loading: true,
  }));

  const refresh = useCallback(async () => {
    const response = await fetch('/auth/session', { headers: { accept: 'application/json' } });
    if (response.ok) {
      const body = (await response.json()) as { user: SessionUser; expiresAt: string };
      setState({ user: body.user, expiresAt: body.expiresAt, notice: null, loading: false });
    } else {
      const notice = response.status === 503 ? 'providerAway' : null;
      setState((s) => ({ ...s, user: null, expiresAt: null, loading: false, notice: notice ?? s.notice }));
    }
  }, []);

  const signOut = useCallback(async () => {
    const response = await fetch('/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    // Signed in at a provider: sign out there too; it sends the browser back here.
    const { providerSignOut } = response.ok ? ((await response.json()) as { providerSignOut: string | null }) : { providerSignOut: null };
    if (providerSignOut) window.location.assign(providerSignOut);
    setState({ user: null, expiresAt: null, notice: 'signedOut', loading: false });
  }, []);

  const expired = useCallback(() => setState({ user: null, expiresAt: null, notice: 'expired', loading: false }), []);

  useEffect(() => {
    if (window.location.search.includes('signIn=')) window.history.replaceState(null, '', window.location.pathname);
    void refresh();
  }, [refresh]);

  // The session ends when the server says so; the page follows without waiting for a click.
  useEffect(() => {
    if (!state.expiresAt) return;
    const ms = Date.parse(state.expiresAt) - Date.now();
    const timer = setTimeout(expired, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [state.expiresAt, expired]);

  return <SessionContext.Provider value={{ ...state, refresh, signOut, expired }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export function hasRole(user: SessionUser | null, ...roles: string[]): boolean {
  return !!user && user.roles.some((r) => roles.includes(r));
}
