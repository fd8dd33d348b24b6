// Notes on signals and handovers.
#ifndef SCHAKEL_SERVER_DOMAIN_NOTE_H_
#define SCHAKEL_SERVER_DOMAIN_NOTE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace schakel::domain {

enum class NoteVisibility { kInvolved, kOwnOrganisation, kHealth };
const char* NoteVisibilityName(NoteVisibility v);
bool ParseNoteVisibility(const std::string& name, NoteVisibility* out);

struct Note {
  std::string id;
  std::string parent_id;
  std::string author_id;
  std::string author_organisation_id;
  NoteVisibility visibility = NoteVisibility::kInvolved;
  std::string text;
  absl::Time create_time;
};

struct NewNote {
  std::string request_id;
  std::string parent_id;
  NoteVisibility visibility = NoteVisibility::kInvolved;
  std::string text;
};

// INVALID_ARGUMENT naming the field; `parent_field` names the parent id
// (signal_id, handover_id).
absl::Status ValidateNewNote(const NewNote& n, const char* parent_field);
std::string RequestFingerprint(const NewNote& n);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_NOTE_H_
