// One resident as the caller may read them: their details, the signals
// about them the caller may see, and a warm handover proposed from here.
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  Alert,
  Button,
  DataList,
  FormField,
  FormLabel,
  Heading1,
  Heading2,
  Paragraph,
  Select,
  SelectOption,
  Textarea,
  UnorderedList,
  UnorderedListItem,
} from "@utrecht/component-library-react";
import { useEffect, useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { directory, handovers, residents, signals } from "./api";
import { describeError } from "./errors";
import { Field } from "./Field";
import type { Organisation } from "./gen/schakel/v1/common_pb";
import type { LawfulBasisSchema } from "./gen/schakel/v1/handovers_pb";
import type { Resident } from "./gen/schakel/v1/residents_pb";
import type { Signal } from "./gen/schakel/v1/signals_pb";
import { DataRow } from "./DataRow";
import { t } from "./messages";
import { signalStatusLabel } from "./SignalPage";
import { formatDate, today } from "./time";

export function ResidentPage() {
  const { id = "" } = useParams();
  const [r, setR] = useState<Resident | null>(null);
  const [list, setList] = useState<Signal[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    residents.getResident({ id }).then(setR, (e) => setError(describeError(e)));
    signals.listSignals({ residentId: id, pageSize: 50 }).then((l) => setList(l.signals), () => setList([]));
  }, [id]);
  if (error) return <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>;
  if (!r) return <Paragraph aria-live="polite">{t.loading}</Paragraph>;
  return (
    <>
      <Heading1>{t.residentTitle}</Heading1>
      <DataList>
        <DataRow label={t.fieldName} value={r.name} />
        <DataRow label={t.fieldBirthDate} value={formatDate(r.birthDate)} />
        <DataRow label={t.fieldAddress} value={r.address} />
        <DataRow label={t.wijk} value={r.wijk} />
      </DataList>
      <section aria-labelledby="resident-signals">
        <Heading2 id="resident-signals">{t.residentSignals}</Heading2>
        {list.length === 0 ? (
          <Paragraph>{t.none}</Paragraph>
        ) : (
          <UnorderedList>
            {list.map((s) => (
              <UnorderedListItem key={s.id}>
                <Link className="utrecht-link utrecht-link--html-a" to={`/signalen/${s.id}`}>{s.category}</Link>{" "}
                ({signalStatusLabel(s.status)})
              </UnorderedListItem>
            ))}
          </UnorderedList>
        )}
      </section>
      <ProposeForm residentId={r.id} />
    </>
  );
}


type BasisKind = "consent" | "legalTask" | "vitalInterest";

function ProposeForm({ residentId }: { residentId: string }) {
  const navigate = useNavigate();
  const requestId = useMemo(() => `console-${crypto.randomUUID()}`, []);
  const [orgs, setOrgs] = useState<Organisation[]>([]);
  const [to, setTo] = useState("");
  const [reason, setReason] = useState("");
  const [kind, setKind] = useState<BasisKind>("consent");
  const [note, setNote] = useState("");
  const [consentDate, setConsentDate] = useState(today());
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    directory.listOrganisations({ pageSize: 100 }).then((r) => setOrgs(r.organisations), (e) => setError(describeError(e)));
  }, []);
  const basis = (): MessageInitShape<typeof LawfulBasisSchema> => {
    if (kind === "consent") return { basis: { case: "consent", value: { date: consentDate, covers: note } } };
    if (kind === "legalTask") return { basis: { case: "legalTask", value: { reference: note } } };
    return { basis: { case: "vitalInterest", value: { reason: note } } };
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const h = await handovers.proposeHandover({
        requestId, residentId, toOrganisationId: to, reason, basis: basis(),
      });
      navigate(`/overdrachten/${h.id}`);
    } catch (err) {
      setError(describeError(err));
    }
  };
  const noteLabel =
    kind === "consent" ? t.fieldBasisNoteConsent : kind === "legalTask" ? t.fieldBasisNoteLegalTask : t.fieldBasisNoteVital;
  return (
    <section aria-labelledby="propose-title">
      <Heading2 id="propose-title">{t.proposeTitle}</Heading2>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      <form aria-label={t.proposeTitle} onSubmit={submit}>
        <FormField>
          <FormLabel htmlFor="to">{t.fieldToOrganisation}</FormLabel>
          <Select id="to" required value={to} onChange={(e) => setTo(e.target.value)}>
            <SelectOption value="">{t.choose}</SelectOption>
            {orgs.map((o) => <SelectOption key={o.id} value={o.id}>{o.name}</SelectOption>)}
          </Select>
        </FormField>
        <FormField>
          <FormLabel htmlFor="propose-reason">{t.fieldReason}</FormLabel>
          <Paragraph small id="propose-reason-hint">{t.fieldReasonHint}</Paragraph>
          <Textarea id="propose-reason" aria-describedby="propose-reason-hint" required value={reason}
                    onChange={(e) => setReason(e.target.value)} />
        </FormField>
        <FormField>
          <FormLabel htmlFor="basis">{t.fieldBasis}</FormLabel>
          <Select id="basis" value={kind} onChange={(e) => setKind(e.target.value as BasisKind)}>
            <SelectOption value="consent">{t.basisConsent}</SelectOption>
            <SelectOption value="legalTask">{t.basisLegalTask}</SelectOption>
            <SelectOption value="vitalInterest">{t.basisVitalInterest}</SelectOption>
          </Select>
        </FormField>
        {kind === "consent" && (
          <Field id="consent-date" label={t.fieldConsentDate} type="date" max={today()} value={consentDate} onChange={setConsentDate} />
        )}
        <FormField>
          <FormLabel htmlFor="basis-note">{noteLabel}</FormLabel>
          <Textarea id="basis-note" required value={note} onChange={(e) => setNote(e.target.value)} />
        </FormField>
        <Button type="submit" appearance="primary-action-button">{t.propose}</Button>
      </form>
    </section>
  );
}
