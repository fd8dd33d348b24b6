#include "server/deployment/seed_data.h"

#include <algorithm>
#include <map>
#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "server/audit/audit_store.h"
#include "server/audit/checkpoint.h"
#include "server/common/files.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/store/handover_store.h"
#include "server/store/resident_store.h"
#include "server/store/trajectory_store.h"
#include "server/domain/calendar.h"
#include "server/domain/resident.h"

namespace schakel::deployment {
namespace {

using store::Connection;
using store::Statement;

// The SQL mirrors the stores' inserts (server/store/*_store.cc) column for
// column; the seeding test reads the rows back through the server, so a
// drift between the two shows there.
constexpr char kInsertRegistration[] =
    "INSERT OR IGNORE INTO resident_registrations (resident_id, organisation_id, professional_id,"
    " create_time, team) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr char kInsertSignal[] =
    "INSERT INTO signals (id, category, opgave, sensitivity, wijk, place, description,"
    " resident_id, urgency, owner_org, status, author_id, author_org, create_time, update_time,"
    " version, author_team, owner_team) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
constexpr char kInsertSignalEvent[] =
    "INSERT INTO signal_events (signal_id, time, actor_id, actor_org, kind, from_status,"
    " to_status, owner_org, owner_team) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

constexpr const char* kFirstNames[] = {
    "Anouk", "Bram", "Chantal", "Daan", "Esra", "Fatima", "Gert", "Hanneke", "Ilse", "Jeroen",
    "Kees", "Lotte", "Mohamed", "Noor", "Olga", "Pieter", "Rachid", "Sanne", "Tim", "Yasmina"};
constexpr const char* kLastNames[] = {
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "el Amrani", "Yilmaz", "van Dijk", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen"};
constexpr const char* kStreets[] = {
    "Prinsenhoflaan", "Amstelstroom", "Heuvelweg", "Nieuw Amstel", "Burgemeester Banninglaan",
    "Dillenburgsingel", "Oranjelaan", "Veursestraatweg"};
constexpr const char* kDescriptions[] = {
    "Bewoner maakt zich zorgen over oplopende huurachterstand",
    "Afval naast de container, al meerdere dagen",
    "Kind komt regelmatig zonder ontbijt naar school",
    "Buren melden geluidsoverlast in de avond",
    "Ouder heeft hulp nodig bij het invullen van formulieren",
    "Oudere bewoner lijkt vereenzaamd, weinig contact",
    "Jongeren hangen 's avonds rond bij het winkelcentrum",
    "Brievenbus puilt uit, post wordt niet geopend"};
constexpr const char* kPlaces[] = {"Hoek Prinsenhoflaan", "Speeltuin De Heuvel",
                                   "Winkelcentrum Amstelwijk", "Portiek nummer 12",
                                   "Schoolplein", "Galerijflat"};
constexpr const char* kGoals[] = {"Taalcursus afronden en vrijwilligerswerk vinden",
                                  "Sociale contacten buiten de deur opbouwen",
                                  "Doorstromen naar betaald werk met begeleiding"};
constexpr const char* kUrgencies[] = {"low", "normal", "normal", "normal", "high", "acute"};
constexpr const char* kOutcomes[] = {"helped", "not_helped", "referred_on", "resident_declined"};

template <size_t N>
const char* Pick(std::mt19937_64& rng, const char* const (&list)[N]) {
  return list[rng() % N];
}

// Identifiers in the shape RandomIdGenerator makes (prefix + 16 base32
// characters), from the seeded generator, so a seed gives the same ids.
std::string SeededId(std::mt19937_64& rng, absl::string_view prefix) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  uint64_t a = rng(), b = rng();
  std::string out(prefix);
  for (int i = 0; i < 12; ++i) out.push_back(kAlphabet[(a >> (i * 5)) & 31]);
  for (int i = 0; i < 4; ++i) out.push_back(kAlphabet[(b >> (i * 5)) & 31]);
  return out;
}

struct Professional {
  std::string id;
  std::string organisation_id;
  bool consultant = false;
  std::string roles;        // comma-separated, as an audit entry names them
  std::string certificate;  // fingerprint of a valid certificate, if any
  std::string team;         // the first of their teams (by id)
};
struct Category {
  std::string code;
  std::string opgave;
  std::string sensitivity;
};

// What the seeded rows refer to: the deployment's own reference data.
struct Context {
  std::vector<std::string> organisations;
  std::map<std::string, std::string> intake_teams;  // organisation → its intake team
  std::vector<std::string> wijken;
  std::vector<Category> categories;
  std::vector<Professional> professionals;  // enabled, with a case role
  std::vector<std::string> residents;       // seeded in this run
};

absl::StatusOr<std::vector<std::vector<std::string>>> Rows(Connection& c, absl::string_view sql,
                                                           int columns) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, "seed: read reference data"));
  std::vector<std::vector<std::string>> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    std::vector<std::string> r;
    for (int i = 0; i < columns; ++i) r.push_back(st.ColumnText(i));
    out.push_back(std::move(r));
  }
}

