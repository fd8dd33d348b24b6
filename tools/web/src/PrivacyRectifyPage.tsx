// Rectificatie (AVG art. 16): the resident record as schakel holds it, a
// form for name, birth date, address and wijk that sends only what was
// changed, and the whole history of rectifications.
import { clone } from "@bufbuild/protobuf";
import {
  Alert,
  FormField,
  FormLabel,
  Heading1,
  Heading2,
  Paragraph,
  Select,
  SelectOption,
  TableCell,
  TableRow,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";

import { directory, privacy, reference } from "./api";
import { Field } from "./Field";
import { type ExportedResident, type Rectification, ResidentExportSchema } from "./gen/schakel/v1/privacy_pb";
import type { Wijk } from "./gen/schakel/v1/reference_pb";
import { DataTable, ListSection } from "./ListSection";
import { t } from "./messages";
import { ResidentRecord } from "./PrivacyRecord";
import { describePrivacyError, type PrivacyRequest, useExport } from "./privacyRequest";
import { formatMoment, today } from "./time";
import { BusyButton } from "./BusyButton";

type Fields = { name: string; birthDate: string; address: string; wijk: string };
const fieldsOf = (r: ExportedResident): Fields => ({
  name: r.name, birthDate: r.birthDate, address: r.address, wijk: r.wijk,
});

export function PrivacyRectifyPage(r: PrivacyRequest) {
  const { document: doc, error: loadError, keep } = useExport(r);
  const [form, setForm] = useState<Fields | null>(null);
  const [wijken, setWijken] = useState<Wijk[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    reference.listWijken({}).then((w) => setWijken(w.wijken), () => setWijken([]));
  }, []);
  const resident = doc?.resident;
  useEffect(() => {
    if (resident) setForm(fieldsOf(resident));
  }, [resident]);

  if (loadError) return <><Heading1>{t.privacy.rectifyTitle}</Heading1><Alert type="error" role="alert"><Paragraph>{loadError}</Paragraph></Alert></>;
  if (!doc || !resident || !form) return <><Heading1>{t.privacy.rectifyTitle}</Heading1><Paragraph aria-live="polite">{t.loading}</Paragraph></>;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    const now = fieldsOf(resident);
    const changed = Object.fromEntries(
      (Object.keys(form) as (keyof Fields)[])
        .map((k) => [k, form[k].trim()])
        .filter(([k, v]) => v !== "" && v !== now[k as keyof Fields]),
    );
    const n = Object.keys(changed).length;
    if (n === 0) {
      setNotice(t.privacy.rectifyNothing);
      return;
    }
    setBusy(true);
    try {
      const res = await privacy.rectify({ ...r, ...changed });
      // What the page shows comes from the server's answer.
      const next = clone(ResidentExportSchema, doc);
      next.resident = res.resident;
      next.rectifications = res.history;
      keep(next);
      setNotice(t.privacy.rectified(n));
    } catch (err) {
      setError(describePrivacyError(err));
    } finally {
      setBusy(false);
    }
  };
  const set = (k: keyof Fields) => (v: string) => setForm({ ...form, [k]: v });

  return (
    <>
      <Heading1>{t.privacy.rectifyTitle}</Heading1>
      <Paragraph>{t.privacy.rectifyIntro}</Paragraph>
      <Paragraph small>{t.privacy.fromExport}</Paragraph>
      <ResidentRecord resident={resident} />
      <Heading2 id="rectify-form-title">{t.privacy.rectifyForm}</Heading2>
      <form onSubmit={submit} aria-labelledby="rectify-form-title">
        {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
        <Field id="rectify-name" label={t.fieldName} value={form.name} onChange={set("name")} />
        <Field id="rectify-birth" label={t.fieldBirthDate} type="date" max={today()} value={form.birthDate}
               onChange={set("birthDate")} />
        <Field id="rectify-address" label={t.fieldAddress} value={form.address} onChange={set("address")} />
        <FormField>
          <FormLabel htmlFor="rectify-wijk">{t.fieldWijk}</FormLabel>
          <Select id="rectify-wijk" value={form.wijk} onChange={(e) => set("wijk")(e.target.value)}>
            {/* The record's own wijk stays choosable even if the list lacks it. */}
            {!wijken.some((w) => w.code === form.wijk) && <SelectOption value={form.wijk}>{form.wijk}</SelectOption>}
            {wijken.map((w) => (
              <SelectOption key={w.code} value={w.code}>{w.name}</SelectOption>
            ))}
          </Select>
        </FormField>
        <BusyButton type="submit" appearance="primary-action-button" busy={busy}>{t.privacy.rectifySave}</BusyButton>
      </form>
      <div role="status">{notice && <Alert type="ok"><Paragraph>{notice}</Paragraph></Alert>}</div>
      <History items={doc.rectifications} />
    </>
  );
}

// "By whom": the officers' names from the directory, the id where the
// directory no longer lists them.
function History({ items }: { items: Rectification[] }) {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    directory.listPeople({ role: "privacy_officer", pageSize: 100 }).then(
      (r) => setNames(new Map(r.people.map((p) => [p.id, p.displayName]))),
      () => setNames(new Map()),
    );
  }, []);
  return (
    <ListSection id="rectifications" title={t.privacy.historyTitle} count={items.length}>
      <DataTable
        caption={t.privacy.historyTitle}
        columns={[t.privacy.colField, t.privacy.colOld, t.privacy.colNew, t.privacy.colBy, t.privacy.colRequest,
                  t.privacy.colTime]}
      >
        {items.map((h, i) => (
          <TableRow key={i} data-testid="rectification">
            <TableCell>{t.fieldNames[h.field] ?? h.field}</TableCell>
            <TableCell>{h.oldValue}</TableCell>
            <TableCell>{h.newValue}</TableCell>
            <TableCell>{names.get(h.professionalId) ?? h.professionalId}</TableCell>
            <TableCell>{h.requestRef}</TableCell>
            <TableCell>{formatMoment(h.time?.seconds)}</TableCell>
          </TableRow>
        ))}
      </DataTable>
    </ListSection>
  );
}
