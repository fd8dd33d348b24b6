// The analyst's part of the console: the programme monitor (/monitor/…).
import { Heading1 } from "@utrecht/component-library-react";

import { t } from "./messages";

export function MonitorRoutes() {
  return <Heading1>{t.navMonitor}</Heading1>;
}