absl::StatusOr<Context> ReadContext(store::Database& db) {
  Context ctx;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(auto orgs, Rows(c, "SELECT id FROM organisations ORDER BY id", 1));
    for (auto& r : orgs) ctx.organisations.push_back(r[0]);
    ASSIGN_OR_RETURN(auto intake,
                     Rows(c, "SELECT organisation_id, id FROM teams WHERE intake = 1", 2));
    for (auto& r : intake) ctx.intake_teams[r[0]] = r[1];
    ASSIGN_OR_RETURN(auto wijken, Rows(c, "SELECT code FROM wijken ORDER BY code", 1));
    for (auto& r : wijken) ctx.wijken.push_back(r[0]);
    ASSIGN_OR_RETURN(auto cats, Rows(c,
                                     "SELECT code, opgave, sensitivity FROM signal_categories"
                                     " ORDER BY code",
                                     3));
    for (auto& r : cats) ctx.categories.push_back(Category{r[0], r[1], r[2]});
    ASSIGN_OR_RETURN(
        auto pros,
        Rows(c,
             absl::StrCat(
             "SELECT p.id, p.organisation_id,"
             " max(CASE WHEN r.role = 'consultant' THEN 1 ELSE 0 END),"
             " (SELECT ", c.engine() == store::Engine::kPostgresql ? "string_agg(role, ',')"
                                                                  : "group_concat(role)",
             " FROM professional_roles WHERE professional_id = p.id),"
             " ifnull((SELECT fingerprint FROM certificates WHERE professional_id = p.id AND"
             " revoke_time IS NULL ORDER BY issue_time DESC LIMIT 1), ''),"
             " ifnull((SELECT min(team_id) FROM team_members WHERE professional_id = p.id), '')"
             " FROM professionals p"
             " JOIN professional_roles r ON r.professional_id = p.id WHERE p.disabled = 0 AND"
             " r.role IN ('regisseur', 'consultant', 'bridge_officer', 'ggz', 'partner')"
             " GROUP BY p.id ORDER BY p.id"),
             6));
    for (auto& r : pros) {
      // A professional in no team yet relates to nothing: not an author.
      if (r[5].empty()) continue;
      ctx.professionals.push_back(Professional{r[0], r[1], r[2] == "1", r[3], r[4], r[5]});
    }
    return absl::OkStatus();
  }));
  if (ctx.organisations.size() < 2 || ctx.wijken.empty() || ctx.categories.empty()) {
    return absl::FailedPreconditionError("seed: the deployment has no seed data (run init first)");
  }
  if (ctx.professionals.empty()) {
    return absl::FailedPreconditionError(
        "seed: the deployment has no enabled professional with a case role to author the rows "
        "(use a demo deployment, or add one)");
  }
  return ctx;
}

