#include "server/store/migrations.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace schakel::store {
namespace {

// Times are microseconds since the Unix epoch (UTC). Tables are never
// changed in place: a new number is appended.
constexpr const char* kMigrations[] = {
    // 1: reference data and the directory.
    R"sql(
CREATE TABLE opgaven (
  code TEXT PRIMARY KEY,
  label_nl TEXT NOT NULL,
  label_en TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE doelen (
  opgave TEXT NOT NULL REFERENCES opgaven(code),
  number INTEGER NOT NULL,
  label_nl TEXT NOT NULL,
  label_en TEXT NOT NULL,
  PRIMARY KEY (opgave, number)
) WITHOUT ROWID;
CREATE TABLE wijken (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE signal_categories (
  code TEXT PRIMARY KEY,
  label_nl TEXT NOT NULL,
  label_en TEXT NOT NULL,
  opgave TEXT NOT NULL REFERENCES opgaven(code),
  sensitivity TEXT NOT NULL CHECK (sensitivity IN ('normal', 'sensitive', 'health', 'justice'))
) WITHOUT ROWID;
CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  sector TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE organisation_opgaven (
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  opgave TEXT NOT NULL REFERENCES opgaven(code),
  PRIMARY KEY (organisation_id, opgave)
) WITHOUT ROWID;
CREATE TABLE professionals (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  display_name TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  create_time INTEGER NOT NULL,
  request_id TEXT UNIQUE,
  request_hash TEXT
);
CREATE INDEX professionals_by_organisation ON professionals(organisation_id, id);
CREATE TABLE professional_roles (
  professional_id TEXT NOT NULL REFERENCES professionals(id),
  role TEXT NOT NULL,
  PRIMARY KEY (professional_id, role)
) WITHOUT ROWID;
CREATE TABLE certificates (
  fingerprint TEXT PRIMARY KEY,
  serial TEXT NOT NULL UNIQUE,
  professional_id TEXT NOT NULL REFERENCES professionals(id),
  not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  issue_time INTEGER NOT NULL,
  revoke_time INTEGER,
  pem TEXT NOT NULL
);
CREATE INDEX certificates_by_professional ON certificates(professional_id);
)sql",
};

constexpr int kCount = sizeof(kMigrations) / sizeof(kMigrations[0]);

}  // namespace

int LatestSchemaVersion() { return kCount; }

absl::Status ApplyMigrations(Database& db) {
  ASSIGN_OR_RETURN(int version, db.SchemaVersion());
  if (version > kCount) {
    return absl::FailedPreconditionError(
        absl::StrCat("the database has schema version ", version, "; this binary knows up to ",
                     kCount, " (run a newer schakeld)"));
  }
  for (int next = version + 1; next <= kCount; ++next) {
    RETURN_IF_ERROR(db.Write([&](Connection& c) -> absl::Status {
      RETURN_IF_ERROR(c.Exec(kMigrations[next - 1], absl::StrCat("migration ", next)));
      return c.Exec(absl::StrCat("PRAGMA user_version = ", next, ";"),
                    absl::StrCat("migration ", next, " version"));
    }));
  }
  return absl::OkStatus();
}

}  // namespace schakel::store
