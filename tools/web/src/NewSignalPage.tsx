// Record a signal: the taxonomy grouped by opgave with Dutch labels, the
// wijk, the place, what was noticed and its urgency, and optionally the
// resident it is about, found or registered in the same flow. The request
// id is made once per form, so a retry after a lost answer never records
// it twice.
import {
  Alert,
  Button,
  FormField,
  FormLabel,
  Heading1,
  Heading2,
  Paragraph,
  Select,
  SelectOption,
  Textarea,
  Textbox,
} from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";
import { useNavigate } from "react-router";

import { reference, signals } from "./api";
import { describeError } from "./errors";
import type { Opgave, SignalCategory, Wijk } from "./gen/schakel/v1/reference_pb";
import type { Resident } from "./gen/schakel/v1/residents_pb";
import { Urgency } from "./gen/schakel/v1/signals_pb";
import { t } from "./messages";
import { FindResident, RegisterResident } from "./ResidentPicker";
import { formatDate } from "./time";
import { useRequestId } from "./requestId";
import { BusyButton } from "./BusyButton";

export function NewSignalPage() {
  const navigate = useNavigate();
  const [requestId] = useRequestId();
  const [opgaven, setOpgaven] = useState<Opgave[]>([]);
  const [categories, setCategories] = useState<SignalCategory[]>([]);
  const [wijken, setWijken] = useState<Wijk[]>([]);
  const [category, setCategory] = useState("");
  const [wijk, setWijk] = useState("");
  const [place, setPlace] = useState("");
  const [description, setDescription] = useState("");
  const [urgency, setUrgency] = useState<Urgency>(Urgency.NORMAL);
  const [resident, setResident] = useState<Resident | null>(null);
  // Choosing or clearing the resident replaces the controls that had the
  // focus: it moves to what took their place.
  const chosenRef = useRef<HTMLSpanElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    if (resident) chosenRef.current?.focus();
    else document.getElementById("signal-find-name")?.focus();
  }, [resident]);
  const choose = (r: Resident | null) => {
    moved.current = true;
    setResident(r);
  };
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    Promise.all([reference.listOpgaven({}), reference.listCategories({}), reference.listWijken({})]).then(
      ([o, c, w]) => {
        setOpgaven(o.opgaven);
        setCategories(c.categories);
        setWijken(w.wijken);
      },
      (e) => setError(describeError(e)),
    );
  }, []);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await signals.createSignal({
        requestId, category, wijk, place, description, urgency, residentId: resident?.id ?? "",
      });
      navigate(`/signalen/${created.id}`, { state: { created: true } });
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Heading1>{t.newSignalTitle}</Heading1>
      <Paragraph>{t.newSignalIntro}</Paragraph>
      {error && (
        <Alert type="error" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      <section aria-labelledby="signal-resident-title">
        <Heading2 id="signal-resident-title">{t.signalResidentTitle}</Heading2>
        {resident ? (
          <Paragraph>
            <span data-testid="chosen-resident" ref={chosenRef} tabIndex={-1}>{t.signalResidentChosen(resident.name, formatDate(resident.birthDate))}</span>{" "}
            <Button appearance="subtle-button" onClick={() => choose(null)}>{t.signalResidentClear}</Button>
          </Paragraph>
        ) : (
          <>
            <Paragraph>{t.signalResidentIntro}</Paragraph>
            <FindResident idPrefix="signal-find" nested onChoose={choose} />
            <RegisterResident idPrefix="signal-reg" nested onRegistered={choose} onChoose={choose} />
          </>
        )}
      </section>
      <Heading2 id="signal-form-title">{t.signalFormTitle}</Heading2>
      <form onSubmit={submit} aria-labelledby="signal-form-title">
        <FormField>
          <FormLabel htmlFor="category">{t.fieldCategory}</FormLabel>
          <Select id="category" required value={category} onChange={(e) => setCategory(e.target.value)}>
            <SelectOption value="">{t.choose}</SelectOption>
            {opgaven.map((o) => (
              <optgroup key={o.code} label={o.labelNl}>
                {categories
                  .filter((c) => c.opgave === o.code)
                  .map((c) => (
                    <SelectOption key={c.code} value={c.code}>
                      {c.labelNl}
                    </SelectOption>
                  ))}
              </optgroup>
            ))}
          </Select>
        </FormField>
        <FormField>
          <FormLabel htmlFor="wijk">{t.fieldWijk}</FormLabel>
          <Select id="wijk" required value={wijk} onChange={(e) => setWijk(e.target.value)}>
            <SelectOption value="">{t.choose}</SelectOption>
            {wijken.map((w) => (
              <SelectOption key={w.code} value={w.code}>
                {w.name}
              </SelectOption>
            ))}
          </Select>
        </FormField>
        <FormField>
          <FormLabel htmlFor="place">{t.fieldPlace}</FormLabel>
          <Paragraph small id="place-hint">{t.fieldPlaceHint}</Paragraph>
          <Textbox id="place" aria-describedby="place-hint" required value={place} onChange={(e) => setPlace(e.target.value)} />
        </FormField>
        <FormField>
          <FormLabel htmlFor="description">{t.fieldDescription}</FormLabel>
          <Textarea id="description" required value={description} onChange={(e) => setDescription(e.target.value)} />
        </FormField>
        <FormField>
          <FormLabel htmlFor="urgency">{t.fieldUrgency}</FormLabel>
          <Select id="urgency" value={String(urgency)} onChange={(e) => setUrgency(Number(e.target.value))}>
            {[Urgency.LOW, Urgency.NORMAL, Urgency.HIGH, Urgency.ACUTE].map((u) => (
              <SelectOption key={u} value={String(u)}>
                {t.urgencies[`URGENCY_${Urgency[u]}`]}
              </SelectOption>
            ))}
          </Select>
        </FormField>
        <BusyButton type="submit" appearance="primary-action-button" busy={busy}>
          {t.save}
        </BusyButton>
      </form>
    </>
  );
}
