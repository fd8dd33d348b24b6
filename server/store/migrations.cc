#include "server/store/migrations.h"

#include <algorithm>

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
    // 2: residents, signals, handovers, notes, idempotent creates.
    R"sql(
CREATE TABLE create_requests (
  professional_id TEXT NOT NULL,
  method TEXT NOT NULL,
  request_id TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (professional_id, method, request_id)
) WITHOUT ROWID;
CREATE TABLE residents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  address TEXT NOT NULL,
  wijk TEXT NOT NULL REFERENCES wijken(code),
  create_time INTEGER NOT NULL,
  duplicate_of TEXT REFERENCES residents(id),
  merged_into TEXT REFERENCES residents(id)
);
CREATE INDEX residents_by_name ON residents(name_key, birth_date);
CREATE INDEX residents_by_duplicate ON residents(duplicate_of);
CREATE TABLE resident_registrations (
  resident_id TEXT NOT NULL REFERENCES residents(id),
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  professional_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (resident_id, organisation_id, professional_id)
) WITHOUT ROWID;
CREATE INDEX registrations_by_organisation ON resident_registrations(organisation_id, resident_id);
CREATE TABLE signals (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL REFERENCES signal_categories(code),
  opgave TEXT NOT NULL,
  sensitivity TEXT NOT NULL,
  wijk TEXT NOT NULL REFERENCES wijken(code),
  place TEXT NOT NULL,
  description TEXT NOT NULL,
  resident_id TEXT REFERENCES residents(id),
  urgency TEXT NOT NULL,
  owner_org TEXT REFERENCES organisations(id),
  status TEXT NOT NULL,
  author_id TEXT NOT NULL,
  author_org TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX signals_by_resident ON signals(resident_id);
CREATE INDEX signals_by_author_org ON signals(author_org, seq);
CREATE INDEX signals_by_owner_org ON signals(owner_org, seq);
CREATE TABLE signal_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  signal_id TEXT NOT NULL REFERENCES signals(id),
  time INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  actor_org TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  owner_org TEXT,
  note_id TEXT,
  handover_id TEXT
);
CREATE INDEX signal_events_by_signal ON signal_events(signal_id, seq);
CREATE TABLE signal_notes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  signal_id TEXT NOT NULL REFERENCES signals(id),
  author_id TEXT NOT NULL,
  author_org TEXT NOT NULL,
  visibility TEXT NOT NULL,
  text TEXT NOT NULL,
  create_time INTEGER NOT NULL
);
CREATE INDEX signal_notes_by_signal ON signal_notes(signal_id, seq);
CREATE TABLE handovers (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  resident_id TEXT NOT NULL REFERENCES residents(id),
  from_org TEXT NOT NULL REFERENCES organisations(id),
  sender_id TEXT NOT NULL,
  to_org TEXT NOT NULL REFERENCES organisations(id),
  receiver_id TEXT,
  reason TEXT NOT NULL,
  signal_id TEXT REFERENCES signals(id),
  basis_kind TEXT NOT NULL,
  consent_date TEXT,
  consent_covers TEXT,
  consent_recorded_by TEXT,
  legal_reference TEXT,
  vital_reason TEXT,
  deadline TEXT NOT NULL,
  status TEXT NOT NULL,
  decline_reason TEXT,
  cancel_reason TEXT,
  introduced_date TEXT,
  introduced_with TEXT,
  outcome TEXT,
  outcome_text TEXT,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX handovers_inbox ON handovers(to_org, deadline, seq);
CREATE INDEX handovers_outbox ON handovers(from_org, deadline, seq);
CREATE INDEX handovers_by_resident ON handovers(resident_id);
CREATE INDEX handovers_by_status ON handovers(status, deadline);
CREATE TABLE handover_notes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  handover_id TEXT NOT NULL REFERENCES handovers(id),
  author_id TEXT NOT NULL,
  author_org TEXT NOT NULL,
  visibility TEXT NOT NULL,
  text TEXT NOT NULL,
  create_time INTEGER NOT NULL
);
CREATE INDEX handover_notes_by_handover ON handover_notes(handover_id, seq);
)sql",
    // 3: the audit log (server/audit/FORMAT.md) and break-glass sessions.
    R"sql(
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  professional_id TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  roles TEXT NOT NULL,
  certificate TEXT NOT NULL,
  action TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  residents TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  purpose TEXT NOT NULL,
  break_glass INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  peer TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_professional ON audit_log(professional_id, seq);
