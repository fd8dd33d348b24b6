// Inzage (AVG art. 15): everything schakel holds about the resident, as a
// JSON document built here from the export (the proto3 JSON mapping with
// every field, as the CLI prints it), and what it holds in counts.
import { toJsonString } from "@bufbuild/protobuf";
import { Alert, Button, DataList, Heading1, Heading2, Paragraph } from "@utrecht/component-library-react";
import { useState } from "react";

import { DataRow } from "./DataRow";
import { downloadFile } from "./download";
import { ResidentExportSchema } from "./gen/schakel/v1/privacy_pb";
import { t } from "./messages";
import { ExportCounts, ResidentRecord } from "./PrivacyRecord";
import { type PrivacyRequest, useExport } from "./privacyRequest";
import { formatMoment } from "./time";

export function PrivacyExportPage(r: PrivacyRequest) {
  // Choosing "Inzage" asks for the export, once per visit: always a new one
  // (the page is keyed by its request).
  const { document: doc, error } = useExport(r, true);
  const [notice, setNotice] = useState<string | null>(null);
  // The reference may hold a "/", which a file name cannot.
  const file = `inzage-${r.residentId}-${r.requestRef.replace(/[^A-Za-z0-9._-]/g, "_")}.json`;

  const download = () => {
    if (!doc) return;
    const json = toJsonString(ResidentExportSchema, doc, { alwaysEmitImplicit: true, prettySpaces: 2 });
    downloadFile(file, [json], "application/json");
    setNotice(t.privacy.downloaded(file));
  };

  return (
    <>
      <Heading1>{t.privacy.exportTitle}</Heading1>
      <Paragraph>{t.privacy.exportIntro}</Paragraph>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      {!error && !doc && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
      {doc && (
        <>
          <Paragraph>
            <Button appearance="primary-action-button" aria-describedby="download-hint" onClick={download}>
              {t.privacy.download}
            </Button>
          </Paragraph>
          <Paragraph small id="download-hint">{t.privacy.downloadHint(file)}</Paragraph>
          <div role="status">{notice && <Alert type="ok"><Paragraph>{notice}</Paragraph></Alert>}</div>
          {doc.resident && <ResidentRecord resident={doc.resident} />}
          <section aria-labelledby="export-summary-title">
            <Heading2 id="export-summary-title">{t.privacy.exportSummary}</Heading2>
            <DataList>
              <DataRow label={t.privacy.exportTime} value={formatMoment(doc.exportTime?.seconds)} />
            </DataList>
            <ExportCounts document={doc} />
          </section>
        </>
      )}
    </>
  );
}
