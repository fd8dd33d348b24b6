import {
  Alert,
  Document,
  Heading1,
  NavBar,
  NavList,
  Page,
  PageContent,
  PageHeader,
  Paragraph,
  SkipLink,
} from "@utrecht/component-library-react";
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from "react-router";

import { directory, reference } from "./api";
import type { ListPurposesResponse } from "./gen/schakel/v1/reference_pb";
import { choosePurpose, currentPurpose } from "./purpose";
import { describeError } from "./errors";
import { ErrorBoundary } from "./ErrorBoundary";
import type { WhoAmIResponse } from "./gen/schakel/v1/directory_pb";
import { t } from "./messages";
import { EmergencyAccessBanner } from "./EmergencyAccess";
import { Role } from "./gen/schakel/v1/common_pb";
import { HandoverPage } from "./HandoverPage";
import { CaseloadPage } from "./CaseloadPage";
import { hasRole, MeContext, useMe, worksWithCases } from "./Me";
import { MyWork } from "./MyWork";
import { NewSignalPage } from "./NewSignalPage";
import { NotificationSettingsPage } from "./NotificationSettingsPage";
import { NotificationsPage } from "./NotificationsPage";
import { ResidentPage } from "./ResidentPage";
import { ResidentsPage } from "./ResidentsPage";
import { SignalPage } from "./SignalPage";
import { TrajectoryPage } from "./TrajectoryPage";
import { NewNotificationStatus, NotificationsMenuLabel, UnreadProvider } from "./Unread";

// The auditor's, the privacy officer's and the analyst's parts load only
// when opened: the professionals who work with cases never load them.
const AuditRoutes = lazy(() => import("./AuditRoutes").then((m) => ({ default: m.AuditRoutes })));
const PrivacyRoutes = lazy(() => import("./PrivacyRoutes").then((m) => ({ default: m.PrivacyRoutes })));
const MonitorRoutes = lazy(() => import("./MonitorRoutes").then((m) => ({ default: m.MonitorRoutes })));