CREATE INDEX audit_by_organisation ON audit_log(organisation_id, seq);
CREATE INDEX audit_by_time ON audit_log(time);
CREATE TABLE audit_residents (
  resident_id TEXT NOT NULL,
  seq INTEGER NOT NULL REFERENCES audit_log(seq),
  PRIMARY KEY (resident_id, seq)
) WITHOUT ROWID;
CREATE TABLE breakglass_sessions (
  id TEXT PRIMARY KEY,
  professional_id TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  resident_id TEXT NOT NULL REFERENCES residents(id),
  reason TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL
);
CREATE INDEX breakglass_by_professional ON breakglass_sessions(professional_id, end_time);
)sql",
    // 4: participation trajectories.
    R"sql(
CREATE TABLE trajectories (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  resident_id TEXT NOT NULL REFERENCES residents(id),
  consultant_id TEXT NOT NULL,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  start_date TEXT NOT NULL,
  bijstand_since TEXT,
  goal TEXT NOT NULL,
  status TEXT NOT NULL,
  close_reason TEXT,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX trajectories_by_organisation ON trajectories(organisation_id, status);
CREATE INDEX trajectories_by_resident ON trajectories(resident_id);
CREATE INDEX trajectories_by_consultant ON trajectories(consultant_id, status);
CREATE TABLE ladder_measurements (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  trajectory_id TEXT NOT NULL REFERENCES trajectories(id),
  date TEXT NOT NULL,
  rung INTEGER NOT NULL CHECK (rung BETWEEN 1 AND 6),
  note TEXT NOT NULL,
  measured_by TEXT NOT NULL,
  create_time INTEGER NOT NULL
);
CREATE INDEX measurements_by_trajectory ON ladder_measurements(trajectory_id, date, seq);
CREATE TABLE trajectory_steps (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  trajectory_id TEXT NOT NULL REFERENCES trajectories(id),
  type TEXT NOT NULL,
  description TEXT NOT NULL,
  status TEXT NOT NULL,
  planned_date TEXT,
  start_date TEXT,
  end_date TEXT,
  handover_id TEXT REFERENCES handovers(id),
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
);
CREATE INDEX steps_by_trajectory ON trajectory_steps(trajectory_id, seq);
)sql",
    // 5: the health probe's one row, rewritten by every probe write.
    R"sql(
CREATE TABLE health_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  probe_time INTEGER NOT NULL
);
INSERT INTO health_probe (id, probe_time) VALUES (1, 0);
)sql",
    // 6: status histories of handovers and trajectories, for the programme
    // monitor (report_store.cc). Triggers write them inside the transaction
    // of every change, whichever store path makes it. Rows from before this
    // migration get what is known: a handover's proposal, a closed
    // trajectory's last update as its closing time.
    R"sql(
CREATE TABLE handover_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  handover_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL
);
CREATE INDEX handover_events_by_time ON handover_events(time);
CREATE INDEX signals_by_create_time ON signals(create_time);
CREATE INDEX signal_events_by_time ON signal_events(time);
CREATE INDEX handover_events_by_handover ON handover_events(handover_id, seq);
CREATE TRIGGER handover_proposed AFTER INSERT ON handovers BEGIN
  INSERT INTO handover_events (handover_id, time, from_status, to_status)
  VALUES (NEW.id, NEW.create_time, NULL, NEW.status);
END;
CREATE TRIGGER handover_status_changed AFTER UPDATE OF status ON handovers
WHEN OLD.status <> NEW.status BEGIN
  INSERT INTO handover_events (handover_id, time, from_status, to_status)
  VALUES (NEW.id, NEW.update_time, OLD.status, NEW.status);
END;
INSERT INTO handover_events (handover_id, time, from_status, to_status)
  SELECT id, create_time, NULL, 'proposed' FROM handovers ORDER BY seq;
CREATE TABLE trajectory_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  trajectory_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL
);
CREATE INDEX trajectory_events_by_trajectory ON trajectory_events(trajectory_id, seq);
CREATE TRIGGER trajectory_status_changed AFTER UPDATE OF status ON trajectories
WHEN OLD.status <> NEW.status BEGIN
  INSERT INTO trajectory_events (trajectory_id, time, from_status, to_status)
  VALUES (NEW.id, NEW.update_time, OLD.status, NEW.status);