// Prepares `sql` into `slot` (Statement cannot be assigned, only built).
absl::Status PrepareInto(Connection& c, std::optional<Statement>& slot, const char* sql,
                         const char* what) {
  slot.reset();
  absl::StatusOr<Statement> st = c.Prepare(sql, what);
  if (!st.ok()) return st.status();
  slot.emplace(*std::move(st));
  return absl::OkStatus();
}

// One batch: its rows and its audit entry in one transaction.
class BatchWriter {
 public:
  BatchWriter(store::Database* db, const Clock* clock, uint64_t seed, bool entry_per_row)
      : db_(db), clock_(clock), seed_(seed), entry_per_row_(entry_per_row) {}

  // With SeedOptions::audit_entry_per_row: appends the entry the API would
  // have recorded for creating row `i` (a `kind` with `id`, by `author`,
  // about `resident`) inside the current batch's transaction. Else nothing.
  absl::Status RecordRow(const char* action, const char* kind, int64_t i, const std::string& id,
                         const Professional& author, const std::string& resident) {
    if (!entry_per_row_) return absl::OkStatus();
    audit::Entry e;
    e.time = clock_->Now();
    e.professional_id = author.id;
    e.organisation_id = author.organisation_id;
    e.roles = author.roles;
    e.certificate = author.certificate;
    e.action = action;
    e.resource_type = kind;
    e.resource_id = id;
    if (!resident.empty()) e.residents.push_back(resident);
    e.outcome = audit::kAllowed;
    e.purpose = "test data";
    e.request_id = absl::StrCat("seed-", id);
    e.peer = absl::StrCat("ipv4:10.20.", i % 250, ".", 1 + i % 199, ":", 40000 + i % 20000);
    RETURN_IF_ERROR(audit::AppendEntry(*connection_, e));
    ++entries_;
    return absl::OkStatus();
  }

  // Runs `rows(c, i)` for i in [0, total), `batch` rows per transaction.
  absl::Status Run(const char* kind, int64_t total, int64_t batch,
                   const std::function<absl::Status(Connection&)>& prepare,
                   const std::function<absl::Status(int64_t)>& row) {
    for (int64_t first = 0; first < total; first += batch) {
      const int64_t last = std::min(total, first + batch);
      RETURN_IF_ERROR(db_->Write([&](Connection& c) -> absl::Status {
        connection_ = &c;
        RETURN_IF_ERROR(prepare(c));
        for (int64_t i = first; i < last; ++i) RETURN_IF_ERROR(row(i));
        audit::Entry e;
        e.time = clock_->Now();
        e.action = "schakel-admin.seed";
        e.resource_type = "seed";
        e.resource_id = kind;
        e.outcome = audit::kAllowed;
        e.reason = absl::StrCat("seeded test data: ", kind, " ", first + 1, "-", last, " of ",
                                total, " (seed ", seed_, ")");
        e.purpose = "test data";
        return audit::AppendEntry(c, e);
      }));
      ++entries_;
    }
    return absl::OkStatus();
  }
  int64_t entries() const { return entries_; }

 private:
  store::Database* db_;
  const Clock* clock_;
  uint64_t seed_;
  bool entry_per_row_;
  Connection* connection_ = nullptr;  // the current batch's, inside Run
  int64_t entries_ = 0;
};

}  // namespace

