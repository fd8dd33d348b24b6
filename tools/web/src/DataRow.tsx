// One "label: value" line of a record's page (NL Design System data list).
import { DataListItem, DataListKey, DataListValue } from "@utrecht/component-library-react";

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
