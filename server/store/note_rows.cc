#include "server/store/note_rows.h"

#include "server/common/status_macros.h"

namespace schakel::store {
namespace {

struct Sql {
  const char* text_column;  // the note text's seal context
  const char* insert;
  const char* by_id;
  const char* by_parent;
};

const Sql& For(NoteTable table) {
  static const Sql kSignal{
      "signal_notes.text",
      "INSERT INTO signal_notes (id, signal_id, author_id, author_org, visibility, text,"
      " create_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "SELECT id, signal_id, author_id, author_org, visibility, text, create_time"
      " FROM signal_notes WHERE id = ?1",
      "SELECT id, signal_id, author_id, author_org, visibility, text, create_time"
      " FROM signal_notes WHERE signal_id = ?1 ORDER BY seq"};
  static const Sql kHandover{
      "handover_notes.text",
      "INSERT INTO handover_notes (id, handover_id, author_id, author_org, visibility, text,"
      " create_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "SELECT id, handover_id, author_id, author_org, visibility, text, create_time"
      " FROM handover_notes WHERE id = ?1",
      "SELECT id, handover_id, author_id, author_org, visibility, text, create_time"
      " FROM handover_notes WHERE handover_id = ?1 ORDER BY seq"};
  return table == NoteTable::kSignal ? kSignal : kHandover;
}

domain::Note FromRow(const Statement& st, NoteTable table) {
  domain::Note n;
  n.id = st.ColumnText(0);
  n.parent_id = st.ColumnText(1);
  n.author_id = st.ColumnText(2);
  n.author_organisation_id = st.ColumnText(3);
  // An unknown visibility is read as the strictest.
  if (!domain::ParseNoteVisibility(st.ColumnText(4), &n.visibility)) {
    n.visibility = domain::NoteVisibility::kHealth;
  }
  n.text = st.ColumnSealed(5, SealContext(For(table).text_column, n.id));
  n.create_time = st.ColumnTime(6);
  return n;
}

}  // namespace

absl::Status InsertNote(Connection& c, NoteTable table, const domain::Note& n) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(For(table).insert, "insert note"));
  st.Bind(1, n.id).Bind(2, n.parent_id).Bind(3, n.author_id).Bind(4, n.author_organisation_id);
  st.Bind(5, domain::NoteVisibilityName(n.visibility));
  st.BindSealed(6, SealContext(For(table).text_column, n.id), n.text).BindTime(7, n.create_time);
  return st.Run();
}

absl::StatusOr<std::optional<domain::Note>> ReadNote(Connection& c, NoteTable table,
                                                     const std::string& id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(For(table).by_id, "read note"));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<domain::Note>();
  return std::optional<domain::Note>(FromRow(st, table));
}

absl::StatusOr<std::vector<domain::Note>> ReadNotes(Connection& c, NoteTable table,
                                                    const std::string& parent_id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(For(table).by_parent, "read notes"));
  st.Bind(1, parent_id);
  std::vector<domain::Note> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(FromRow(st, table));
  }
  return out;
}

}  // namespace schakel::store
