// Notes are part of their parent's aggregate (signal_notes belong to the
// signal store, handover_notes to the handover store); the two tables have
// one shape, read and written here.
#ifndef SCHAKEL_SERVER_STORE_NOTE_ROWS_H_
#define SCHAKEL_SERVER_STORE_NOTE_ROWS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/note.h"
#include "server/store/database.h"

namespace schakel::store {

// The note tables: signal_notes(signal_id) and handover_notes(handover_id).
enum class NoteTable { kSignal, kHandover };

absl::Status InsertNote(Connection& c, NoteTable table, const domain::Note& note);
absl::StatusOr<std::optional<domain::Note>> ReadNote(Connection& c, NoteTable table,
                                                     const std::string& id);
// Every note of one parent, in the order written.
absl::StatusOr<std::vector<domain::Note>> ReadNotes(Connection& c, NoteTable table,
                                                    const std::string& parent_id);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_NOTE_ROWS_H_
