// The auditor's part of the console (/audit/…).
import { Heading1 } from "@utrecht/component-library-react";

import { t } from "./messages";

export function AuditRoutes() {
  return <Heading1>{t.navAudit}</Heading1>;
}
