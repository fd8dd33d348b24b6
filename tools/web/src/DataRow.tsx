// One "label: value" line of a record's page (NL Design System data list),
// its value as text or as a link to another page (the resident of a signal).
import { DataListItem, DataListKey, DataListValue } from "@utrecht/component-library-react";
import { Link } from "react-router";

export function DataRow({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <DataListItem>
      <DataListKey>{label}</DataListKey>
      <DataListValue>
        <span data-testid={testId}>{value}</span>
      </DataListValue>
    </DataListItem>
  );
}

export function DataLinkRow({ label, to, text, testId }: { label: string; to: string; text: string; testId?: string }) {
  return (
    <DataListItem>
      <DataListKey>{label}</DataListKey>
      <DataListValue>
        <Link className="utrecht-link utrecht-link--html-a" to={to} data-testid={testId}>
          {text}
        </Link>
      </DataListValue>
    </DataListItem>
  );
}
