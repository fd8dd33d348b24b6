// The console's Connect clients, generated from proto/ (src/gen). The page
// is served by schakeld itself, so calls go to its own origin; the browser
// presents the professional's client certificate, which is the only
// identity (schakeld checks it on every call). No rule lives here: what a
// caller may do, the server decides.
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";

import { AuditService } from "./gen/schakel/v1/audit_pb";
import { DirectoryService } from "./gen/schakel/v1/directory_pb";
import { HandoverService } from "./gen/schakel/v1/handovers_pb";
import { NotificationService } from "./gen/schakel/v1/notifications_pb";
import { PrivacyService } from "./gen/schakel/v1/privacy_pb";
import { ReferenceService } from "./gen/schakel/v1/reference_pb";
import { ReportService } from "./gen/schakel/v1/reports_pb";
import { ResidentService } from "./gen/schakel/v1/residents_pb";
import { SignalService } from "./gen/schakel/v1/signals_pb";
import { TrajectoryService } from "./gen/schakel/v1/trajectories_pb";
import { currentPurpose } from "./purpose";

const transport = createConnectTransport({
  baseUrl: window.location.origin,
  useBinaryFormat: false,
  interceptors: [
    (next) => async (req) => {
      const purpose = currentPurpose();
      if (purpose) req.header.set("x-schakel-purpose", purpose);
      return next(req);
    },
  ],
});

export const audit = createClient(AuditService, transport);
export const directory = createClient(DirectoryService, transport);
export const handovers = createClient(HandoverService, transport);
export const notifications = createClient(NotificationService, transport);
export const privacy = createClient(PrivacyService, transport);
export const reports = createClient(ReportService, transport);
export const signals = createClient(SignalService, transport);
export const reference = createClient(ReferenceService, transport);
export const residents = createClient(ResidentService, transport);
export const trajectories = createClient(TrajectoryService, transport);
