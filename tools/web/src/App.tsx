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
import { useEffect, useState } from "react";
import { BrowserRouter, Link, Route, Routes, useLocation } from "react-router";

import { directory, reference } from "./api";
import type { ListPurposesResponse } from "./gen/schakel/v1/reference_pb";
import { choosePurpose, currentPurpose } from "./purpose";
import { describeError } from "./errors";
import { ErrorBoundary } from "./ErrorBoundary";
import type { WhoAmIResponse } from "./gen/schakel/v1/directory_pb";
import { t } from "./messages";
import { HandoverPage } from "./HandoverPage";
import { MeContext } from "./Me";
import { MyWork } from "./MyWork";
import { NewSignalPage } from "./NewSignalPage";
import { ResidentPage } from "./ResidentPage";
import { ResidentsPage } from "./ResidentsPage";
import { SignalPage } from "./SignalPage";

export function App() {
  const [me, setMe] = useState<WhoAmIResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [purposes, setPurposes] = useState<ListPurposesResponse | null>(null);
  const [purpose, setPurpose] = useState<string>(currentPurpose() ?? "");

  useEffect(() => {
    directory.whoAmI({}).then(setMe, (e) => setError(describeError(e)));
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
  }, []);

  return (
    <BrowserRouter>
    <MeContext.Provider value={me}>
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
          <NavBar aria-label="Hoofdmenu">
            <NavList>
              <NavItem to="/">{t.navMyWork}</NavItem>
              <NavItem to="/signalen/nieuw">{t.navNewSignal}</NavItem>
              <NavItem to="/inwoners">{t.navResidents}</NavItem>
            </NavList>
          </NavBar>
        </PageHeader>
        <PageContent>
          <main id="inhoud" tabIndex={-1}>
            {error && (
              <Alert type="error" role="alert">
                <Heading1>{t.errorTitle}</Heading1>
                <Paragraph>{error}</Paragraph>
              </Alert>
            )}
            {!error && !me && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
            {me && <Pages />}
          </main>
        </PageContent>
      </Page>
    </Document>
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
      <Routes>
        <Route path="/" element={<MyWork />} />
        <Route path="/overdrachten/:id" element={<HandoverPage />} />
        <Route path="/signalen/nieuw" element={<NewSignalPage />} />
        <Route path="/signalen/:id" element={<SignalPage />} />
        <Route path="/inwoners" element={<ResidentsPage />} />
        <Route path="/inwoners/:id" element={<ResidentPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </ErrorBoundary>
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
function NavItem({ to, children }: { to: string; children: string }) {
  const current = useLocation().pathname === to;
  return (
    <li className="utrecht-nav-list__item">
      <Link className="utrecht-nav-list__link" to={to} aria-current={current ? "page" : undefined}>
        {children}
      </Link>
    </li>
  );
}