export function App() {
  const [me, setMe] = useState<WhoAmIResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [purposes, setPurposes] = useState<ListPurposesResponse | null>(null);
  const [purpose, setPurpose] = useState<string>(currentPurpose() ?? "");

  // Reads the professional again; a failure rejects, so that the page
  // that asked (the emergency-access dialog) says it.
  const refresh = useCallback(async () => setMe(await directory.whoAmI({})), []);
  const meState = useMemo(() => (me ? { me, refresh } : null), [me, refresh]);

  useEffect(() => {
    refresh().catch((e) => setError(describeError(e)));
    reference.listPurposes({}).then(
      (p) => {
        setPurposes(p);
        if (!currentPurpose()) {
          choosePurpose(p.defaultCode);
          setPurpose(p.defaultCode);
        }
      },
      () => setPurposes(null),
    );
  }, [refresh]);

  return (
    <BrowserRouter>
    <MeContext.Provider value={meState}>
    <UnreadProvider enabled={me !== null && worksWithCases(me)}>
    <Document>
      <SkipLink href="#inhoud">{t.skipToContent}</SkipLink>
      <Page>
        <PageHeader>
          <div className="schakel-header">
            <Paragraph lead>{t.appName}</Paragraph>
            {purposes && (
              <div className="utrecht-form-field">
                <label className="utrecht-form-label" htmlFor="purpose">{t.purposeLabel}</label>
                <select
                  id="purpose"
                  className="utrecht-select utrecht-select--html-select"
                  aria-describedby="purpose-hint"
                  value={purpose}
                  onChange={(e) => {
                    choosePurpose(e.target.value);
                    setPurpose(e.target.value);
                  }}
                >
                  {purposes.purposes.map((p) => (
                    <option key={p.code} value={p.code}>{p.labelNl}</option>
                  ))}
                </select>
                <span id="purpose-hint" className="schakel-visually-hidden">{t.purposeHint}</span>
              </div>
            )}
            {me && (
              <Paragraph data-testid="signed-in">
                {t.signedInAs(
                  me.professional?.displayName ?? "",
                  me.organisation?.name ?? me.professional?.organisationId ?? "",
                )}
              </Paragraph>
            )}
          </div>
          {meState && <Menu />}
        </PageHeader>
        <PageContent>
          {meState && <EmergencyAccessBanner />}
          <main id="inhoud" tabIndex={-1}>
            {error && (
              <Alert type="error" role="alert">
                <Heading1>{t.errorTitle}</Heading1>
                <Paragraph>{error}</Paragraph>
              </Alert>
            )}
            {!error && !me && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
            {meState && <Pages />}
          </main>
        </PageContent>
      </Page>
    </Document>
    </UnreadProvider>
    </MeContext.Provider>
    </BrowserRouter>
  );
}

// The pages; one that fails while drawn is replaced by a message until the
// professional moves on to another page.
function Pages() {
  const { pathname } = useLocation();
  return (
    <ErrorBoundary key={pathname}>
      <Suspense fallback={<Paragraph aria-live="polite">{t.loading}</Paragraph>}>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/overdrachten/:id" element={<HandoverPage />} />
        <Route path="/signalen/nieuw" element={<NewSignalPage />} />
        <Route path="/signalen/:id" element={<SignalPage />} />
        <Route path="/inwoners" element={<ResidentsPage />} />
        <Route path="/inwoners/:id" element={<ResidentPage />} />
        <Route path="/caseload" element={<CaseloadPage />} />
        <Route path="/trajecten/:id" element={<TrajectoryPage />} />
        <Route path="/meldingen" element={<NotificationsPage />} />
        <Route path="/meldingen/instellingen" element={<NotificationSettingsPage />} />
        <Route path="/audit/*" element={<AuditRoutes />} />
        <Route path="/privacy/*" element={<PrivacyRoutes />} />
        <Route path="/monitor/*" element={<MonitorRoutes />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
      </Suspense>
    </ErrorBoundary>
  );
}

// Where a professional starts: the case roles on Mijn werk, the others in
// their own part of the console.
function Home() {
  const me = useMe();
  if (worksWithCases(me)) return <MyWork />;
  if (hasRole(me, Role.AUDITOR)) return <Navigate to="/audit" replace />;
  if (hasRole(me, Role.PRIVACY_OFFICER)) return <Navigate to="/privacy" replace />;
  if (hasRole(me, Role.ANALYST)) return <Navigate to="/monitor" replace />;
  return (
    <>
      <Heading1>{t.appName}</Heading1>
      <Paragraph>{t.nothingInConsole}</Paragraph>
    </>
  );
}

// The main menu: what the professional's roles work with. The server
// refuses the rest anyway; the menu only leaves out what would be refused.
function Menu() {
  const me = useMe();
  const cases = worksWithCases(me);
  return (
    <NavBar aria-label={t.mainMenu}>
      <NavList>
        {cases && <NavItem to="/">{t.navMyWork}</NavItem>}
        {cases && <NavItem to="/meldingen"><NotificationsMenuLabel /></NavItem>}
        {cases && <NavItem to="/signalen/nieuw">{t.navNewSignal}</NavItem>}
        {cases && <NavItem to="/inwoners">{t.navResidents}</NavItem>}
        {hasRole(me, Role.CONSULTANT) && <NavItem to="/caseload">{t.navCaseload}</NavItem>}
        {hasRole(me, Role.AUDITOR) && <NavItem to="/audit">{t.navAudit}</NavItem>}
        {hasRole(me, Role.PRIVACY_OFFICER) && <NavItem to="/privacy">{t.navPrivacy}</NavItem>}
        {hasRole(me, Role.ANALYST) && <NavItem to="/monitor">{t.navMonitor}</NavItem>}
      </NavList>
      {cases && <NewNotificationStatus />}
    </NavBar>
  );
}

function NotFound() {
  return (
    <>
      <Heading1>{t.pageNotFound}</Heading1>
      <Paragraph>
        <Link className="utrecht-link utrecht-link--html-a" to="/">{t.backToMyWork}</Link>
      </Paragraph>
    </>
  );
}

// A menu item that is a router link, marked as the current page.
function NavItem({ to, children }: { to: string; children: ReactNode }) {
  const current = useLocation().pathname === to;
  return (
    <li className="utrecht-nav-list__item">
      <Link className="utrecht-nav-list__link" to={to} aria-current={current ? "page" : undefined}>
        {children}
      </Link>
    </li>
  );
}
