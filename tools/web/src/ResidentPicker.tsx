// Finding and registering a resident, in two places: the residents page
// (a found or registered resident opens their page) and the signal form
// (the resident is chosen for the signal). The server decides what is
// found and whether a registration "may already be known"; a match the
// caller may not read is never shown (the server marks a possible
// duplicate for the regisseur instead).
import {
  Alert,
  Button,
  Heading2,
  Heading3,
  Paragraph,
  Select,
  SelectOption,
  UnorderedList,
  UnorderedListItem,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { Link } from "react-router";

import { reference, residents } from "./api";
import { describeError } from "./errors";
import { Field } from "./Field";
import type { Wijk } from "./gen/schakel/v1/reference_pb";
import type { Resident } from "./gen/schakel/v1/residents_pb";
import { RegisterResidentResponse_Outcome } from "./gen/schakel/v1/residents_pb";
import { EmergencyAccessMark } from "./EmergencyAccess";
import { t } from "./messages";
import { formatDate, today } from "./time";
import { useRequestId } from "./requestId";

// With `onChoose`, each resident gets a button that chooses them; without,
// a link to their page.
function ResidentList({ items, onChoose }: { items: Resident[]; onChoose?: (r: Resident) => void }) {
  return (
    <UnorderedList>
      {items.map((r) => (
        <UnorderedListItem key={r.id}>
          {onChoose ? (
            <Button appearance="secondary-action-button" onClick={() => onChoose(r)}
                    aria-label={t.chooseResident(r.name, formatDate(r.birthDate))}>
              {r.name}
            </Button>
          ) : (
            <Link className="utrecht-link utrecht-link--html-a" to={`/inwoners/${r.id}`}>
              {r.name}
            </Link>
          )}{" "}
          ({formatDate(r.birthDate)}, {r.address})
        </UnorderedListItem>
      ))}
    </UnorderedList>
  );
}

// `idPrefix` keeps the element ids unique when the form is used twice.
// `nested` puts the form's heading one level down (inside another section).
type Placement = { idPrefix?: string; nested?: boolean };

export function FindResident({ idPrefix = "find", nested, onChoose }: Placement & { onChoose?: (r: Resident) => void }) {
  const Heading = nested ? Heading3 : Heading2;
  const [name, setName] = useState("");
  const [birthDate, setBirthDate] = useState("");
  const [address, setAddress] = useState("");
  const [found, setFound] = useState<Resident[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setFound((await residents.findResidents({ name, birthDate, address })).residents);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <section aria-labelledby={`${idPrefix}-title`}>
      <Heading id={`${idPrefix}-title`}>{t.findTitle}</Heading>
      <Paragraph>{t.findIntro}</Paragraph>
      <form onSubmit={submit} aria-label={t.findTitle}>
        <Field id={`${idPrefix}-name`} label={t.fieldName} value={name} onChange={setName} required />
        <Field id={`${idPrefix}-birth`} label={t.fieldBirthDate} type="date" value={birthDate} onChange={setBirthDate} />
        <Field id={`${idPrefix}-address`} label={t.fieldAddress} value={address} onChange={setAddress} />
        <Button type="submit" appearance="secondary-action-button">{t.find}</Button>
      </form>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      {found && (
        <>
          <Paragraph role="status">{t.found(found.length)}</Paragraph>
          <EmergencyAccessMark residentIds={found.map((r) => r.id)} />
          <ResidentList items={found} onChoose={onChoose} />
        </>
      )}
    </section>
  );
}

// Registers a resident; when the server answers that she may already be
// known, the matches are shown to choose from (`onChoose`, or links), with
// "register anyway". `onRegistered` gets the new record.
export function RegisterResident({
  idPrefix = "reg",
  nested,
  onRegistered,
  onChoose,
}: Placement & {
  onRegistered: (r: Resident) => void;
  onChoose?: (r: Resident) => void;
}) {
  const Heading = nested ? Heading3 : Heading2;
  const [requestId] = useRequestId();
  const [wijken, setWijken] = useState<Wijk[]>([]);
  const [name, setName] = useState("");
  const [birthDate, setBirthDate] = useState("");
  const [address, setAddress] = useState("");
  const [wijk, setWijk] = useState("");
  const [matches, setMatches] = useState<Resident[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    reference.listWijken({}).then((r) => setWijken(r.wijken), (e) => setError(describeError(e)));
  }, []);
  // "Register anyway" answers the matches of exactly what was sent: an edit
  // asks the server again.
  const edited = (set: (v: string) => void) => (v: string) => {
    set(v);
    setMatches(null);
  };
  const register = async (anyway: boolean) => {
    setError(null);
    try {
      const r = await residents.registerResident({
        requestId: anyway ? `${requestId}-anyway` : requestId,
        name, birthDate, address, wijk, registerAnyway: anyway,
      });
      if (r.outcome === RegisterResidentResponse_Outcome.POSSIBLE_MATCH) {
        setMatches(r.matches);
        return;
      }
      if (r.resident) onRegistered(r.resident);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <section aria-labelledby={`${idPrefix}-title`}>
      <Heading id={`${idPrefix}-title`}>{t.registerTitle}</Heading>
      <form aria-label={t.registerTitle} onSubmit={(e) => { e.preventDefault(); void register(false); }}>
        <Field id={`${idPrefix}-name`} label={t.fieldName} value={name} onChange={edited(setName)} required />
        <Field id={`${idPrefix}-birth`} label={t.fieldBirthDate} type="date" max={today()} value={birthDate}
               onChange={edited(setBirthDate)} required />
        <Field id={`${idPrefix}-address`} label={t.fieldAddress} value={address} onChange={edited(setAddress)} required />
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${idPrefix}-wijk`}>{t.fieldWijk}</label>
          <Select id={`${idPrefix}-wijk`} required value={wijk} onChange={(e) => edited(setWijk)(e.target.value)}>
            <SelectOption value="">{t.choose}</SelectOption>
            {wijken.map((w) => <SelectOption key={w.code} value={w.code}>{w.name}</SelectOption>)}
          </Select>
        </div>
        <Button type="submit" appearance="primary-action-button">{t.register}</Button>
      </form>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      {matches && (
        <Alert type="warning">
          <Paragraph role="alert">{t.possibleMatch}</Paragraph>
          <ResidentList items={matches} onChoose={onChoose} />
          <Button appearance="secondary-action-button" onClick={() => void register(true)}>{t.registerAnyway}</Button>
        </Alert>
      )}
    </section>
  );
}
