// schakel-bench: a load generator for schakeld. A benchmark, not a test: it
// prints figures (docs/performance.md).
//
//   schakel-bench --server HOST:PORT --identity DIR [--peer-identity DIR]
//                 [--scenario NAME[,NAME...]] [--concurrency N[,N...]] [--seconds S]
//                 [--max-requests N] [--list-page N] [--server-pid PID]
//
// For each concurrency it first measures `ping` (an authenticated RPC that
// does no work), then each scenario, and prints one line per run:
//
//   <scenario> conc=<n> rps=<x> p50_us=<a> p90_us=<b> p99_us=<c> ratio_to_ping=<r>
//
// and, with --server-pid, the server's peak resident memory (VmHWM of
// /proc/PID/status) as `server peak_rss_mb=<x>`.
//
// The load: gRPC's callback API, `concurrency` requests in flight, spread
// over long-lived mTLS channels, one per 16 in flight (each its own
// connection). Every run lasts --seconds or --max-requests requests,
// whichever comes first. Scenarios:
//   ping            DirectoryService.Ping
//   create-signal   SignalService.CreateSignal (audited, durable)
//   get-signal      SignalService.GetSignal of signals the identity can see
//   list-signals    SignalService.ListSignals, the first page of 50
//   handover-loop   ProposeHandover as --identity to --peer-identity's
//                   organisation, then AcceptHandover as the peer; each RPC
//                   counts as one request
//   mixed           70 % reads (get-signal, list-signals), 30 % create-signal
//   https-get-signal, https-create-signal
//                   the same over the HTTPS port (--web HOST:PORT): Connect
//                   with JSON, one kept-alive HTTP/1.1 connection per
//                   request in flight; their lines add ratio_to_grpc, the
//                   rate against the gRPC scenario of the same run
//                   (measured first when it was not asked for)
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/handovers.grpc.pb.h"
#include "schakel/v1/residents.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "tools/bench/https_load.h"
#include "tools/common/args.h"
#include "tools/common/version.h"

namespace {

constexpr char kProgram[] = "schakel-bench";
constexpr int kPerChannel = 16;
const char* const kScenarios[] = {"ping",         "create-signal", "get-signal",
                                  "list-signals", "handover-loop", "mixed",
                                  "https-get-signal", "https-create-signal"};

int Fail(const absl::Status& s) {
  std::cerr << kProgram << ": " << absl::StatusCodeToString(s.code()) << ": " << s.message()
            << std::endl;
  return 1;
}

absl::Status FromGrpc(const grpc::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(what, ": ", s.error_message()));
}

