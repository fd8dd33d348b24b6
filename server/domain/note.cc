#include "server/domain/note.h"

#include "server/common/status_macros.h"
#include "server/domain/directory.h"
#include "server/domain/text.h"

namespace schakel::domain {

const char* NoteVisibilityName(NoteVisibility v) {
  switch (v) {
    case NoteVisibility::kInvolved: return "involved";
    case NoteVisibility::kOwnOrganisation: return "own_organisation";
    case NoteVisibility::kHealth: return "health";
  }
  return "involved";
}

bool ParseNoteVisibility(const std::string& name, NoteVisibility* out) {
  for (NoteVisibility v :
       {NoteVisibility::kInvolved, NoteVisibility::kOwnOrganisation, NoteVisibility::kHealth}) {
    if (name == NoteVisibilityName(v)) {
      *out = v;
      return true;
    }
  }
  return false;
}

absl::Status ValidateNewNote(const NewNote& n, const char* parent_field) {
  RETURN_IF_ERROR(ValidateRequestId("request_id", n.request_id));
  RETURN_IF_ERROR(ValidateId(parent_field, n.parent_id));
  return ValidateText("text", n.text, kMaxDescriptionLength, /*multiline=*/true);
}

std::string RequestFingerprint(const NewNote& n) {
  return CanonicalFields({n.parent_id, NoteVisibilityName(n.visibility), n.text});
}

}  // namespace schakel::domain
