// The consultant's caseload (/caseload): their own clients or their team's,
// in the server's order (the next measurement due first), and the transfer
// of one consultant's whole caseload to a colleague of the same team, after
// an explicit confirmation.
import {
  Alert,
  Button,
  ButtonGroup,
  FormField,
  FormLabel,
  Heading1,
  Heading2,
  Paragraph,
  Select,
  SelectOption,
} from "@utrecht/component-library-react";
import { useCallback, useEffect, useRef, useState } from "react";

import { directory, trajectories } from "./api";
import { CaseloadTable } from "./CaseloadTable";
import { describeError } from "./errors";
import type { Person, Team } from "./gen/schakel/v1/common_pb";
import type { Trajectory } from "./gen/schakel/v1/trajectories_pb";
import { ListSection } from "./ListSection";
import { Role } from "./gen/schakel/v1/common_pb";
import { hasRole, useMe } from "./Me";
import { t } from "./messages";
import { teamConsultants } from "./participation";
import { BusyButton } from "./BusyButton";

const p = t.participation;
const pageSize = 50;

type Page = { items: Trajectory[]; next: string };

export function CaseloadPage() {
  const me = useMe();
  const [mine, setMine] = useState(true);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The first page again (after a choice or a transfer), or the next one
  // after what is shown: the server's order is kept as it is.
  // Only the latest request's answer is shown: one that arrives after the
  // choice changed again is dropped.
  const latest = useRef(0);
  const load = useCallback(async (after?: Page) => {
    const asked = ++latest.current;
    setBusy(true);
    try {
      const r = await trajectories.listCaseload({ mine, pageSize, pageToken: after?.next ?? "" });
      if (asked !== latest.current) return;
      setPage({ items: [...(after?.items ?? []), ...r.trajectories], next: r.nextPageToken });
      setError(null);
    } catch (e) {
      if (asked === latest.current) setError(describeError(e));
    } finally {
      if (asked === latest.current) setBusy(false);
    }
  }, [mine]);
  useEffect(() => {
    void load();
  }, [load]);

  const caption = mine ? p.caseloadCaptionMine : p.caseloadCaptionTeam;
  return (
    <>
      <Heading1>{t.caseloadTitle}</Heading1>
      <Paragraph>{p.caseloadIntro}</Paragraph>
      <FormField>
        <FormLabel htmlFor="caseload-show">{p.caseloadShow}</FormLabel>
        <Select id="caseload-show" value={mine ? "mine" : "team"} onChange={(e) => { setPage(null); setMine(e.target.value === "mine"); }}>
          <SelectOption value="mine">{p.caseloadMine}</SelectOption>
          <SelectOption value="team">{p.caseloadTeam}</SelectOption>
        </Select>
      </FormField>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      {!error && !page && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
      {page && (
        <ListSection id="caseload" title={caption} count={page.items.length}>
          <CaseloadTable caption={caption} items={page.items} full />
          {page.next && (
            <BusyButton appearance="secondary-action-button" busy={busy} onClick={() => void load(page)}>
              {p.more}
            </BusyButton>
          )}
        </ListSection>
      )}
      {hasRole(me, Role.CONSULTANT) && <TransferCaseload onDone={() => void load()} />}
    </>
  );
}

// Every open trajectory of one consultant to a colleague: both chosen from
// the directory's consultants of one of the caller's teams; nothing moves
// before the professional confirms.
function TransferCaseload({ onDone }: { onDone: () => void }) {
  const me = useMe();
  const organisationId = me.organisation?.id ?? me.professional?.organisationId ?? "";
  const myTeams = me.professional?.teams ?? [];
  const [teams, setTeams] = useState<Team[]>([]);
  const [team, setTeam] = useState(myTeams[0] ?? "");
  const [people, setPeople] = useState<Person[] | null>(null);
  const [from, setFrom] = useState(me.professional?.id ?? "");
  const [to, setTo] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const question = useRef<HTMLParagraphElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);

  useEffect(() => {
    if (myTeams.length > 1) directory.listTeams({ organisationId }).then((r) => setTeams(r.teams), () => setTeams([]));
  }, [organisationId, myTeams.length]);
  useEffect(() => {
    if (!team) return;
    let current = true;
    setPeople(null);
    setError(null);
    teamConsultants(organisationId, team, true).then(
      (got) => current && setPeople(got),
      (e) => current && setError(describeError(e)),
    );
    return () => {
      current = false;
    };
  }, [organisationId, team]);
  // The question takes the focus from the button it replaces, and gives it
  // back once answered.
  useEffect(() => {
    if (confirming) question.current?.focus();
    else if (asked.current) opener.current?.focus();
    asked.current = confirming;
  }, [confirming]);

  const nameOf = (id: string) => people?.find((x) => x.id === id)?.displayName ?? "";
  const label = (x: Person) => (x.disabled ? p.personDisabled(x.displayName) : x.displayName);
  const receivers = (people ?? []).filter((x) => !x.disabled && x.id !== from);

  const transfer = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await trajectories.transferCaseload({ fromConsultantId: from, toConsultantId: to });
      setDone(p.caseloadTransferred(r.transferred, nameOf(from), nameOf(to)));
      setTo("");
      onDone();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section aria-labelledby="transfer-caseload-title">
      <Heading2 id="transfer-caseload-title">{p.transferCaseloadTitle}</Heading2>
      <Paragraph>{p.transferCaseloadIntro}</Paragraph>
      {myTeams.length > 1 && (
        <FormField>
          <FormLabel htmlFor="transfer-team">{p.fieldTeam}</FormLabel>
          <Select id="transfer-team" value={team} disabled={confirming}
                  onChange={(e) => { setTeam(e.target.value); setFrom(me.professional?.id ?? ""); setTo(""); setDone(null); }}>
            {myTeams.map((id) => (
              <SelectOption key={id} value={id}>{teams.find((x) => x.id === id)?.name ?? id}</SelectOption>
            ))}
          </Select>
        </FormField>
      )}
      {people === null ? (
        !error && <Paragraph aria-live="polite">{t.loading}</Paragraph>
      ) : (
        <form
          aria-labelledby="transfer-caseload-title"
          onSubmit={(e) => {
            e.preventDefault();
            setDone(null);
            setConfirming(true);
          }}
        >
          <FormField>
            <FormLabel htmlFor="transfer-from">{p.fieldFrom}</FormLabel>
            <Select id="transfer-from" value={from} disabled={confirming}
                    onChange={(e) => { setFrom(e.target.value); setTo(""); setDone(null); }}>
              {people.map((x) => (
                <SelectOption key={x.id} value={x.id}>{label(x)}</SelectOption>
              ))}
            </Select>
          </FormField>
          {receivers.length === 0 ? (
            <Paragraph>{p.noColleague}</Paragraph>
          ) : (
            <FormField>
              <FormLabel htmlFor="transfer-to">{p.fieldTo}</FormLabel>
              <Select id="transfer-to" required value={to} disabled={confirming}
                      onChange={(e) => { setTo(e.target.value); setDone(null); }}>
                <SelectOption value="">{t.choose}</SelectOption>
                {receivers.map((x) => (
                  <SelectOption key={x.id} value={x.id}>{x.displayName}</SelectOption>
                ))}
              </Select>
            </FormField>
          )}
          {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
          {done && <Alert type="ok" role="status"><Paragraph data-testid="caseload-transferred">{done}</Paragraph></Alert>}
          {confirming ? (
            <div role="group" aria-labelledby="transfer-question">
              <Paragraph id="transfer-question" ref={question} tabIndex={-1}>
                {p.confirmCaseload(nameOf(from), nameOf(to))}
              </Paragraph>
              <ButtonGroup>
                <BusyButton appearance="primary-action-button" busy={busy} onClick={() => void transfer()}>
                  {p.confirmYes}
                </BusyButton>
                <BusyButton appearance="secondary-action-button" busy={busy} onClick={() => setConfirming(false)}>
                  {p.confirmNo}
                </BusyButton>
              </ButtonGroup>
            </div>
          ) : (
            receivers.length > 0 && (
              <Button ref={opener} type="submit" appearance="primary-action-button">{p.transferCaseload}</Button>
            )
          )}
        </form>
      )}
    </section>
  );
}
