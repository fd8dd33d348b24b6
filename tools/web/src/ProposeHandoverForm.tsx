// Propose a warm handover of a resident, from their page or from a signal
// about them: the receiving organisation and (optionally) its team from the
// directory, the reason, and the lawful basis with its note. Which
// organisations and teams exist, the directory says; whether the caller may
// propose, the server decides.
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  Alert,
  FormField,
  FormLabel,
  Heading2,
  Paragraph,
  Select,
  SelectOption,
  Textarea,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";

import { directory, handovers } from "./api";
import { describeError } from "./errors";
import { Field } from "./Field";
import type { Organisation, Team } from "./gen/schakel/v1/common_pb";
import type { LawfulBasisSchema } from "./gen/schakel/v1/handovers_pb";
import { useMe } from "./Me";
import { t } from "./messages";
import { today } from "./time";
import { useRequestId } from "./requestId";
import { BusyButton } from "./BusyButton";

type BasisKind = "consent" | "legalTask" | "vitalInterest";

export function ProposeHandoverForm({ residentId, signalId = "" }: { residentId: string; signalId?: string }) {
  const me = useMe();
  const myTeams = me.professional?.teams ?? [];
  const navigate = useNavigate();
  const [requestId] = useRequestId();
  const [orgs, setOrgs] = useState<Organisation[]>([]);
  const [to, setTo] = useState("");
  const [teams, setTeams] = useState<Team[]>([]);
  const [toTeam, setToTeam] = useState("");
  const [fromTeam, setFromTeam] = useState(myTeams.length === 1 ? myTeams[0] : "");
  const [reason, setReason] = useState("");
  const [kind, setKind] = useState<BasisKind>("consent");
  const [note, setNote] = useState("");
  const [consentDate, setConsentDate] = useState(today());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    directory.listOrganisations({ pageSize: 100 }).then((r) => setOrgs(r.organisations), (e) => setError(describeError(e)));
  }, []);
  // The receiving organisation's teams; one team needs no choice. An answer
  // for an organisation chosen before is dropped.
  useEffect(() => {
    setToTeam("");
    setTeams([]);
    if (!to) return;
    let current = true;
    directory.listTeams({ organisationId: to }).then(
      (r) => current && setTeams(r.teams),
      (e) => current && setError(describeError(e)),
    );
    return () => {
      current = false;
    };
  }, [to]);
  // Within the caller's own organisation a handover goes to another team
  // than the sending one.
  const own = to === me.professional?.organisationId;
  const receiving = teams.filter((tm) => !tm.intake && !(own && tm.id === fromTeam));
  const basis = (): MessageInitShape<typeof LawfulBasisSchema> => {
    if (kind === "consent") return { basis: { case: "consent", value: { date: consentDate, covers: note } } };
    if (kind === "legalTask") return { basis: { case: "legalTask", value: { reference: note } } };
    return { basis: { case: "vitalInterest", value: { reason: note } } };
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const h = await handovers.proposeHandover({
        requestId, residentId, signalId, toOrganisationId: to, toTeam, team: fromTeam, reason, basis: basis(),
      });
      navigate(`/overdrachten/${h.id}`);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
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
        {receiving.length > 0 && (
          <FormField>
            <FormLabel htmlFor="to-team">{t.fieldToTeam}</FormLabel>
            <Paragraph small id="to-team-hint">{t.fieldToTeamHint}</Paragraph>
            <Select id="to-team" aria-describedby="to-team-hint" value={toTeam} onChange={(e) => setToTeam(e.target.value)}>
              <SelectOption value="">{t.intakeTeam}</SelectOption>
              {receiving.map((tm) => <SelectOption key={tm.id} value={tm.id}>{tm.name}</SelectOption>)}
            </Select>
          </FormField>
        )}
        {myTeams.length > 1 && (
          <FormField>
            <FormLabel htmlFor="from-team">{t.fieldFromTeam}</FormLabel>
            <Select id="from-team" required value={fromTeam} onChange={(e) => setFromTeam(e.target.value)}>
              <SelectOption value="">{t.choose}</SelectOption>
              {myTeams.map((tm) => <SelectOption key={tm} value={tm}>{tm}</SelectOption>)}
            </Select>
          </FormField>
        )}
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
        <BusyButton type="submit" appearance="primary-action-button" busy={busy}>{t.propose}</BusyButton>
      </form>
    </section>
  );
}
