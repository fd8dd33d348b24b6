// The audit trail's second line against free text: a resource id that is
// not an id of its type's kind is recorded as "[invalid]" (audit/trail.h).
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/audit/trail.h"

namespace schakel::audit {
namespace {

TEST(TrailTest, AResourceIdNotOfItsKindIsRecordedAsInvalid) {
  struct Case {
    const char* type;
    const char* id;
    const char* recorded;
  };
  const Case table[] = {
      {"organisation", "Fatima El Amrani 1985-03-02 depressie", "[invalid]"},
      {"organisation", "woej", "woej"},
      {"resident", "Fatima-El-Amrani", "[invalid]"},
      {"resident", "rabcdefghijklmnop", "rabcdefghijklmnop"},
      {"signal", "rabcdefghijklmnop", "[invalid]"},  // a resident's id as a signal's
      {"signal", "", ""},
      {"grant", "gabcdefghijklmnop", "gabcdefghijklmnop"},
      // Written by the server itself, not checked against an id format.
      {"report", "signals 2026-11 by wijk", "signals 2026-11 by wijk"},
      {"audit", "verify", "verify"},
  };
  for (const Case& c : table) {
    Trail t;
    t.Concerns(c.type, c.id);
    EXPECT_EQ(t.entry.resource_type, c.type);
    EXPECT_EQ(t.entry.resource_id, c.recorded) << c.type << " " << c.id;
  }
}

}  // namespace
}  // namespace schakel::audit