absl::StatusOr<std::string> ReadIdentityFile(const std::string& dir, const char* name) {
  std::ifstream in(dir + "/" + name, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("identity: cannot read ", dir, "/", name));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The channels of one identity: long-lived, one connection each.
class Pool {
 public:
  static absl::StatusOr<std::unique_ptr<Pool>> Open(const std::string& server,
                                                    const std::string& identity, int channels) {
    grpc::SslCredentialsOptions ssl;
    auto ca = ReadIdentityFile(identity, "ca.pem");
    auto cert = ReadIdentityFile(identity, "cert.pem");
    auto key = ReadIdentityFile(identity, "key.pem");
    for (const auto* f : {&ca, &cert, &key}) {
      if (!f->ok()) return f->status();
    }
    ssl.pem_root_certs = *ca;
    ssl.pem_cert_chain = *cert;
    ssl.pem_private_key = *key;
    auto pool = std::unique_ptr<Pool>(new Pool);
    // Several instances ("A,B"): the channels go round them, as a load
    // balancer spreads connections.
    const std::vector<std::string> servers = absl::StrSplit(server, ',');
    for (int i = 0; i < channels; ++i) {
      const std::string& to = servers[static_cast<size_t>(i) % servers.size()];
      grpc::ChannelArguments args;
      // Distinct arguments and a private subchannel pool: a connection of
      // its own per channel, not one shared by all of them.
      args.SetInt("schakel.bench.channel", i);
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      auto channel = grpc::CreateCustomChannel(to, grpc::SslCredentials(ssl), args);
      if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
        return absl::UnavailableError(absl::StrCat("cannot connect to ", to));
      }
      pool->directory_.push_back(schakel::v1::DirectoryService::NewStub(channel));
      pool->signals_.push_back(schakel::v1::SignalService::NewStub(channel));
      pool->handovers_.push_back(schakel::v1::HandoverService::NewStub(channel));
      pool->residents_.push_back(schakel::v1::ResidentService::NewStub(channel));
    }
    return pool;
  }
  // The stubs for in-flight slot `slot`: one channel per kPerChannel slots.
  schakel::v1::DirectoryService::Stub& directory(int slot) { return *directory_[Index(slot)]; }
  schakel::v1::SignalService::Stub& signals(int slot) { return *signals_[Index(slot)]; }
  schakel::v1::HandoverService::Stub& handovers(int slot) { return *handovers_[Index(slot)]; }
  schakel::v1::ResidentService::Stub& residents(int slot) { return *residents_[Index(slot)]; }

 private:
  Pool() = default;
  size_t Index(int slot) const { return static_cast<size_t>(slot / kPerChannel) % signals_.size(); }
  std::vector<std::unique_ptr<schakel::v1::DirectoryService::Stub>> directory_;
  std::vector<std::unique_ptr<schakel::v1::SignalService::Stub>> signals_;
  std::vector<std::unique_ptr<schakel::v1::HandoverService::Stub>> handovers_;
  std::vector<std::unique_ptr<schakel::v1::ResidentService::Stub>> residents_;
};

using Done = std::function<void(const grpc::Status&)>;

// One asynchronous unary call; `then` sees the status and the response.
template <typename Req, typename Resp, typename Start>
void Call(Start start, Req req, std::function<void(const grpc::Status&, const Resp&)> then) {
  struct State {
    grpc::ClientContext ctx;
    Req req;
    Resp resp;
  };
  auto* st = new State;
  st->req = std::move(req);
  st->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  start(&st->ctx, &st->req, &st->resp, [st, then = std::move(then)](grpc::Status s) {
    then(s, st->resp);
    delete st;
  });
}

// What one in-flight slot keeps between its requests.
struct Slot {
  int index = 0;
  std::mt19937_64 rng;
  std::vector<int64_t> latencies_us;
  int64_t errors = 0;
  std::string first_error;
  std::string pending_handover;  // handover-loop: proposed, to be accepted
  std::string pending_etag;  // its etag, for the accept
};

// The shared state of the benchmark: pools, prepared ids, the run nonce.
struct Bench {
  std::unique_ptr<Pool> own;
  std::unique_ptr<Pool> peer;
  std::vector<std::string> signal_ids;  // visible to --identity
  std::string resident_id;              // registered by --identity
  std::string peer_organisation;
  std::string nonce;
  std::string list_token;  // list-signals: the token of the page to fetch
  // The HTTPS port (--web): its port, the identity, one slot per request
  // in flight.
  int web_port = 0;
  schakel::tools::TlsIdentity tls;
  std::vector<std::unique_ptr<schakel::tools::HttpsSlot>> https;
  // Numbers the request ids of creates across all runs: a reused id would
  // be answered as a retry (idempotent replay), not as a new record.
  std::atomic<int64_t> next_request{0};

