// Find a resident (the folded-name search: the beginnings of the name's
// words with a birth date or part of the address) or register one, with
// the "may already be known" confirmation the server asks for; for the
// roles that may open emergency access, the way to a resident by number.
import { Button, Heading1, Heading2, Paragraph } from "@utrecht/component-library-react";
import { useState } from "react";
import { useNavigate } from "react-router";

import { Field } from "./Field";
import { mayBreakGlass } from "./EmergencyAccess";
import { useMe } from "./Me";
import { t } from "./messages";
import { FindResident, RegisterResident } from "./ResidentPicker";

export function ResidentsPage() {
  const navigate = useNavigate();
  const me = useMe();
  return (
    <>
      <Heading1>{t.residentsTitle}</Heading1>
      <FindResident />
      <RegisterResident onRegistered={(r) => navigate(`/inwoners/${r.id}`)} />
      {mayBreakGlass(me) && <ResidentById />}
    </>
  );
}

// A resident the caller cannot find: their page, where emergency access
// can be opened.
function ResidentById() {
  const navigate = useNavigate();
  const [id, setId] = useState("");
  return (
    <section aria-labelledby="by-id-title">
      <Heading2 id="by-id-title">{t.emergency.byIdTitle}</Heading2>
      <Paragraph>{t.emergency.byIdIntro}</Paragraph>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (id.trim()) navigate(`/inwoners/${encodeURIComponent(id.trim())}`);
        }}
      >
        <Field id="resident-id" label={t.emergency.fieldResidentId} value={id} onChange={setId} required />
        <Button type="submit" appearance="secondary-action-button">{t.emergency.goToResident}</Button>
      </form>
    </section>
  );
}
