// The consultant's caseload (/caseload).
import { Heading1 } from "@utrecht/component-library-react";

import { t } from "./messages";

export function CaseloadPage() {
  return <Heading1>{t.navCaseload}</Heading1>;
}