  void Ping(Slot& s, Done done) {
    auto& stub = own->directory(s.index);
    Call<schakel::v1::PingRequest, schakel::v1::PingResponse>(
        [&stub](auto* c, auto* q, auto* r, auto f) { stub.async()->Ping(c, q, r, std::move(f)); },
        {}, [done](const grpc::Status& st, const auto&) { done(st); });
  }
  void Create(Slot& s, Done done) {
    schakel::v1::CreateSignalRequest req;
    req.set_request_id(absl::StrCat("bench-", nonce, "-", next_request++));
    req.set_category("FVW-AFVALDUMP");
    req.set_wijk("prinsenhof");
    req.set_place("Hoek Prinsenhoflaan");
    req.set_description("Afval naast de container (schakel-bench)");
    auto& stub = own->signals(s.index);
    Call<schakel::v1::CreateSignalRequest, schakel::v1::Signal>(
        [&stub](auto* c, auto* q, auto* r, auto f) {
          stub.async()->CreateSignal(c, q, r, std::move(f));
        },
        std::move(req), [done](const grpc::Status& st, const auto&) { done(st); });
  }
  void Get(Slot& s, Done done) {
    schakel::v1::GetSignalRequest req;
    req.set_id(signal_ids[s.rng() % signal_ids.size()]);
    auto& stub = own->signals(s.index);
    Call<schakel::v1::GetSignalRequest, schakel::v1::Signal>(
        [&stub](auto* c, auto* q, auto* r, auto f) {
          stub.async()->GetSignal(c, q, r, std::move(f));
        },
        std::move(req), [done](const grpc::Status& st, const auto&) { done(st); });
  }
  void List(Slot& s, Done done) {
    schakel::v1::ListSignalsRequest req;
    req.set_page_size(50);
    req.set_page_token(list_token);
    auto& stub = own->signals(s.index);
    Call<schakel::v1::ListSignalsRequest, schakel::v1::ListSignalsResponse>(
        [&stub](auto* c, auto* q, auto* r, auto f) {
          stub.async()->ListSignals(c, q, r, std::move(f));
        },
        std::move(req), [done](const grpc::Status& st, const auto&) { done(st); });
  }
  void HandoverStep(Slot& s, Done done) {
    if (s.pending_handover.empty()) {
      schakel::v1::ProposeHandoverRequest req;
      req.set_request_id(absl::StrCat("bench-", nonce, "-h", next_request++));
      req.set_resident_id(resident_id);
      req.set_to_organisation_id(peer_organisation);
      req.set_reason("Hulpvraag rond schulden (schakel-bench)");
      req.mutable_basis()->mutable_consent()->set_covers("delen van de hulpvraag");
      auto& stub = own->handovers(s.index);
      Call<schakel::v1::ProposeHandoverRequest, schakel::v1::Handover>(
          [&stub](auto* c, auto* q, auto* r, auto f) {
            stub.async()->ProposeHandover(c, q, r, std::move(f));
          },
          std::move(req), [&s, done](const grpc::Status& st, const schakel::v1::Handover& h) {
            if (st.ok()) {
              s.pending_handover = h.id();
              s.pending_etag = h.etag();
            }
            done(st);
          });
      return;
    }
    schakel::v1::HandoverActionRequest req;
    req.set_id(s.pending_handover);
    req.set_etag(s.pending_etag);
    s.pending_handover.clear();
    auto& stub = peer->handovers(s.index);
    Call<schakel::v1::HandoverActionRequest, schakel::v1::Handover>(
        [&stub](auto* c, auto* q, auto* r, auto f) {
          stub.async()->AcceptHandover(c, q, r, std::move(f));
        },
        std::move(req), [done](const grpc::Status& st, const auto&) { done(st); });
  }
  void Mixed(Slot& s, Done done) {
    int r = static_cast<int>(s.rng() % 100);
    if (r < 35) return Get(s, std::move(done));
    if (r < 70) return List(s, std::move(done));
    Create(s, std::move(done));
  }

  void HttpsPost(Slot& s, std::string path, std::string body, Done done) {
    https[static_cast<size_t>(s.index)]->Post(
        std::move(path), std::move(body), [done](const absl::Status& st) {
          done(st.ok() ? grpc::Status::OK
                       : grpc::Status(grpc::StatusCode::UNKNOWN, std::string(st.message())));
        });
  }

