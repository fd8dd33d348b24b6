// Find a resident (the folded-name search: the beginnings of the name's
// words with a birth date or part of the address) or register one, with
// the "may already be known" confirmation the server asks for.
import { Heading1 } from "@utrecht/component-library-react";
import { useNavigate } from "react-router";

import { t } from "./messages";
import { FindResident, RegisterResident } from "./ResidentPicker";

export function ResidentsPage() {
  const navigate = useNavigate();
  return (
    <>
      <Heading1>{t.residentsTitle}</Heading1>
      <FindResident />
      <RegisterResident onRegistered={(r) => navigate(`/inwoners/${r.id}`)} />
    </>
  );
}
