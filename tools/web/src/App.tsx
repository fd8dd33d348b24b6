import {
  Alert,
  Document,
  Heading1,
  NavBar,
  NavList,
  NavListLink,
  Page,
  PageContent,
  PageHeader,
  Paragraph,
  SkipLink,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { BrowserRouter, Route, Routes } from "react-router";

import { directory } from "./api";
import { describeError } from "./errors";
import type { WhoAmIResponse } from "./gen/schakel/v1/directory_pb";
import { t } from "./messages";
import { HandoverPage } from "./HandoverPage";
import { MeContext } from "./Me";
import { MyWork } from "./MyWork";

export function App() {
  const [me, setMe] = useState<WhoAmIResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    directory.whoAmI({}).then(setMe, (e) => setError(describeError(e)));
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
              <NavListLink href="/" aria-current="page">
                {t.navMyWork}
              </NavListLink>
            </NavList>
          </NavBar>
        </PageHeader>
        <PageContent>
          <main id="inhoud">
            {error && (
              <Alert type="error" role="alert">
                <Heading1>{t.errorTitle}</Heading1>
                <Paragraph>{error}</Paragraph>
              </Alert>
            )}
            {!error && !me && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
            {me && (
              <Routes>
                <Route path="/" element={<MyWork />} />
                <Route path="/overdrachten/:id" element={<HandoverPage />} />
              </Routes>
            )}
          </main>
        </PageContent>
      </Page>
    </Document>
    </MeContext.Provider>
    </BrowserRouter>
  );
}