  void Issue(const std::string& scenario, Slot& s, Done done) {
    if (scenario == "https-get-signal") {
      return HttpsPost(s, "/schakel.v1.SignalService/GetSignal",
                       absl::StrCat("{\"id\":\"", signal_ids[s.rng() % signal_ids.size()], "\"}"),
                       std::move(done));
    }
    if (scenario == "https-create-signal") {
      return HttpsPost(s, "/schakel.v1.SignalService/CreateSignal",
                       absl::StrCat("{\"requestId\":\"bench-", nonce, "-w", next_request++,
                                    "\",\"category\":\"FVW-AFVALDUMP\",\"wijk\":\"prinsenhof\",",
                                    "\"place\":\"Hoek Prinsenhoflaan\",",
                                    "\"description\":\"Afval naast de container (schakel-bench)\"}"),
                       std::move(done));
    }
    if (scenario == "ping") return Ping(s, std::move(done));
    if (scenario == "create-signal") return Create(s, std::move(done));
    if (scenario == "get-signal") return Get(s, std::move(done));
    if (scenario == "list-signals") return List(s, std::move(done));
    if (scenario == "handover-loop") return HandoverStep(s, std::move(done));
    Mixed(s, std::move(done));
  }
};

struct Figures {
  double rps = 0;
  int64_t p50 = 0, p90 = 0, p99 = 0;
  int64_t requests = 0;
  int64_t errors = 0;
  std::string first_error;
};

// One run: `concurrency` slots each issuing its next request as soon as the
// last one answered, until the time or the count is up.
Figures RunOnce(Bench& bench, const std::string& scenario, int concurrency,
                absl::Duration duration, int64_t max_requests) {
  std::vector<Slot> slots(static_cast<size_t>(concurrency));
  for (int i = 0; i < concurrency; ++i) {
    slots[i].index = i;
    slots[i].rng.seed(static_cast<uint64_t>(i) * 7919 + 17);
    slots[i].latencies_us.reserve(1 << 14);
  }
  std::atomic<int64_t> issued{0};
  absl::Mutex mu;
  int running = concurrency;
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::microseconds(absl::ToInt64Microseconds(duration));

  std::function<void(Slot&)> next = [&](Slot& s) {
    if (std::chrono::steady_clock::now() >= end || issued.fetch_add(1) >= max_requests) {
      absl::MutexLock lock(&mu);
      --running;
      return;
    }
    auto t0 = std::chrono::steady_clock::now();
    bench.Issue(scenario, s, [&, t0](const grpc::Status& st) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
      if (st.ok()) {
        s.latencies_us.push_back(us);
      } else if (s.errors++ == 0) {
        s.first_error = absl::StrCat(st.error_code(), ": ", st.error_message());
      }
      next(s);
    });
  };
  for (Slot& s : slots) next(s);
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(+[](int* r) { return *r == 0; }, &running));
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Figures f;
  std::vector<int64_t> all;
  for (Slot& s : slots) {
    all.insert(all.end(), s.latencies_us.begin(), s.latencies_us.end());
    f.errors += s.errors;
    if (f.first_error.empty()) f.first_error = s.first_error;
  }
  std::sort(all.begin(), all.end());
  f.requests = static_cast<int64_t>(all.size());
  f.rps = elapsed > 0 ? static_cast<double>(all.size()) / elapsed : 0;
  auto at = [&all](double q) -> int64_t {
    if (all.empty()) return 0;
    size_t i = std::min(all.size() - 1, static_cast<size_t>(q * static_cast<double>(all.size())));
    return all[i];
  };
  f.p50 = at(0.50);
  f.p90 = at(0.90);
  f.p99 = at(0.99);
  return f;
}

