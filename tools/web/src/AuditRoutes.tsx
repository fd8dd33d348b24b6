// The auditor's part of the console (/audit/…): the log's parts, with a
// navigation between them. The server allows them to the auditor only;
// anyone else reads its refusal on the page.
import { Link, Route, Routes, useLocation } from "react-router";

import { AccessReportPage } from "./AccessReportPage";
import { AuditBreakGlassPage } from "./AuditBreakGlassPage";
import { AuditGrantsPage } from "./AuditGrantsPage";
import { AuditQueryPage } from "./AuditQueryPage";
import { AuditVerifyPage } from "./AuditVerifyPage";
import { t } from "./messages";
import "./Audit.css";

const sections = [
  { to: "/audit", label: t.audit.navQuery },
  { to: "/audit/inwoner", label: t.audit.navReport },
  { to: "/audit/noodtoegang", label: t.audit.navBreakGlass },
  { to: "/audit/rollen", label: t.audit.navGrants },
  { to: "/audit/controle", label: t.audit.navVerify },
];

export function AuditRoutes() {
  const { pathname } = useLocation();
  return (
    <>
      <nav className="schakel-audit-sections" aria-label={t.audit.sectionsMenu}>
        <ul>
          {sections.map((s) => (
            <li key={s.to}>
              <Link className="utrecht-link utrecht-link--html-a" to={s.to}
                    aria-current={pathname === s.to ? "page" : undefined}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<AuditQueryPage />} />
        <Route path="inwoner" element={<AccessReportPage />} />
        <Route path="noodtoegang" element={<AuditBreakGlassPage />} />
        <Route path="rollen" element={<AuditGrantsPage />} />
        <Route path="controle" element={<AuditVerifyPage />} />
      </Routes>
    </>
  );
}
