import { lazy, Suspense, useEffect, useMemo } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { Provider as UrqlProvider } from 'urql';
import { createClient } from './client';
import { LANGUAGES } from './i18n';
import { CapacityBoard } from './pages/CapacityBoard';
import { HousingUnits } from './pages/HousingUnits';
import { OpenRequests } from './pages/OpenRequests';
import { PlacementsBoard } from './pages/PlacementsBoard';
import { SignIn } from './pages/SignIn';
import { hasRole, SessionProvider, useSession } from './session';

// The analysts' and auditors' pages are loaded when opened: they add to the initial JavaScript of every role otherwise.
const Statistics = lazy(() => import('./pages/Statistics').then((m) => ({ default: m.Statistics })));
const AuditLog = lazy(() => import('./pages/AuditLog').then((m) => ({ default: m.AuditLog })));
// The caseworker's participant pages likewise (personal data, forms): only for caseworkers.
const Participants = lazy(() => import('./pages/Participants').then((m) => ({ default: m.Participants })));
const ParticipantPage = lazy(() => import('./pages/ParticipantPage').then((m) => ({ default: m.ParticipantPage })));
// The data protection officer's one page.
const AccessRequestPage = lazy(() => import('./pages/AccessRequestPage').then((m) => ({ default: m.AccessRequestPage })));
const RegisterParticipant = lazy(() => import('./pages/RegisterParticipant').then((m) => ({ default: m.RegisterParticipant })));

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Shell />
      </BrowserRouter>
    </SessionProvider>
  );
}

/** Every page: skip link, header with the menu the role may use, language, sign-out; then the page. */
function Shell() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const client = useMemo(() => createClient(session.expired), [session.expired]);
  const location = useLocation();
  const user = session.user;
  const roleNames = user?.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', ');

  // Each page names itself in the title (no personal data: ids at most) and takes the focus's start.
  useEffect(() => {
    document.title = `${t(pageTitleKey(location.pathname, !!user))} – ${t('app.title')}`;
  }, [location.pathname, user, t, i18n.language]);

  return (
    <UrqlProvider value={client}>
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <header className="header">
        <p className="brand">{t('app.title')}</p>
        {user && (
          <nav aria-label={t('nav.label')}>
            <ul>
              {hasRole(user, 'CASEWORKER') && (
                <li>
                  <NavLink to="/participants" end={false}>
                    {t('nav.participants')}
                  </NavLink>
                </li>
              )}
              {hasRole(user, ...CAPACITY_ROLES) && (
                <li>
                  <NavLink to="/capacity">{t('nav.capacity')}</NavLink>
                </li>
              )}
              {hasRole(user, 'COORDINATOR') && (
                <li>
                  <NavLink to="/requests">{t('nav.requests')}</NavLink>
                </li>
              )}
              {hasRole(user, 'HOUSING_MANAGER') && (
                <li>
                  <NavLink to="/units">{t('nav.units')}</NavLink>
                </li>
              )}
              {hasRole(user, 'COORDINATOR', 'CASEWORKER', 'HOUSING_MANAGER') && (
                <li>
                  <NavLink to="/placements" end={false}>
                    {t('nav.placements')}
                  </NavLink>
                </li>
              )}
              {hasRole(user, ...STATISTICS_ROLES) && (
                <li>
                  <NavLink to="/statistics">{t('nav.statistics')}</NavLink>
                </li>
              )}
              {hasRole(user, 'AUDITOR') && (
                <li>
                  <NavLink to="/audit">{t('nav.audit')}</NavLink>
                </li>
              )}
              {hasRole(user, 'DATA_PROTECTION_OFFICER') && (
                <li>
                  <NavLink to="/access-request">{t('nav.accessRequest')}</NavLink>
                </li>
              )}
            </ul>
          </nav>
        )}
        <div className="header-tools">
          <div role="group" aria-label={t('app.language')} className="languages">
            {LANGUAGES.map((lng) => (
              <Button key={lng} className="button small" aria-pressed={i18n.language === lng} onPress={() => void i18n.changeLanguage(lng)}>
                <span lang={lng}>{lng === 'sv' ? 'Svenska' : 'English'}</span>
              </Button>
            ))}
          </div>
          {user && (
            <>
              <span className="who">{t('app.signedInAs', { who: `${user.who} (${roleNames})` })}</span>
              <Button className="button small" onPress={() => void session.signOut()}>
                {t('app.signOut')}
              </Button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {session.loading ? null : user ? (
          <Suspense fallback={null}>
            <Routes>
              {hasRole(user, ...CAPACITY_ROLES) && <Route path="/capacity" element={<CapacityBoard />} />}
              {hasRole(user, ...STATISTICS_ROLES) && <Route path="/statistics" element={<Statistics />} />}
              {hasRole(user, 'AUDITOR') && <Route path="/audit" element={<AuditLog />} />}
              {hasRole(user, 'DATA_PROTECTION_OFFICER') && <Route path="/access-request" element={<AccessRequestPage />} />}
              {hasRole(user, 'COORDINATOR') && <Route path="/requests" element={<OpenRequests />} />}
              {hasRole(user, 'HOUSING_MANAGER') && <Route path="/units" element={<HousingUnits />} />}
              {hasRole(user, 'CASEWORKER') && (
                <>
                  <Route path="/participants" element={<Participants />} />
                  <Route path="/participants/new" element={<RegisterParticipant />} />
                  <Route path="/participants/:participantId" element={<ParticipantPage />} />
                </>
              )}
              {hasRole(user, 'COORDINATOR', 'CASEWORKER', 'HOUSING_MANAGER') && (
                <>
                  <Route path="/placements" element={<PlacementsBoard />} />
                  <Route path="/placements/:placementId" element={<PlacementsBoard />} />
                </>
              )}
              <Route path="*" element={<Navigate to={homeOf(user)} replace />} />
            </Routes>
          </Suspense>
        ) : (
          <SignIn />
        )}
      </main>
    </UrqlProvider>
  );
}

/** Who may read the capacity board and the released statistics (the API's own rules, so no page only answers "forbidden"). */
const CAPACITY_ROLES = ['COORDINATOR', 'CASEWORKER', 'HOUSING_MANAGER'];
const STATISTICS_ROLES = ['ANALYST', 'COORDINATOR'];

/** The first page a role can use. */
function homeOf(user: Parameters<typeof hasRole>[0]): string {
  if (hasRole(user, ...CAPACITY_ROLES)) return '/capacity';
  if (hasRole(user, ...STATISTICS_ROLES)) return '/statistics';
  if (hasRole(user, 'AUDITOR')) return '/audit';
  if (hasRole(user, 'DATA_PROTECTION_OFFICER')) return '/access-request';
  return '/capacity';
}

function pageTitleKey(path: string, signedIn: boolean): string {
  if (!signedIn) return 'signIn.title';
  if (path.startsWith('/requests')) return 'requests.title';
  // A participant's page is named as such, never by who they are.
  if (path === '/participants/new') return 'participants.registerTitle';
  if (path.startsWith('/participants/')) return 'participants.caseTitle';
  if (path.startsWith('/participants')) return 'participants.title';
  if (path.startsWith('/placements')) return 'placements.title';
  if (path.startsWith('/units')) return 'units.title';
  if (path.startsWith('/statistics')) return 'statistics.title';
  if (path.startsWith('/audit')) return 'audit.title';
  if (path.startsWith('/access-request')) return 'accessRequest.title';
  return 'capacity.title';
}