END;
INSERT INTO trajectory_events (trajectory_id, time, from_status, to_status)
  SELECT id, update_time, NULL, 'closed' FROM trajectories WHERE status = 'closed' ORDER BY seq;
)sql",
    // 7: residents' rights and retention: the privacy officer's request
    // reference on audit entries, the anchor a purged chain starts from,
    // erased residents, legal holds and the rectification history.
    R"sql(
ALTER TABLE audit_log ADD COLUMN privacy_request TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_anchor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  head TEXT NOT NULL,
  time INTEGER NOT NULL,
  signature TEXT NOT NULL
);
ALTER TABLE residents ADD COLUMN erase_time INTEGER;
CREATE TABLE legal_holds (
  resident_id TEXT PRIMARY KEY REFERENCES residents(id),
  request_ref TEXT NOT NULL,
  professional_id TEXT NOT NULL,
  create_time INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE rectifications (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  resident_id TEXT NOT NULL REFERENCES residents(id),
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  professional_id TEXT NOT NULL,
  request_ref TEXT NOT NULL,
  time INTEGER NOT NULL
);
CREATE INDEX rectifications_by_resident ON rectifications(resident_id, seq);
)sql",
    // 8: indexes for deletes. With foreign keys on, deleting a parent row
    // looks up its children; without these, every purged audit entry,
    // signal or handover scanned a whole child table inside the one write
    // transaction. The last one finds closed signals past retention.
    R"sql(
CREATE INDEX audit_residents_by_seq ON audit_residents(seq);
CREATE INDEX handovers_by_signal ON handovers(signal_id);
CREATE INDEX steps_by_handover ON trajectory_steps(handover_id);
CREATE INDEX signals_by_status ON signals(status, update_time);
)sql",
    // 9: dual control and enrollment (design.md, "Granting access"). A
    // grant is a request for roles that a second administrator approves or
    // refuses; professional_roles holds only approved roles. Roles that
    // existed before this migration were given without dual control: each
    // professional gets one approved grant recording them, decided by
    // "migration-9", so that the history starts complete. Enrollment codes
    // are kept as SHA-256 hashes only. A renewed certificate names the one
    // it replaces, which is revoked when the new one is first used.
    R"sql(
CREATE TABLE grants (
  id TEXT PRIMARY KEY,
  professional_id TEXT NOT NULL REFERENCES professionals(id),
  organisation_id TEXT NOT NULL,
  team TEXT NOT NULL DEFAULT '',
  roles TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
  requested_by TEXT NOT NULL,
  request_time INTEGER NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decide_time INTEGER,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX grants_by_professional ON grants(professional_id, request_time);
CREATE INDEX grants_by_status ON grants(status, request_time);
INSERT INTO grants (id, professional_id, organisation_id, roles, status, requested_by,
                    request_time, decided_by, decide_time)
  SELECT 'g-m9-' || p.id, p.id, p.organisation_id,
         (SELECT group_concat(role, ',') FROM
            (SELECT role FROM professional_roles r WHERE r.professional_id = p.id ORDER BY role)),
         'approved', 'migration-9', p.create_time, 'migration-9', p.create_time
  FROM professionals p
  WHERE EXISTS (SELECT 1 FROM professional_roles r WHERE r.professional_id = p.id);
CREATE TABLE enrollment_codes (
  code_hash TEXT PRIMARY KEY,
  professional_id TEXT NOT NULL REFERENCES professionals(id),
  create_time INTEGER NOT NULL,
  expire_time INTEGER NOT NULL,
  use_time INTEGER
) WITHOUT ROWID;
CREATE INDEX enrollment_codes_by_professional ON enrollment_codes(professional_id);
ALTER TABLE certificates ADD COLUMN replaces_serial TEXT;
)sql",
    // 10: what the audit chain vouches for beyond its entries
    // (server/audit/FORMAT.md). Entries of encoding version 3 store it in
    // `version` (0: written before, version 1 or 2 by privacy_request) and
    // carry the commitment to the break-glass session they open. A session
    // keeps its reason sealed (AES-256-GCM, base64 of nonce, ciphertext and
    // tag) in reason_sealed, `reason` then empty; older sessions keep theirs
    // in `reason`. audit_published records every checkpoint and anchor
    // line written to DIR/audit-checkpoints (after it was written), so that
    // a file that lost lines is found; lost_at is the seq of the
    // schakeld.AcceptCheckpointLoss entry that accepted its loss, else 0.
    R"sql(
