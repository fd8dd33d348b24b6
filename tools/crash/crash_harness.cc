// schakel-crash-harness: proves that nothing acknowledged is lost when
// schakeld dies at a random moment.
//
//   schakel-crash-harness --work DIR [--kills N] [--clients N] [--seed S]
//                         [--min-up-ms MS] [--max-up-ms MS] [--bin-dir DIR]
//                         [--second-process on|off] [--peek-with PROGRAM]
//
// It creates a demo deployment in DIR/deployment, starts schakeld on
// loopback, and lets N clients create signals (as the regisseur) and
// propose handovers (as a housing partner) with client-chosen request ids,
// retrying each create with the same id until it is acknowledged. Meanwhile
// it kills schakeld with SIGKILL at random moments (every tenth kill while
// it is still starting) and starts it again, N times. Then it checks, with a
// server started once more:
//   - every create a client saw acknowledged is there (lost must be 0);
//   - nothing is half-written: the signals and handovers that exist are
//     exactly those with an allowed creation entry in the audit log;
//   - every start succeeded (a chain behind its checkpoint refuses to start);
//   - `schakel-admin audit verify` passes on the stopped deployment;
//   - the second process never took the WAL from under schakeld, and every
//     verify it ran found the chain intact.
// It prints one line of figures and exits 0 only when all of that holds.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/strings/match.h"
#include "schakel/client.h"
#include "server/crypto/openssl_util.h"
#include "server/deployment/deployment.h"
#include "tools/common/args.h"
#include "tools/common/open_files.h"
#include "tools/common/version.h"

namespace schakel::tools {
namespace {

constexpr char kProgram[] = "schakel-crash-harness";

// One schakeld child: stdout read for the banner, stderr appended to a file.
class Schakeld {
 public:
  Schakeld(std::string bin, std::string deployment, std::string log)
      : bin_(std::move(bin)), deployment_(std::move(deployment)), log_(std::move(log)) {}
  ~Schakeld() { Kill(SIGKILL); }

