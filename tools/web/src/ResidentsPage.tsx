// Find a resident (the folded-name search: the beginnings of the name's
// words with a birth date or part of the address) or register one, with
// the "may already be known" confirmation the server asks for.
import {
  Alert,
  Button,
  Heading1,
  Heading2,
  Paragraph,
  Select,
  SelectOption,
  UnorderedList,
  UnorderedListItem,
} from "@utrecht/component-library-react";
import { useEffect, useMemo, useState } from "react";
import { Link, useNavigate } from "react-router";

import { reference, residents } from "./api";
import { describeError } from "./errors";
import { Field } from "./Field";
import type { Wijk } from "./gen/schakel/v1/reference_pb";
import type { Resident } from "./gen/schakel/v1/residents_pb";
import { RegisterResidentResponse_Outcome } from "./gen/schakel/v1/residents_pb";
import { t } from "./messages";
import { formatDate, today } from "./time";

export function ResidentsPage() {
  return (
    <>
      <Heading1>{t.residentsTitle}</Heading1>
      <FindForm />
      <RegisterForm />
    </>
  );
}

function ResidentList({ items }: { items: Resident[] }) {
  return (
    <UnorderedList>
      {items.map((r) => (
        <UnorderedListItem key={r.id}>
          <Link className="utrecht-link utrecht-link--html-a" to={`/inwoners/${r.id}`}>
            {r.name}
          </Link>{" "}
          ({formatDate(r.birthDate)}, {r.address})
        </UnorderedListItem>
      ))}
    </UnorderedList>
  );
}

function FindForm() {
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
    <section aria-labelledby="find-title">
      <Heading2 id="find-title">{t.findTitle}</Heading2>
      <Paragraph>{t.findIntro}</Paragraph>
      <form onSubmit={submit} aria-label={t.findTitle}>
        <Field id="find-name" label={t.fieldName} value={name} onChange={setName} required />
        <Field id="find-birth" label={t.fieldBirthDate} type="date" value={birthDate} onChange={setBirthDate} />
        <Field id="find-address" label={t.fieldAddress} value={address} onChange={setAddress} />
        <Button type="submit" appearance="secondary-action-button">{t.find}</Button>
      </form>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      {found && (
        <div role="status">
          <Paragraph>{t.found(found.length)}</Paragraph>
          <ResidentList items={found} />
        </div>
      )}
    </section>
  );
}

function RegisterForm() {
  const navigate = useNavigate();
  const requestId = useMemo(() => `console-${crypto.randomUUID()}`, []);
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
      navigate(`/inwoners/${r.id}`);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <section aria-labelledby="register-title">
      <Heading2 id="register-title">{t.registerTitle}</Heading2>
      <form aria-label={t.registerTitle} onSubmit={(e) => { e.preventDefault(); void register(false); }}>
        <Field id="reg-name" label={t.fieldName} value={name} onChange={setName} required />
        <Field id="reg-birth" label={t.fieldBirthDate} type="date" max={today()} value={birthDate} onChange={setBirthDate} required />
        <Field id="reg-address" label={t.fieldAddress} value={address} onChange={setAddress} required />
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="reg-wijk">{t.fieldWijk}</label>
          <Select id="reg-wijk" required value={wijk} onChange={(e) => setWijk(e.target.value)}>
            <SelectOption value="">{t.choose}</SelectOption>
            {wijken.map((w) => <SelectOption key={w.code} value={w.code}>{w.name}</SelectOption>)}
          </Select>
        </div>
        <Button type="submit" appearance="primary-action-button">{t.register}</Button>
      </form>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      {matches && (
        <Alert type="warning" role="alert">
          <Paragraph>{t.possibleMatch}</Paragraph>
          <ResidentList items={matches} />
          <Button appearance="secondary-action-button" onClick={() => void register(true)}>{t.registerAnyway}</Button>
        </Alert>
      )}
    </section>
  );
}
