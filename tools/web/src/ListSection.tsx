// A titled list on a page with its count ("Signalen (2 items)"), "nothing to
// show" when empty, and the NL Design System table most lists are shown in.
import {
  Heading2,
  Paragraph,
  Table,
  TableBody,
  TableCaption,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from "@utrecht/component-library-react";
import type { ReactNode } from "react";

import { t } from "./messages";

// `id` names the heading (`${id}-title`) and the count (data-testid `${id}-count`).
export function ListSection({ id, title, count, children }: { id: string; title: string; count: number; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <Heading2 id={`${id}-title`}>
        {title} <span data-testid={`${id}-count`}>({t.count(count)})</span>
      </Heading2>
      {count === 0 ? <Paragraph>{t.none}</Paragraph> : children}
    </section>
  );
}

export function DataTable({ caption, columns, children }: { caption: string; columns: string[]; children: ReactNode }) {
  return (
    <Table>
      <TableCaption>{caption}</TableCaption>
      <TableHeader>
        <TableRow>
          {columns.map((c) => <TableHeaderCell key={c} scope="col">{c}</TableHeaderCell>)}
        </TableRow>
      </TableHeader>
      <TableBody>{children}</TableBody>
    </Table>
  );
}