absl::StatusOr<SeedResult> SeedDeployment(const Paths& paths, const std::string& kek,
                                          const SeedOptions& o, const Clock& clock) {
  if (o.residents < 0 || o.signals < 0 || o.handovers < 0 || o.trajectories < 0) {
    return absl::InvalidArgumentError("seed: counts must be 0 or more");
  }
  if ((o.handovers > 0 || o.trajectories > 0) && o.residents == 0) {
    return absl::InvalidArgumentError(
        "seed: --handovers and --trajectories need --residents (they are about a resident)");
  }
  if (o.batch_rows <= 0) return absl::InvalidArgumentError("seed: batch size must be positive");
  ASSIGN_OR_RETURN(config::DeploymentConfig config, LoadConfig(paths));
  ASSIGN_OR_RETURN(std::unique_ptr<Lock> lock, Lock::Acquire(
                       paths, "seed fills a stopped deployment only: stop schakeld first"));
  ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db, OpenDatabase(paths, kek));
  // A bigger page cache for the indexes a bulk load walks at random (ids).
  if (db->engine() == store::Engine::kSqlcipher) {
    RETURN_IF_ERROR(db->Write(
        [](Connection& c) { return c.Exec("PRAGMA cache_size = -262144;", "seed cache size"); }));
  }
  ASSIGN_OR_RETURN(Context ctx, ReadContext(*db));

  std::mt19937_64 rng(o.seed);
  const absl::Time now = clock.Now();
  const absl::Time year_ago = now - absl::Hours(24 * 365);
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  auto org = [&] { return ctx.organisations[rng() % ctx.organisations.size()]; };
  auto pro = [&]() -> const Professional& {
    return ctx.professionals[rng() % ctx.professionals.size()];
  };
  // Times increase with the row number over the past year, as if recorded
  // over time (lists are newest first).
  auto time_of = [&](int64_t i, int64_t n) {
    return year_ago + (now - year_ago) * (static_cast<double>(i) / std::max<int64_t>(n, 1));
  };
  BatchWriter writer(db.get(), &clock, o.seed, o.audit_entry_per_row);
  SeedResult result;

  std::optional<Statement> a, b;
  // The batch's connection, for what the stores write themselves.
  Connection* connection = nullptr;
  ctx.residents.reserve(static_cast<size_t>(o.residents));
  RETURN_IF_ERROR(writer.Run(
      "residents", o.residents, o.batch_rows,
      [&](Connection& c) -> absl::Status {
        connection = &c;
        RETURN_IF_ERROR(PrepareInto(c, b, kInsertRegistration, "seed registration"));
        return absl::OkStatus();
      },
      [&](int64_t i) -> absl::Status {
        std::string id = SeededId(rng, "r");
        std::string name = absl::StrCat(Pick(rng, kFirstNames), " ", Pick(rng, kLastNames));
        absl::CivilDay born = absl::CivilDay(1940, 1, 1) + static_cast<int>(rng() % (75 * 365));
        absl::Time t = time_of(i, o.residents);
        const Professional& p = pro();
        domain::Resident r;
        r.id = id;
        r.name = name;
        r.birth_date = born;
        r.address = absl::StrCat(Pick(rng, kStreets), " ", 1 + rng() % 180);
        r.wijk = ctx.wijken[rng() % ctx.wijken.size()];
        r.create_time = t;
        // The store's own row (sealed where the engine seals).
        RETURN_IF_ERROR(store::InsertResidentRow(*connection, r, domain::NameKey(name), ""));
        b->Reset();
        b->Bind(1, id).Bind(2, p.organisation_id).Bind(3, p.id).BindTime(4, t).Bind(5, p.team);
        RETURN_IF_ERROR(b->Run());
        RETURN_IF_ERROR(
            writer.RecordRow("ResidentService.RegisterResident", "resident", i, id, p, id));
        ctx.residents.push_back(std::move(id));
        return absl::OkStatus();
      }));
  result.residents = o.residents;

  auto resident = [&] { return ctx.residents[rng() % ctx.residents.size()]; };
  RETURN_IF_ERROR(writer.Run(
      "signals", o.signals, o.batch_rows,
      [&](Connection& c) -> absl::Status {
        RETURN_IF_ERROR(PrepareInto(c, a, kInsertSignal, "seed signal"));
        RETURN_IF_ERROR(PrepareInto(c, b, kInsertSignalEvent, "seed signal event"));
        return absl::OkStatus();
      },
      [&](int64_t i) -> absl::Status {
        std::string id = SeededId(rng, "s");
        const Category& cat = ctx.categories[rng() % ctx.categories.size()];
        const Professional& author = pro();
        // Most signals are about a resident and have an owner; a justice
        // signal always names its owner.
        std::string about = !ctx.residents.empty() && rng() % 10 < 7 ? resident() : "";
        std::string owner = cat.sensitivity == "justice" || rng() % 10 < 6 ? org() : "";
        static constexpr const char* kStatuses[] = {"open",     "open",   "open",
                                                    "in_progress", "in_progress", "in_progress",
                                                    "resolved", "resolved", "closed",
                                                    "withdrawn"};
        const char* status = Pick(rng, kStatuses);
        bool changed = std::string(status) != "open";
        absl::Time created = time_of(i, o.signals);
        absl::Time updated = changed ? created + absl::Hours(1 + rng() % 72) : created;
        a->Reset();
        a->Bind(1, id).Bind(2, cat.code).Bind(3, cat.opgave).Bind(4, cat.sensitivity);
        a->Bind(5, ctx.wijken[rng() % ctx.wijken.size()]);
        a->BindSealed(6, store::SealContext("signals.place", id), Pick(rng, kPlaces));
        a->BindSealed(7, store::SealContext("signals.description", id), Pick(rng, kDescriptions));
        a->BindOrNull(8, about).Bind(9, Pick(rng, kUrgencies));
        a->BindOrNull(10, owner).Bind(11, status).Bind(12, author.id);
        a->Bind(13, author.organisation_id).BindTime(14, created).BindTime(15, updated);
        a->Bind(16, static_cast<int64_t>(changed ? 2 : 1));
        const std::string owner_team = owner.empty() ? "" : ctx.intake_teams[owner];
        a->Bind(17, author.team).Bind(18, owner_team);
        RETURN_IF_ERROR(a->Run());
        b->Reset();
        b->Bind(1, id).BindTime(2, created).Bind(3, author.id).Bind(4, author.organisation_id);
        b->Bind(5, "created").BindNull(6).Bind(7, "open").BindOrNull(8, owner);
        b->Bind(9, owner_team);
        RETURN_IF_ERROR(b->Run());
        if (changed) {
          b->Reset();
          b->Bind(1, id).BindTime(2, updated).Bind(3, author.id).Bind(4, author.organisation_id);
          b->Bind(5, "status_changed").Bind(6, "open").Bind(7, status).BindNull(8);
          b->Bind(9, "");
          RETURN_IF_ERROR(b->Run());
        }
        return writer.RecordRow("SignalService.CreateSignal", "signal", i, id, author, about);
      }));
  result.signals = o.signals;

  RETURN_IF_ERROR(writer.Run(
      "handovers", o.handovers, o.batch_rows,
      [&](Connection& c) -> absl::Status {
        connection = &c;
        return absl::OkStatus();
      },
      [&](int64_t i) -> absl::Status {
        domain::Handover h;
        h.id = SeededId(rng, "h");
        const Professional& sender = pro();
        std::string to = org();
        if (to == sender.organisation_id) to = ctx.organisations[0] == to ? ctx.organisations[1]
                                                                         : ctx.organisations[0];
        static constexpr const char* kStatuses[] = {"proposed",  "proposed",  "accepted",
                                                    "completed", "completed", "declined"};
        const std::string status = Pick(rng, kStatuses);
        // Proposed ones are recent and not yet due (nothing for the
        // server's expiry to do at start); the others spread over the year.
        absl::Time created = status == "proposed"
                                 ? now - absl::Hours(rng() % (24 * 7))
                                 : time_of(i, o.handovers);
        absl::CivilDay created_day = absl::ToCivilDay(created, absl::UTCTimeZone());
        h.deadline = status == "proposed" ? today + 7 + static_cast<int>(rng() % 21)
                                          : created_day + 14;
        bool consent = rng() % 4 != 0;
        const std::string about = resident();
        h.resident_id = about;
        h.from_organisation_id = sender.organisation_id;
        h.sender_id = sender.id;
        h.to_organisation_id = to;
        h.reason = "Hulpvraag rond schulden en administratie";
        if (consent) {
          h.basis.kind = domain::BasisKind::kConsent;
          h.basis.consent_date = domain::FormatDate(created_day);
          h.basis.consent_covers = "delen van contactgegevens en hulpvraag";
          h.basis.consent_recorded_by = sender.id;
        } else {
          h.basis.kind = domain::BasisKind::kLegalTask;
          h.basis.legal_reference = "Wet maatschappelijke ondersteuning art. 2.3.2";
        }
        h.status = *domain::ParseHandoverStatus(status);
        if (status == "declined") h.decline_reason = "Past niet bij ons aanbod";
        if (status == "completed") {
          h.outcome = domain::ParseOutcome(Pick(rng, kOutcomes));
          h.outcome_text = "Terugkoppeling na afronding";
        }
        h.create_time = created;
        h.update_time = created;
        h.version = status == "proposed" ? 1 : 2;
        h.from_team = sender.team;
        h.to_team = ctx.intake_teams[to];
        // The store's own row (sealed where the engine seals).
        RETURN_IF_ERROR(store::InsertHandoverRow(*connection, h));
        const std::string& id = h.id;
        return writer.RecordRow("HandoverService.ProposeHandover", "handover", i, id, sender,
                                about);
      }));
  result.handovers = o.handovers;

  std::vector<const Professional*> consultants;
  for (const Professional& p : ctx.professionals) {
    if (p.consultant) consultants.push_back(&p);
  }
  if (consultants.empty()) {
    for (const Professional& p : ctx.professionals) consultants.push_back(&p);
  }
  RETURN_IF_ERROR(writer.Run(
      "trajectories", o.trajectories, o.batch_rows,
      [&](Connection& c) -> absl::Status {
        connection = &c;
        return absl::OkStatus();
      },
      [&](int64_t i) -> absl::Status {
        domain::Trajectory t;
        t.id = SeededId(rng, "t");
        const Professional& consultant = *consultants[rng() % consultants.size()];
        absl::Time created = time_of(i, o.trajectories);
        absl::CivilDay start = absl::ToCivilDay(created, absl::UTCTimeZone());
        const std::string about = resident();
        t.resident_id = about;
        t.consultant_id = consultant.id;
        t.organisation_id = consultant.organisation_id;
        t.start_date = start;
        t.bijstand_since = domain::FormatDate(start - static_cast<int>(365 + rng() % 2000));
        t.goal = Pick(rng, kGoals);
        t.status = rng() % 5 == 0 ? domain::TrajectoryStatus::kPaused
                                  : domain::TrajectoryStatus::kActive;
        t.create_time = created;
        t.update_time = created;
        t.version = 1;
        t.team = consultant.team;
        RETURN_IF_ERROR(store::InsertTrajectoryRow(*connection, t));
        const std::string& id = t.id;
        return writer.RecordRow("TrajectoryService.StartTrajectory", "trajectory", i, id,
                                consultant, about);
      }));
  result.trajectories = o.trajectories;
  a.reset();
  b.reset();
  result.audit_entries = writer.entries();

  // Sign the new head, as the server does at shutdown: the server refuses
  // to start behind its last checkpoint, and verify checks every one.
  ASSIGN_OR_RETURN(audit::Head head, audit::ReadHead(*db));
  result.head_seq = head.seq;
  result.head_hash = head.hash;
  RETURN_IF_ERROR(SignAuditHead(paths, *db, clock, config.audit().export_path()));
  return result;
}

}  // namespace schakel::deployment