// Signals the identity can see (for get-signal and mixed); creates some
// when there are too few.
absl::Status PrepareSignals(Bench& bench) {
  auto& stub = bench.own->signals(0);
  std::string token;
  while (bench.signal_ids.size() < 1000) {
    schakel::v1::ListSignalsRequest req;
    req.set_page_size(100);
    req.set_page_token(token);
    schakel::v1::ListSignalsResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    if (auto s = FromGrpc(stub.ListSignals(&ctx, req, &resp), "prepare: list signals"); !s.ok()) {
      return s;
    }
    for (const auto& sig : resp.signals()) bench.signal_ids.push_back(sig.id());
    token = resp.next_page_token();
    if (token.empty()) break;
  }
  Slot slot;
  for (int i = static_cast<int>(bench.signal_ids.size()); i < 100; ++i) {
    schakel::v1::CreateSignalRequest req;
    req.set_request_id(absl::StrCat("bench-", bench.nonce, "-prep-", i));
    req.set_category("FVW-AFVALDUMP");
    req.set_wijk("prinsenhof");
    req.set_place("Hoek Prinsenhoflaan");
    req.set_description("Afval naast de container (schakel-bench)");
    schakel::v1::Signal out;
    grpc::ClientContext ctx;
    if (auto s = FromGrpc(stub.CreateSignal(&ctx, req, &out), "prepare: create signal");
        !s.ok()) {
      return s;
    }
    bench.signal_ids.push_back(out.id());
  }
  return absl::OkStatus();
}

// The token of page `page` (of 50) of the identity's signal list, by
// walking there.
absl::Status PrepareListPage(Bench& bench, int64_t page) {
  auto& stub = bench.own->signals(0);
  for (int64_t p = 1; p < page; ++p) {
    schakel::v1::ListSignalsRequest req;
    req.set_page_size(50);
    req.set_page_token(bench.list_token);
    schakel::v1::ListSignalsResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    if (auto s = FromGrpc(stub.ListSignals(&ctx, req, &resp), "prepare: walk to the page");
        !s.ok()) {
      return s;
    }
    if (resp.next_page_token().empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("--list-page: the list ends at page ", p));
    }
    bench.list_token = resp.next_page_token();
  }
  return absl::OkStatus();
}

// A resident of --identity's and the peer's organisation, for handover-loop.
absl::Status PrepareHandovers(Bench& bench) {
  if (bench.peer == nullptr) {
    return absl::InvalidArgumentError("--peer-identity: required by the handover-loop scenario");
  }
  {
    schakel::v1::WhoAmIResponse who;
    grpc::ClientContext ctx;
    if (auto s = FromGrpc(bench.peer->directory(0).WhoAmI(&ctx, {}, &who), "prepare: whoami");
        !s.ok()) {
      return s;
    }
    bench.peer_organisation = who.organisation().id();
  }
  schakel::v1::RegisterResidentRequest req;
  req.set_request_id(absl::StrCat("bench-", bench.nonce, "-resident"));
  req.set_name(absl::StrCat("Bench Bewoner ", bench.nonce));
  req.set_birth_date("1980-01-01");
  req.set_address("Prinsenhoflaan 1");
  req.set_wijk("prinsenhof");
  req.set_register_anyway(true);
  schakel::v1::RegisterResidentResponse resp;
  grpc::ClientContext ctx;
  if (auto s = FromGrpc(bench.own->residents(0).RegisterResident(&ctx, req, &resp),
                        "prepare: register resident");
      !s.ok()) {
    return s;
  }
  bench.resident_id = resp.id();
  return absl::OkStatus();
}