ALTER TABLE audit_log ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN session_commitment TEXT NOT NULL DEFAULT '';
ALTER TABLE breakglass_sessions ADD COLUMN reason_sealed TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_published (
  line_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('checkpoint', 'anchor')),
  seq INTEGER NOT NULL,
  head TEXT NOT NULL,
  time INTEGER NOT NULL,
  lost_at INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX audit_published_by_seq ON audit_published(seq);
)sql",
    // 11: teams (design.md, "Teams"). A team is the unit of need-to-know
    // inside an organisation; every organisation has exactly one intake
    // team. A professional works in the teams of approved grants
    // (team_members). Signals, handovers, trajectories and registrations
    // name the team on each side of the relation beside the organisation.
    // An existing deployment gets one team "intake" per organisation with
    // every professional in it, and every existing row belongs to it: the
    // column defaults say so without rewriting the rows (ADD COLUMN with a
    // constant default changes no page), and new rows always name their
    // team. owner_team is read only where owner_org is set.
    R"sql(
CREATE TABLE teams (
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  intake INTEGER NOT NULL DEFAULT 0 CHECK (intake IN (0, 1)),
  create_time INTEGER NOT NULL,
  PRIMARY KEY (organisation_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX teams_one_intake ON teams(organisation_id) WHERE intake = 1;
CREATE TABLE team_members (
  professional_id TEXT NOT NULL REFERENCES professionals(id),
  organisation_id TEXT NOT NULL,
  team_id TEXT NOT NULL,
  since INTEGER NOT NULL,
  PRIMARY KEY (professional_id, team_id),
  FOREIGN KEY (organisation_id, team_id) REFERENCES teams(organisation_id, id)
) WITHOUT ROWID;
CREATE INDEX team_members_by_team ON team_members(organisation_id, team_id);
INSERT INTO teams (organisation_id, id, name, intake, create_time)
  SELECT id, 'intake', 'Intake', 1, 0 FROM organisations;
INSERT INTO team_members (professional_id, organisation_id, team_id, since)
  SELECT id, organisation_id, 'intake', create_time FROM professionals;
ALTER TABLE signals ADD COLUMN author_team TEXT NOT NULL DEFAULT 'intake';
ALTER TABLE signals ADD COLUMN owner_team TEXT NOT NULL DEFAULT 'intake';
ALTER TABLE signal_events ADD COLUMN owner_team TEXT NOT NULL DEFAULT 'intake';
ALTER TABLE handovers ADD COLUMN from_team TEXT NOT NULL DEFAULT 'intake';
ALTER TABLE handovers ADD COLUMN to_team TEXT NOT NULL DEFAULT 'intake';
ALTER TABLE trajectories ADD COLUMN team TEXT NOT NULL DEFAULT 'intake';
ALTER TABLE resident_registrations ADD COLUMN team TEXT NOT NULL DEFAULT 'intake';
)sql",
    // 12: names compared as people write them (domain/name_key.h). The
    // name key of every resident is folded again with ICU (it lowered only
    // A-Z before), the address gets a folded key of its own for the search
    // by part of the address, and a search by birth date and name narrows
    // by the birth date first. schakel_fold is domain::FoldText, registered
    // on the writing connection (store/sqlite_database.cc); erased and merged
    // records keep their empty keys (schakel_fold('') is '').
    R"sql(
ALTER TABLE residents ADD COLUMN address_key TEXT NOT NULL DEFAULT '';
UPDATE residents SET name_key = schakel_fold(name), address_key = schakel_fold(address);
CREATE INDEX residents_by_birth_date ON residents(birth_date, name_key);
)sql",
    // 13: the work contact data of professionals (issue 20): a work phone
    // and a work e-mail that an administrator sets and the directory shows
    // every colleague (DirectoryService.ListPeople). Empty means not set,
    // which is what every existing professional gets (ADD COLUMN with a
    // constant default changes no page).
    R"sql(
ALTER TABLE professionals ADD COLUMN work_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE professionals ADD COLUMN work_email TEXT NOT NULL DEFAULT '';
)sql",
    // 14: notifications (design.md, "Nothing waits unseen"), written in the
    // transaction of the event that causes them: the outbox. A notification
    // names its kind, the resource and a date, never a name or text. seq
    // (AUTOINCREMENT: never reused, not even after the newest row is
    // deleted) is what a watcher resumes after. A reminder the clock makes
    // carries once_key so that it is made once. notification_mail is the
    // e-mail outbox: one row per notification its recipient wants by e-mail
    // (at once, or in the digest of digest_day), delivered by one sender,
    // retried with backoff until sent or dead.
    R"sql(
