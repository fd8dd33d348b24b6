// How a trajectory reads on a page.
import type { Trajectory } from "./gen/schakel/v1/trajectories_pb";
import { TrajectoryStatus } from "./gen/schakel/v1/trajectories_pb";
import { t } from "./messages";

// "3: Georganiseerde activiteiten", or a dash before the first measurement.
export function rungLabel(tr: Trajectory): string {
  return tr.latestRung > 0 ? `${tr.latestRung}: ${tr.latestRungLabelNl}` : "—";
}

export function trajectoryStatusLabel(tr: Trajectory): string {
  return t.trajectoryStatus[`TRAJECTORY_STATUS_${TrajectoryStatus[tr.status]}`] ?? "";
}