std::string PeakRss(const std::string& pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    int64_t kb = 0;
    if (line.rfind("VmHWM:", 0) == 0 &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(absl::StripSuffix(line.substr(6), "kB")),
                         &kb)) {
      return absl::StrFormat("%.1f", static_cast<double>(kb) / 1024.0);
    }
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  // Debian's Abseil is built without NDEBUG, so absl::Mutex (gRPC's and
  // ours) records every lock in a global deadlock-detection graph: a global
  // lock and a stack trace per acquisition. The tests keep it on (they run
  // servers in-process); the binaries turn it off.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  schakel::tools::Args args;
  args.AddString("server", "HOST:PORT of schakeld (several instances: A,B; connections go round them)");
  args.AddString("identity", "directory with cert.pem, key.pem, ca.pem of a professional");
  args.AddString("peer-identity", "handover-loop: the identity that accepts");
  args.AddString("scenario",
                 "ping, create-signal, get-signal, list-signals, handover-loop, mixed or all "
                 "(comma-separated; default all)");
  args.AddString("concurrency", "requests in flight (comma-separated list; default 1,8,64)");
  args.AddString("seconds", "length of each run (default 5)");
  args.AddString("max-requests", "at most this many requests per run (default 10000000)");
  args.AddString("list-page", "list-signals: which page of 50 to fetch (default 1)");
  args.AddString("server-pid", "schakeld's process id, to report its peak RSS (VmHWM)");
  args.AddString("web", "HOST:PORT of schakeld's HTTPS port, for the https-* scenarios");
  if (absl::Status s = args.Parse(argc, argv, 1); !s.ok()) return Fail(s);
  if (args.Has("version")) {
    std::cout << schakel::tools::VersionLine("schakel-bench") << "\n";
    return 0;
  }
  if (args.Has("help")) {
    std::cout << "usage: schakel-bench --server HOST:PORT --identity DIR [--peer-identity DIR] "
                 "[--scenario NAME] [--concurrency N] [--seconds S]\nflags:\n"
              << args.Help();
    return 0;
  }
  if (!args.Has("server") || !args.Has("identity")) {
    return Fail(absl::InvalidArgumentError("--server HOST:PORT and --identity DIR are required"));
  }
  std::vector<std::string> scenarios;
  for (absl::string_view name :
       absl::StrSplit(args.Has("scenario") ? args.Get("scenario") : "all", ',')) {
    if (name == "all") {
      for (const char* n : kScenarios) {
        const bool https = absl::StartsWith(n, "https-");
        if (std::string(n) != "ping" && (!https || args.Has("web"))) scenarios.emplace_back(n);
      }
      continue;
    }
    if (std::find(std::begin(kScenarios), std::end(kScenarios), name) == std::end(kScenarios)) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "--scenario: unknown scenario ", name,
          " (ping, create-signal, get-signal, list-signals, handover-loop, mixed, "
          "https-get-signal, https-create-signal, all)")));
    }
    if (name != "ping") scenarios.emplace_back(name);
  }
  std::vector<int> concurrencies;
  for (absl::string_view n :
       absl::StrSplit(args.Has("concurrency") ? args.Get("concurrency") : "1,8,64", ',')) {
    int c = 0;
    if (!absl::SimpleAtoi(n, &c) || c < 1 || c > 4096) {
      return Fail(absl::InvalidArgumentError("--concurrency: whole numbers from 1 to 4096"));
    }
    concurrencies.push_back(c);
  }
  double seconds = 5;
  if (args.Has("seconds") && (!absl::SimpleAtod(args.Get("seconds"), &seconds) ||
                              seconds <= 0 || seconds > 3600)) {
    return Fail(absl::InvalidArgumentError("--seconds: a number of seconds, above 0"));
  }
  int64_t max_requests = 10000000;
  if (args.Has("max-requests") &&
      (!absl::SimpleAtoi(args.Get("max-requests"), &max_requests) || max_requests < 1)) {
    return Fail(absl::InvalidArgumentError("--max-requests: a whole number from 1"));
  }

  const int channels =
      (*std::max_element(concurrencies.begin(), concurrencies.end()) + kPerChannel - 1) /
      kPerChannel;
  Bench bench;
  bench.nonce = absl::StrCat(absl::ToUnixMicros(absl::Now()) % 100000000000, getpid() % 1000);
  auto own = Pool::Open(args.Get("server"), args.Get("identity"), channels);
  if (!own.ok()) return Fail(own.status());
  bench.own = *std::move(own);
  if (args.Has("peer-identity")) {
    auto peer = Pool::Open(args.Get("server"), args.Get("peer-identity"), channels);
    if (!peer.ok()) return Fail(peer.status());
    bench.peer = *std::move(peer);
  }
  auto uses = [&](const char* name) {
    return std::find(scenarios.begin(), scenarios.end(), name) != scenarios.end();
  };
  const bool web = std::any_of(scenarios.begin(), scenarios.end(), [](const std::string& n) {
    return absl::StartsWith(n, "https-");
  });
  if (web) {
    if (!args.Has("web")) {
      return Fail(absl::InvalidArgumentError("--web HOST:PORT: required by the https-* scenarios"));
    }
    const std::string w = args.Get("web");
    if (!absl::SimpleAtoi(w.substr(w.rfind(':') + 1), &bench.web_port) || bench.web_port < 1) {
      return Fail(absl::InvalidArgumentError("--web: HOST:PORT"));
    }
    auto ca = ReadIdentityFile(args.Get("identity"), "ca.pem");
    auto cert = ReadIdentityFile(args.Get("identity"), "cert.pem");
    auto key = ReadIdentityFile(args.Get("identity"), "key.pem");
    for (const auto* f : {&ca, &cert, &key}) {
      if (!f->ok()) return Fail(f->status());
    }
    bench.tls = {*cert, *key, *ca};
    const int most = *std::max_element(concurrencies.begin(), concurrencies.end());
    for (int i = 0; i < most; ++i) {
      bench.https.push_back(std::make_unique<schakel::tools::HttpsSlot>(bench.web_port, bench.tls));
    }
  }
  if (uses("get-signal") || uses("mixed") || uses("https-get-signal")) {
    if (absl::Status s = PrepareSignals(bench); !s.ok()) return Fail(s);
  }
  if (args.Has("list-page")) {
    int64_t page = 0;
    if (!absl::SimpleAtoi(args.Get("list-page"), &page) || page < 1) {
      return Fail(absl::InvalidArgumentError("--list-page: a whole number from 1"));
    }
    if (absl::Status s = PrepareListPage(bench, page); !s.ok()) return Fail(s);
  }
  if (uses("handover-loop")) {
    if (absl::Status s = PrepareHandovers(bench); !s.ok()) return Fail(s);
  }

  const absl::Duration duration = absl::Seconds(seconds);
  bool failed = false;
  // The gRPC rate of each scenario at each concurrency, for ratio_to_grpc.
  std::map<std::pair<std::string, int>, double> grpc_rps;
  auto report = [&](const std::string& scenario, int conc, const Figures& f, double ping_rps) {
    std::string versus;
    if (absl::StartsWith(scenario, "https-")) {
      auto it = grpc_rps.find({scenario.substr(6), conc});
      if (it != grpc_rps.end() && it->second > 0) {
        versus = absl::StrFormat(" ratio_to_grpc=%.3f", f.rps / it->second);
      }
    } else {
      grpc_rps[{scenario, conc}] = f.rps;
    }
    std::cout << absl::StrFormat("%s conc=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d "
                                 "ratio_to_ping=%.3f%s",
                                 scenario, conc, f.rps, f.p50, f.p90, f.p99,
                                 ping_rps > 0 ? f.rps / ping_rps : 0.0, versus)
              << std::endl;
    if (f.errors > 0) {
      std::cerr << kProgram << ": " << scenario << " conc=" << conc << ": " << f.errors
                << " of " << (f.errors + f.requests) << " requests failed, first: "
                << f.first_error << std::endl;
      if (f.requests == 0) failed = true;
    }
  };
  for (int conc : concurrencies) {
    Figures ping = RunOnce(bench, "ping", conc, duration, max_requests);
    report("ping", conc, ping, ping.rps);
    for (const std::string& scenario : scenarios) {
      // An HTTPS scenario is compared with its gRPC one of the same run.
      if (absl::StartsWith(scenario, "https-") && !uses(scenario.substr(6).c_str())) {
        const std::string twin = scenario.substr(6);
        report(twin, conc, RunOnce(bench, twin, conc, duration, max_requests), ping.rps);
      }
      report(scenario, conc, RunOnce(bench, scenario, conc, duration, max_requests), ping.rps);
    }
  }
  if (args.Has("server-pid")) {
    std::string rss = PeakRss(args.Get("server-pid"));
    std::cout << "server peak_rss_mb=" << (rss.empty() ? "unknown" : rss) << std::endl;
  }
  return failed ? 1 : 0;
}
