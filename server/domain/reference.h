// The reference data as the API hands it out (ReferenceService): the seeded
// taxonomy read from the store, and the fixed vocabularies, which live here
// and nowhere else as data — each term's code is the word the domain's own
// Name function gives (one source), with its Dutch and English labels.
// Pure code.
#ifndef SCHAKEL_SERVER_DOMAIN_REFERENCE_H_
#define SCHAKEL_SERVER_DOMAIN_REFERENCE_H_

#include <string>
#include <vector>

#include "server/domain/seed.h"

namespace schakel::domain {

// An opgave with its doelen, ordered by number.
struct OpgaveWithDoelen {
  Opgave opgave;
  std::vector<Doel> doelen;
};

struct VocabularyTerm {
  // The word the API uses, e.g. "legal_task"; for a ladder rung its number.
  std::string code;
  // The rung of a ladder term; 0 for every other vocabulary.
  int rung = 0;
  std::string label_nl;
  std::string label_en;
};

struct Vocabulary {
  // e.g. "lawful_basis" (kVocabularyNames).
  std::string name;
  // In the order of the domain's enum (which is the API's).
  std::vector<VocabularyTerm> terms;
};

// The names of the fixed vocabularies, in the order FixedVocabularies
// gives them.
inline constexpr const char* kVocabularyNames[] = {
    "lawful_basis",  "handover_outcome", "handover_status", "signal_status",
    "urgency",       "note_visibility",  "ladder_rung",     "step_type",
    "step_status",   "trajectory_status", "sensitivity",    "role",
};

// Every fixed vocabulary, built once (thread-safe, never freed).
const std::vector<Vocabulary>& FixedVocabularies();

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_REFERENCE_H_
