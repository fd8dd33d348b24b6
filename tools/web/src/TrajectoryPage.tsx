// One participation trajectory (/trajecten/:id).
import { Heading1 } from "@utrecht/component-library-react";

import { t } from "./messages";

export function TrajectoryPage() {
  return <Heading1>{t.residentTrajectories}</Heading1>;
}
