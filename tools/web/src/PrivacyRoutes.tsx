// The privacy officer's part of the console (/privacy/…): a resident's
// request is named once on the start page, then handled by one act's page
// (inzage, rectificatie, wissen, legal hold); the start page also lists the
// officers' recent acts for a second pair of eyes.
import { Paragraph } from "@utrecht/component-library-react";
import type { ComponentType } from "react";
import { Link, Navigate, Route, Routes, useLocation } from "react-router";

import { t } from "./messages";
import "./PrivacyRoutes.css";
import { PrivacyErasePage } from "./PrivacyErasePage";
import { PrivacyExportPage } from "./PrivacyExportPage";
import { PrivacyHoldPage } from "./PrivacyHoldPage";
import { PrivacyRectifyPage } from "./PrivacyRectifyPage";
import { actPath, acts, type PrivacyRequest, useRequestParams } from "./privacyRequest";
import { PrivacyStartPage } from "./PrivacyStartPage";

export function PrivacyRoutes() {
  return (
    <Routes>
      <Route index element={<PrivacyStartPage />} />
      <Route path="inzage" element={<ForRequest page={PrivacyExportPage} />} />
      <Route path="rectificatie" element={<ForRequest page={PrivacyRectifyPage} />} />
      <Route path="wissen" element={<ForRequest page={PrivacyErasePage} />} />
      <Route path="legal-hold" element={<ForRequest page={PrivacyHoldPage} />} />
      <Route path="*" element={<Navigate to="/privacy" replace />} />
    </Routes>
  );
}

// An act's page, under the line naming its request and the way to the
// request's other acts; without a request it is the start page's to ask.
function ForRequest({ page: Page }: { page: ComponentType<PrivacyRequest> }) {
  const r = useRequestParams();
  const current = useLocation().pathname.split("/").pop();
  if (!r.residentId || !r.requestRef) return <Navigate to="/privacy" replace />;
  return (
    <>
      <Paragraph>
        <Link className="utrecht-link utrecht-link--html-a" to={actPath("", r)}>{t.privacy.backToStart}</Link>
      </Paragraph>
      <Paragraph data-testid="privacy-request">{t.privacy.requestLine(r.requestRef, r.residentId)}</Paragraph>
      <nav aria-label={t.privacy.otherActs} className="schakel-privacy-acts">
        {acts
          .filter((a) => a !== current)
          .map((a) => (
            <Link key={a} className="utrecht-link utrecht-link--html-a" to={actPath(a, r)}>
              {t.privacy.act[a]}
            </Link>
          ))}
      </nav>
      <Page key={`${r.residentId}\n${r.requestRef}`} {...r} />
    </>
  );
}