  // Starts on `listen`; with `wait`, reads until the banner names the address
  // (false when it does not within 20 s). A start refused because the
  // second process holds the deployment (an offline verify, a backup's
  // record while schakeld was down) is tried again for up to 20 s; any
  // other failed start is a failed start.
  bool Start(const std::string& listen, bool wait) {
    absl::Time until = absl::Now() + absl::Seconds(20);
    while (true) {
      Outcome o = StartOnce(listen, wait);
      if (o == Outcome::kStarted) return true;
      Kill(SIGKILL);  // reaps the one that ended
      if (o == Outcome::kTimedOut || absl::Now() > until || !LastStartWasRefusedByLock()) {
        return false;
      }
      ++refused_starts_;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_.load(); }
  long refused_starts() const { return refused_starts_; }

  // Sends `sig` and reaps the process; its exit code (128+signal if killed).
  int Kill(int sig) {
    pid_t pid = pid_.exchange(0);
    if (pid <= 0) return -1;
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(out_fd_);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  enum class Outcome { kStarted, kEnded, kTimedOut };
  Outcome StartOnce(const std::string& listen, bool wait) {
    int out[2];
    // O_CLOEXEC: the second process forks too, and no other child may keep
    // this pipe open.
    if (::pipe2(out, O_CLOEXEC) != 0) return Outcome::kTimedOut;
    log_size_at_start_ = LogSize();
    pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(out[1], 1);
      int err = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(err, 2);
      ::close(out[0]);
      ::execl(bin_.c_str(), "schakeld", "--deployment", deployment_.c_str(), "--listen",
              listen.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    out_fd_ = out[0];
    pid_.store(pid);
    if (!wait) return Outcome::kStarted;
    std::string banner;
    const std::string marker = "schakeld listening on ";
    absl::Time until = absl::Now() + absl::Seconds(20);
    while (absl::Now() < until) {
      pollfd p{out_fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      ssize_t n = ::read(out_fd_, buf, sizeof(buf));
      if (n <= 0) return Outcome::kEnded;
      banner.append(buf, static_cast<size_t>(n));
      size_t at = banner.find(marker);
      size_t end = at == std::string::npos ? at : banner.find('\n', at);
      if (end != std::string::npos) {
        address_ = banner.substr(at + marker.size(), end - at - marker.size());
        return Outcome::kStarted;
      }
    }
    return Outcome::kTimedOut;
  }

  int64_t LogSize() const {
    std::error_code ec;
    auto size = std::filesystem::file_size(log_, ec);
    return ec ? 0 : static_cast<int64_t>(size);
  }
  // Whether what the last start wrote to the log says the deployment was held.
  bool LastStartWasRefusedByLock() const {
    std::ifstream in(log_, std::ios::binary);
    in.seekg(log_size_at_start_);
    std::string tail((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return absl::StrContains(tail, "held by another process");
  }

  std::string bin_, deployment_, log_, address_;
  int64_t log_size_at_start_ = 0;
  // Read by the second process's checks while the kill loop changes it.
  std::atomic<pid_t> pid_{0};
  int out_fd_ = -1;
  long refused_starts_ = 0;
};

// Runs argv to completion with `input` on its stdin and stdout and stderr
// collected into `output`; its exit code (128+signal if killed).
int RunCollecting(const std::vector<std::string>& argv, std::string* output,
                  const std::string& input = "") {
  int out[2], in[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return -1;
  if (::pipe2(in, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return -1;
  }
  // Made before fork: the child of a threaded process only execs.
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(out[1], 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  // Small enough for the pipe's buffer: written whole before reading.
  if (!input.empty() && ::write(in[1], input.data(), input.size()) < 0) {
    // The child reads EOF and fails; its exit code tells.
  }
  ::close(in[1]);
  char buf[4096];
  ssize_t n;
  while ((n = ::read(out[0], buf, sizeof(buf))) > 0) output->append(buf, static_cast<size_t>(n));
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The second process: what operators do to a live deployment, over and
// over, each followed by the check that schakeld still holds its WAL.
struct SecondProcess {
  std::atomic<long> runs{0}, backups{0}, backups_failed{0}, api_verifies{0},
      offline_refused{0}, offline_ran{0}, peeks{0}, peeks_busy{0}, broken{0}, wal_deleted{0};

  void Run(const std::string& bin_dir, const std::string& deployment, const std::string& address,
           const std::string& work, const std::string& peek_with, const std::string& hex_key,
           const Schakeld& server, const std::atomic<bool>& stop) {
    // As /proc/PID/fd names it: symlinks resolved.
    const std::string db =
        std::filesystem::weakly_canonical(deployment + "/schakel.db").string();
    for (long i = 0; !stop.load(); ++i) {
      std::string out;
      switch (i % 4) {
        case 0: {
          const std::string to = absl::StrCat(work, "/second-process-backup");
          ::unlink(to.c_str());
          if (RunCollecting({bin_dir + "/schakel-admin", "backup", "--deployment", deployment,
                             "--to", to, "--server", address, "--identity",
                             deployment + "/users/admin"},
                            &out) == 0) {
            ++backups;
          } else {
            ++backups_failed;  // schakeld down: the backup cannot be recorded, and is removed
          }
          ::unlink(to.c_str());
          break;
        }
        case 1: {
          int rc = RunCollecting({bin_dir + "/schakel", "--server", address, "--identity",
                                  deployment + "/users/auditor", "audit", "verify"},
                                 &out);
          if (rc == 0) ++api_verifies;
          if (absl::StrContains(out, "NOT INTACT") || absl::StrContains(out, "DATA_LOSS")) {
            Report("the API's verify", out);
          }
          break;
        }
        case 2: {
          int rc = RunCollecting(
              {bin_dir + "/schakel-admin", "audit", "verify", "--deployment", deployment}, &out);
          if (rc == 0) {
            ++offline_ran;  // schakeld was down meanwhile: it held the deployment
          } else if (absl::StrContains(out, "held by another process")) {
            ++offline_refused;
          } else {
            Report("the offline verify", out);
          }
          break;
        }
        case 3: {
          if (peek_with.empty()) break;
          // The key on stdin, never on a command line (/proc/PID/cmdline).
          if (RunCollecting({peek_with, "peek", db, "-", "4096", i % 8 == 3 ? "ro" : "rw"}, &out,
                            hex_key + "\n") == 0) {
            ++peeks;
          } else if (absl::StrContains(out, "rc=5 ")) {
            // SQLITE_BUSY: a stock program without a busy timeout meets a
            // restarting schakeld recovering its WAL index. Its own
            // failure, harmless to the server; counted apart.
            ++peeks_busy;
          } else {
            Report("a stock open of the database", out);
          }
          break;
        }
      }
      ++runs;
      pid_t pid = server.pid();
      if (pid > 0 && !DeletedFilesHeldBy(pid, db).empty()) {
        if (wal_deleted.fetch_add(1) < 5) {
          std::cerr << kProgram << ": schakeld holds a deleted WAL or shm after step " << i % 4
                    << "\n";
        }
      }
    }
  }

  void Report(const char* what, const std::string& out) {
    if (broken.fetch_add(1) < 5) std::cerr << kProgram << ": " << what << ": " << out << "\n";
  }
};

struct Acknowledged {
  std::mutex mu;
  std::vector<std::string> signals;
  std::vector<std::string> handovers;
  std::atomic<long> unexpected{0};
  std::atomic<long> retries{0};
};

bool Retryable(const absl::Status& s) {
  return s.code() == absl::StatusCode::kUnavailable ||
         s.code() == absl::StatusCode::kDeadlineExceeded ||
         s.code() == absl::StatusCode::kCancelled || s.code() == absl::StatusCode::kUnknown;
}

ClientOptions Options(const std::string& server, const std::string& identity) {
  ClientOptions o;
  o.server = server;
  o.identity_dir = identity;
  o.timeout = absl::Seconds(3);
  o.purpose = "zorgcoordinatie";
  o.max_reconnect_backoff = absl::Milliseconds(200);
  return o;
}

// One identity's client that starts over with a new connection when calls
// have failed for half a second: a connection attempt made while the server
// was down can hang on the restarted server until its timeout, and the
// harness should not spend a whole uptime waiting for it.
class Reconnecting {
 public:
  explicit Reconnecting(ClientOptions options) : options_(std::move(options)) { Renew(); }
  bool ok() const { return client_.ok(); }
  Client& operator*() { return *client_; }
  Client* operator->() { return &*client_; }
  void Succeeded() { failures_ = 0; }
  void Failed() {
    if (++failures_ >= 25) Renew();
  }

 private:
  void Renew() {
    client_ = Client::Connect(options_);
    failures_ = 0;
  }
  ClientOptions options_;
  absl::StatusOr<Client> client_;
  int failures_ = 0;
};

// Calls `op` on `client` until it succeeds, fails for good, or the run
// stops; the id of what it created, or "" when it was never acknowledged.
template <typename Op>
std::string UntilAcknowledged(const std::atomic<bool>& stop, Acknowledged& ack,
                              Reconnecting& client, Op op) {
  while (true) {
    absl::StatusOr<std::string> id = op();
    if (id.ok()) {
      client.Succeeded();
      return *id;
    }
    if (!Retryable(id.status())) {
      if (ack.unexpected.fetch_add(1) < 5) {
        std::cerr << kProgram << ": unexpected answer: " << id.status() << "\n";
      }
      return "";
    }
    if (stop.load()) return "";
    ack.retries.fetch_add(1);
    client.Failed();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void RunClient(int n, const std::string& server, const std::string& users,
               const std::atomic<bool>& stop, Acknowledged& ack) {
  Reconnecting regisseur(Options(server, users + "/regisseur"));
  Reconnecting partner(Options(server, users + "/partner-woej"));
  if (!regisseur.ok() || !partner.ok()) {
    ack.unexpected.fetch_add(1);
    return;
  }
  // The resident this client's handovers are about.
  std::string resident = UntilAcknowledged(stop, ack, partner, [&]() -> absl::StatusOr<std::string> {
    v1::RegisterResidentRequest req;
    req.set_request_id(absl::StrCat("crash-resident-", n));
    req.set_name(absl::StrCat("Bewoner ", n));
    req.set_birth_date("1980-01-01");
    req.set_address(absl::StrCat("Prinsenhoflaan ", n + 1));
    req.set_wijk("prinsenhof");
    req.set_register_anyway(true);
    absl::StatusOr<v1::RegisterResidentResponse> r = partner->RegisterResident(req);
    if (!r.ok()) return r.status();
    return r->id();
  });
  for (long i = 0; !stop.load(); ++i) {
    std::string request_id = absl::StrCat("crash-", n, "-", i);
    if (i % 2 == 0 || resident.empty()) {
      std::string id = UntilAcknowledged(stop, ack, regisseur, [&]() -> absl::StatusOr<std::string> {
        v1::CreateSignalRequest req;
        req.set_request_id(request_id);
        req.set_category("FVW-OVERLAST");
        req.set_wijk("prinsenhof");
        req.set_place("Portiek");
        req.set_description(absl::StrCat("Overlast, melding ", i, " van client ", n));
        absl::StatusOr<v1::Signal> s = regisseur->CreateSignal(req);
        if (!s.ok()) return s.status();
        return s->id();
      });
      if (!id.empty()) {
        std::lock_guard<std::mutex> lock(ack.mu);
        ack.signals.push_back(id);
      }
    } else {
      std::string id = UntilAcknowledged(stop, ack, partner, [&]() -> absl::StatusOr<std::string> {
        v1::ProposeHandoverRequest req;
        req.set_request_id(request_id);
        req.set_resident_id(resident);
        req.set_to_organisation_id("vidomes");
        req.set_reason("Bewoner zoekt hulp bij woonlasten");
        req.mutable_basis()->mutable_consent()->set_covers("doorverwijzing naar de verhuurder");
        absl::StatusOr<v1::Handover> h = partner->ProposeHandover(req);
        if (!h.ok()) return h.status();
        return h->id();
      });
      if (!id.empty()) {
        std::lock_guard<std::mutex> lock(ack.mu);
        ack.handovers.push_back(id);
      }
    }
  }
}

// The resource ids of allowed `action` entries in the audit log.
absl::StatusOr<std::set<std::string>> Audited(Client& auditor, const std::string& action) {
  v1::QueryAuditRequest req;
  req.set_action(action);
  req.set_outcome("allowed");
  req.set_page_size(500);
  absl::StatusOr<std::vector<v1::AuditEntry>> entries = auditor.QueryAllAudit(req);
  if (!entries.ok()) return entries.status();
  std::set<std::string> ids;
  for (const v1::AuditEntry& e : *entries) ids.insert(e.resource_id());
  return ids;
}

int Run(const Args& args) {
  std::string work = args.Get("work");
  if (work.empty()) {
    std::cerr << kProgram << ": --work: required (an empty or missing directory)\n";
    return 2;
  }
  auto Int = [&](const char* name, long def) {
    long v = def;
    if (args.Has(name) && !absl::SimpleAtoi(args.Get(name), &v)) v = -1;
    return v;
  };
  long kills = Int("kills", 20), clients = Int("clients", 4), seed = Int("seed", 1);
  long min_up = Int("min-up-ms", 200), max_up = Int("max-up-ms", 1500);
  if (kills < 1 || clients < 1 || clients > 64 || min_up < 0 || max_up < min_up) {
    std::cerr << kProgram
              << ": --kills >= 1, --clients 1..64, 0 <= --min-up-ms <= --max-up-ms\n";
    return 2;
  }
  std::string bin_dir = args.Has("bin-dir")
                            ? args.Get("bin-dir")
                            : std::filesystem::canonical("/proc/self/exe").parent_path().string();
  std::string deployment = work + "/deployment";
  std::string users = deployment + "/users";
  std::string log = work + "/schakeld.log";
  std::filesystem::create_directories(work);

  std::string init = absl::StrCat(bin_dir, "/schakel-admin init ", deployment,
                                  " --demo > ", work, "/init.log 2>&1");
  if (std::system(init.c_str()) != 0) {
    std::cerr << kProgram << ": schakel-admin init failed; see " << work << "/init.log\n";
    return 1;
  }

  const std::string second = args.Has("second-process") ? args.Get("second-process") : "on";
  if (second != "on" && second != "off") {
    std::cerr << kProgram << ": --second-process: on or off\n";
    return 2;
  }
  const std::string peek_with = args.Get("peek-with");
  std::string hex_key;
  if (!peek_with.empty()) {
    deployment::Paths paths(deployment);
    absl::StatusOr<config::DeploymentConfig> config = deployment::LoadConfig(paths);
    absl::StatusOr<std::string> kek =
        config.ok() ? deployment::ReadKek(paths, config->kek(), std::nullopt) : config.status();
    absl::StatusOr<std::string> key =
        kek.ok() ? deployment::UnwrapKeyFile(paths.wrapped_key, *kek) : kek.status();
    if (!key.ok()) {
      std::cerr << kProgram << ": cannot read the database key for --peek-with: "
                << key.status().message() << "\n";
      return 1;
    }
    hex_key = crypto::HexEncode(*key);
  }

  Schakeld server(bin_dir + "/schakeld", deployment, log);
  if (!server.Start("127.0.0.1:0", true)) {
    std::cerr << kProgram << ": schakeld did not start; see " << log << "\n";
    return 1;
  }
  // Restarts listen on the same port, so the clients' channels find it again.
  const std::string address = server.address();

  std::atomic<bool> stop{false};
  Acknowledged ack;
  std::vector<std::thread> threads;
  for (int n = 0; n < clients; ++n) {
    threads.emplace_back([&, n] { RunClient(n, address, users, stop, ack); });
  }
  SecondProcess bystander;
  std::thread second_process;
  if (second == "on") {
    second_process = std::thread([&] {
      bystander.Run(bin_dir, std::filesystem::absolute(deployment).lexically_normal().string(),
                    address, work, peek_with, hex_key, server, stop);
    });
  }

  std::mt19937_64 rng(static_cast<uint64_t>(seed));
  absl::Time started = absl::Now();
  long failed_starts = 0, during_start = 0;
  absl::Duration slowest_start;
  for (long k = 1; k <= kills; ++k) {
    if (k % 10 == 0) {
      // Killed while starting: opening the database, migrating, checking
      // the chain against its checkpoint.
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 60));
      ++during_start;
    } else {
      long up = min_up + static_cast<long>(rng() % static_cast<uint64_t>(max_up - min_up + 1));
      std::this_thread::sleep_for(std::chrono::milliseconds(up));
    }
    server.Kill(SIGKILL);
    bool next_early = (k + 1) % 10 == 0 && k < kills;
    absl::Time t0 = absl::Now();
    if (!server.Start(address, !next_early)) {
      ++failed_starts;
      std::cerr << kProgram << ": schakeld did not start after kill " << k << "; see " << log
                << "\n";
      break;
    }
    if (!next_early) slowest_start = std::max(slowest_start, absl::Now() - t0);
  }
  stop.store(true);
  for (std::thread& t : threads) t.join();
  if (second_process.joinable()) second_process.join();
  // If the last start was an early one, let it come up before checking.
  server.Kill(SIGKILL);
  if (!server.Start(address, true)) {
    ++failed_starts;
    std::cerr << kProgram << ": schakeld did not start for the check; see " << log << "\n";
  }

  long lost = 0, half_written = 0, present = 0;
  std::string check_error;
  if (failed_starts == 0) {
    auto regisseur = Client::Connect(Options(address, users + "/regisseur"));
    auto partner = Client::Connect(Options(address, users + "/partner-woej"));
    auto auditor = Client::Connect(Options(address, users + "/auditor"));
    if (!regisseur.ok() || !partner.ok() || !auditor.ok()) {
      check_error = "cannot connect for the check";
    } else {
      for (const std::string& id : ack.signals) {
        if (!regisseur->GetSignal(id).ok()) ++lost;
      }
      for (const std::string& id : ack.handovers) {
        if (!partner->GetHandover(id).ok()) ++lost;
      }
      auto signals = regisseur->ListAllSignals(v1::ListSignalsRequest());
      auto handovers = partner->ListAllOutbox(v1::ListHandoversRequest());
      auto created_signals = Audited(*auditor, "SignalService.CreateSignal");
      auto proposed = Audited(*auditor, "HandoverService.ProposeHandover");
      if (!signals.ok() || !handovers.ok() || !created_signals.ok() || !proposed.ok()) {
        check_error = "cannot list for the check";
      } else {
        std::set<std::string> existing;
        for (const v1::Signal& s : *signals) existing.insert(s.id());
        present += static_cast<long>(existing.size());
        for (const std::string& id : existing) half_written += created_signals->count(id) == 0;
        for (const std::string& id : *created_signals) half_written += existing.count(id) == 0;
        existing.clear();
        for (const v1::Handover& h : *handovers) existing.insert(h.id());
        present += static_cast<long>(existing.size());
        for (const std::string& id : existing) half_written += proposed->count(id) == 0;
        for (const std::string& id : *proposed) half_written += existing.count(id) == 0;
      }
    }
  }
  int stopped = server.Kill(SIGTERM);
  std::string verify = absl::StrCat(bin_dir, "/schakel-admin audit verify --deployment ",
                                    deployment, " > ", work, "/verify.log 2>&1");
  bool verified = std::system(verify.c_str()) == 0;

  long acknowledged = static_cast<long>(ack.signals.size() + ack.handovers.size());
  std::cout << "crash-harness kills=" << kills << " kills_during_start=" << during_start
            << " failed_starts=" << failed_starts << " clients=" << clients
            << " acknowledged=" << acknowledged << " acknowledged_signals=" << ack.signals.size()
            << " acknowledged_handovers=" << ack.handovers.size() << " present=" << present
            << " lost=" << lost << " half_written=" << half_written
            << " retries=" << ack.retries.load() << " unexpected=" << ack.unexpected.load()
            << " slowest_start_ms=" << absl::ToInt64Milliseconds(slowest_start)
            << " verify=" << (verified ? "intact" : "FAILED") << " clean_stop_exit=" << stopped
            << " second_process=" << second << " second_process_runs=" << bystander.runs.load()
            << " online_backups=" << bystander.backups.load()
            << " online_backups_refused=" << bystander.backups_failed.load()
            << " api_verifies=" << bystander.api_verifies.load()
            << " offline_verifies_refused=" << bystander.offline_refused.load()
            << " offline_verifies_while_down=" << bystander.offline_ran.load()
            << " file_opens=" << bystander.peeks.load()
            << " file_opens_busy=" << bystander.peeks_busy.load()
            << " second_process_failures=" << bystander.broken.load()
            << " wal_deleted_under_server=" << bystander.wal_deleted.load()
            << " refused_starts=" << server.refused_starts()
            << " seconds=" << absl::ToInt64Seconds(absl::Now() - started) << "\n";
  if (!check_error.empty()) std::cerr << kProgram << ": " << check_error << "\n";
  bool ok = failed_starts == 0 && check_error.empty() && lost == 0 && half_written == 0 &&
            ack.unexpected.load() == 0 && verified && stopped == 0 && acknowledged > 0 &&
            bystander.wal_deleted.load() == 0 && bystander.broken.load() == 0 &&
            (second == "off" || bystander.runs.load() > 0);
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace schakel::tools

int main(int argc, char** argv) {
  schakel::tools::Args args;
  args.AddString("work", "directory for the deployment and logs (created)");
  args.AddString("kills", "how many times schakeld is killed (default 20)");
  args.AddString("clients", "concurrent clients (default 4)");
  args.AddString("seed", "seed of the random kill moments (default 1)");
  args.AddString("min-up-ms", "shortest uptime before a kill (default 200)");
  args.AddString("max-up-ms", "longest uptime before a kill (default 1500)");
  args.AddString("bin-dir", "where schakeld and schakel-admin are (default: beside this binary)");
  args.AddString("second-process",
                 "on|off: another process backs up, verifies and opens the live deployment "
                 "meanwhile (default on)");
  args.AddString("peek-with",
                 "a stock SQLCipher program (tests' sqlcipher-stock) the second process also "
                 "opens the database file with");
  if (absl::Status s = args.Parse(argc, argv, 1); !s.ok()) {
    std::cerr << "schakel-crash-harness: " << s.message() << "\n" << args.Help();
    return 2;
  }
  if (args.Has("version")) {
    std::cout << schakel::tools::VersionLine("schakel-crash-harness") << "\n";
    return 0;
  }
  if (args.Has("help")) {
    std::cout << "usage: schakel-crash-harness --work DIR [flags]\n" << args.Help();
    return 0;
  }
  return schakel::tools::Run(args);
}