CREATE TABLE notifications (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  professional_id TEXT NOT NULL REFERENCES professionals(id),
  kind TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  due_date TEXT NOT NULL DEFAULT '',
  create_time INTEGER NOT NULL,
  read_time INTEGER,
  once_key TEXT UNIQUE
);
CREATE INDEX notifications_by_professional ON notifications(professional_id, seq);
CREATE INDEX notifications_by_resource ON notifications(resource_id, kind);
CREATE TABLE notification_settings (
  professional_id TEXT NOT NULL REFERENCES professionals(id),
  kind TEXT NOT NULL,
  delivery TEXT NOT NULL CHECK (delivery IN ('in_app', 'email_now', 'daily_digest')),
  PRIMARY KEY (professional_id, kind)
) WITHOUT ROWID;
CREATE TABLE notification_mail (
  notification_seq INTEGER PRIMARY KEY REFERENCES notifications(seq),
  professional_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  digest_day TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_time INTEGER NOT NULL,
  last_attempt_time INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  sent_time INTEGER
);
CREATE INDEX notification_mail_due ON notification_mail(state, next_attempt_time);
)sql",
    // 15: routing rules (design.md, "Routing rules"). The active rules are
    // numbered 1..n by position; a removed rule keeps its row (position 0,
    // remove_time set) so that the signals it routed still name it. Every
    // change of a rule — a move of another rule that shifts it included —
    // is a new version, and every version is a row of
    // routing_rule_versions (position 0: removed), so the order that held
    // at any time can be read back. A rule resolves its owner team when
    // added (the intake team when none was named). A signal routed at
    // creation names the rule and its version, and so does the
    // assignment event in its timeline; every existing row was routed by
    // no rule (ADD COLUMN with a constant default changes no page).
    R"sql(
CREATE TABLE routing_rules (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL CHECK (position >= 0),
  version INTEGER NOT NULL CHECK (version >= 1),
  category TEXT NOT NULL DEFAULT '',
  opgave TEXT NOT NULL DEFAULT '',
  wijk TEXT NOT NULL DEFAULT '',
  owner_org TEXT NOT NULL REFERENCES organisations(id),
  owner_team TEXT NOT NULL,
  created_by TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  remove_time INTEGER,
  CHECK (category <> '' OR opgave <> '' OR wijk <> ''),
  CHECK ((remove_time IS NULL) = (position > 0))
) WITHOUT ROWID;
CREATE INDEX routing_rules_active ON routing_rules(position) WHERE remove_time IS NULL;
CREATE TABLE routing_rule_versions (
  rule_id TEXT NOT NULL REFERENCES routing_rules(id),
  version INTEGER NOT NULL,
  position INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY (rule_id, version)
) WITHOUT ROWID;
ALTER TABLE signals ADD COLUMN routed_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE signals ADD COLUMN routed_rule_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE signal_events ADD COLUMN rule_id TEXT NOT NULL DEFAULT '';
ALTER TABLE signal_events ADD COLUMN rule_version INTEGER NOT NULL DEFAULT 0;
)sql",
};

constexpr int kCount = sizeof(kMigrations) / sizeof(kMigrations[0]);

}  // namespace

int LatestSchemaVersion() { return kCount; }

absl::Status ApplyMigrations(Database& db) { return ApplyMigrations(db, kCount); }

absl::Status ApplyMigrations(Database& db, int up_to) {
  ASSIGN_OR_RETURN(int version, db.SchemaVersion());
  if (version > kCount) {
    return absl::FailedPreconditionError(
        absl::StrCat("the database has schema version ", version, "; this binary knows up to ",
                     kCount, " (run a newer schakeld)"));
  }
  for (int next = version + 1; next <= std::min(up_to, kCount); ++next) {
    RETURN_IF_ERROR(db.Write([&](Connection& c) -> absl::Status {
      RETURN_IF_ERROR(c.Exec(kMigrations[next - 1], absl::StrCat("migration ", next)));
      return c.Exec(absl::StrCat("PRAGMA user_version = ", next, ";"),
                    absl::StrCat("migration ", next, " version"));
    }));
  }
  return absl::OkStatus();
}

}  // namespace schakel::store
