// What the privacy officer's pages show of an export: the resident record
// as schakel holds it, and how much the export document holds.
import { DataList, Heading2 } from "@utrecht/component-library-react";
import type { ReactNode } from "react";

import { DataRow } from "./DataRow";
import type { ExportedResident, ResidentExport } from "./gen/schakel/v1/privacy_pb";
import { t } from "./messages";
import { formatDate } from "./time";

// `children`: more of what schakel holds, under the same heading.
export function ResidentRecord({ resident, children }: { resident: ExportedResident; children?: ReactNode }) {
  return (
    <section aria-labelledby="privacy-record-title">
      <Heading2 id="privacy-record-title">{t.privacy.record}</Heading2>
      <DataList>
        <DataRow label={t.fieldName} value={resident.name} testId="record-name" />
        <DataRow label={t.fieldBirthDate} value={resident.birthDate ? formatDate(resident.birthDate) : ""} />
        <DataRow label={t.fieldAddress} value={resident.address} testId="record-address" />
        <DataRow label={t.wijk} value={resident.wijk} />
        <DataRow label={t.privacy.legalHold} value={resident.legalHold ? t.privacy.held : t.privacy.notHeld}
                 testId="record-hold" />
      </DataList>
      {children}
    </section>
  );
}

export function ExportCounts({ document: d }: { document: ResidentExport }) {
  const rows: [string, number, string][] = [
    [t.privacy.signals, d.signals.length, "signals"],
    [t.privacy.handovers, d.handovers.length, "handovers"],
    [t.privacy.trajectories, d.trajectories.length, "trajectories"],
    [t.privacy.notes, d.notes.length, "notes"],
    [t.privacy.rectifications, d.rectifications.length, "rectifications"],
    [t.privacy.accesses, d.accesses.length, "accesses"],
  ];
  return (
    <DataList>
      {rows.map(([label, n, id]) => (
        <DataRow key={id} label={label} value={String(n)} testId={`count-${id}`} />
      ))}
    </DataList>
  );
}
