// The privacy officer's part of the console (/privacy/…).
import { Heading1 } from "@utrecht/component-library-react";

import { t } from "./messages";

export function PrivacyRoutes() {
  return <Heading1>{t.navPrivacy}</Heading1>;
}
