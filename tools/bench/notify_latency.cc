// schakel-notify-bench: how long a notification takes from the commit of
// its event to the professional it is for. A benchmark, not a test: it
// prints figures (docs/performance.md).
//
//   schakel-notify-bench --server HOST:PORT --identity SENDER_DIR
//                        --peer-identity RECEIVER_DIR --to ORG
//                        [--count N] [--smtp-port PORT]
//
// The receiver keeps WatchNotifications open; the sender proposes N
// handovers to ORG one after the other, each waiting for the last to
// arrive. For each: from the answer of ProposeHandover (its commit is
// before it) to the stream bringing the notification. With --smtp-port the
// bench is also the SMTP relay on 127.0.0.1:PORT (plaintext: the
// deployment's smtp has allow_plaintext, and the receiver chose email_now
// for handover_proposed, with a work e-mail set), and times the end of each
// message's DATA the same way. The commit lies between the request and its
// answer, so each figure is given from both (a lower and an upper bound; a
// negative one means it arrived before the answer did). Prints:
//
//   stream after_answer n=<N> p50_ms=<a> p90_ms=<b> max_ms=<c>
//   stream after_request ...
//   smtp   after_answer ...
//   smtp   after_request ...
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "schakel/client.h"
#include "tools/common/args.h"

namespace {

using schakel::Client;

// A plaintext SMTP relay that answers every command and notes when each
// message's DATA ended. Enough for the bench; nothing else uses it.
class TimingRelay {
 public:
  explicit TimingRelay(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ok_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
          ::listen(fd_, 16) == 0;
    if (ok_) thread_ = std::thread([this] { Serve(); });
  }
  ~TimingRelay() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    if (thread_.joinable()) thread_.join();
  }
  bool ok() const { return ok_; }
  // Waits until message `n` (0-based) arrived; its time.
  std::optional<absl::Time> Await(size_t n, absl::Duration wait) {
    absl::MutexLock lock(&mu_);
    auto arrived = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return times_.size() > n; };
    if (!mu_.AwaitWithTimeout(absl::Condition(&arrived), wait)) return std::nullopt;
    return times_[n];
  }

 private:
  void Serve() {
    while (true) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      Session(c);
      ::close(c);
    }
  }
  static void Say(int c, const char* line) { (void)!::write(c, line, strlen(line)); }
  void Session(int c) {
    Say(c, "220 bench ESMTP\r\n");
    std::string buf;
    bool data = false;
    char chunk[4096];
    while (true) {
      ssize_t n = ::read(c, chunk, sizeof(chunk));
      if (n <= 0) return;
      buf.append(chunk, static_cast<size_t>(n));
      while (true) {
        if (data) {
          size_t end = buf.find("\r\n.\r\n");
          if (end == std::string::npos) break;
          {
            absl::MutexLock lock(&mu_);
            times_.push_back(absl::Now());
          }
          buf.erase(0, end + 5);
          data = false;
          Say(c, "250 queued\r\n");
          continue;
        }
        size_t eol = buf.find("\r\n");
        if (eol == std::string::npos) break;
        std::string line = buf.substr(0, eol);
        buf.erase(0, eol + 2);
        std::string verb = line.substr(0, 4);
        for (char& ch : verb) ch = static_cast<char>(toupper(ch));
        if (verb == "EHLO" || verb == "HELO") {
          Say(c, "250 bench\r\n");
        } else if (verb == "DATA") {
          data = true;
          Say(c, "354 go on\r\n");
        } else if (verb == "QUIT") {
          Say(c, "221 bye\r\n");
          return;
        } else {
          Say(c, "250 ok\r\n");
        }
      }
    }
  }

  int fd_ = -1;
  bool ok_ = false;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<absl::Time> times_ ABSL_GUARDED_BY(mu_);
};

void PrintFigures(const char* what, std::vector<double> ms) {
  if (ms.empty()) {
    std::printf("%s n=0\n", what);
    return;
  }
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))]; };
  std::printf("%s n=%zu p50_ms=%.2f p90_ms=%.2f max_ms=%.2f\n", what, ms.size(), at(0.5), at(0.9),
              ms.back());
}

int Fail(const std::string& what) {
  std::cerr << "schakel-notify-bench: " << what << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  schakel::tools::Args args;
  args.AddString("server", "HOST:PORT of schakeld");
  args.AddString("identity", "the sender's identity directory");
  args.AddString("peer-identity", "the receiver's identity directory");
  args.AddString("to", "the receiver's organisation id");
  args.AddString("count", "handovers to propose (default 50)");
  args.AddString("smtp-port", "be the SMTP relay on 127.0.0.1:PORT and time e-mail too");
  if (absl::Status s = args.Parse(argc, argv, 1); !s.ok()) return Fail(std::string(s.message()));
  int count = 50;
  if (args.Has("count") && (!absl::SimpleAtoi(args.Get("count"), &count) || count < 1)) {
    return Fail("--count: a positive number");
  }
  int smtp_port = 0;
  if (args.Has("smtp-port") && !absl::SimpleAtoi(args.Get("smtp-port"), &smtp_port)) {
    return Fail("--smtp-port: a port number");
  }
  std::unique_ptr<TimingRelay> relay;
  if (smtp_port > 0) {
    relay = std::make_unique<TimingRelay>(smtp_port);
    if (!relay->ok()) return Fail(absl::StrCat("cannot listen on 127.0.0.1:", smtp_port));
  }
  auto connect = [&](const std::string& dir) {
    schakel::ClientOptions o;
    o.server = args.Get("server");
    o.identity_dir = dir;
    return Client::Connect(o);
  };
  auto sender = connect(args.Get("identity"));
  auto receiver = connect(args.Get("peer-identity"));
  if (!sender.ok()) return Fail(std::string(sender.status().message()));
  if (!receiver.ok()) return Fail(std::string(receiver.status().message()));

  absl::Mutex mu;
  std::vector<std::pair<std::string, absl::Time>> seen;  // resource id, arrival
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done) {
      absl::Status s = receiver->WatchNotifications(
          schakel::v1::WatchNotificationsRequest(), absl::Seconds(30),
          [&](const schakel::v1::Notification& n) {
            absl::MutexLock lock(&mu);
            seen.emplace_back(n.resource_id(), absl::Now());
            return !done.load();
          });
      if (!s.ok()) std::cerr << "watch: " << s << "\n";
    }
  });
  absl::SleepFor(absl::Milliseconds(500));  // the stream is open
  // The commit is between the request and its answer: each figure from
  // both, a lower and an upper bound (a negative one: it came first).
  std::vector<double> stream_ms, smtp_ms, stream_sent_ms, smtp_sent_ms;
  for (int i = 0; i < count; ++i) {
    schakel::v1::RegisterResidentRequest reg;
    reg.set_request_id(absl::StrCat("bench-", absl::ToUnixMicros(absl::Now()), "-", i));
    reg.set_name(absl::StrCat("Bench Inwoner ", i));
    reg.set_birth_date("1980-01-01");
    reg.set_address("Benchstraat 1");
    reg.set_wijk("prinsenhof");
    reg.set_register_anyway(true);
    auto resident = sender->RegisterResident(reg);
    if (!resident.ok()) return Fail(std::string(resident.status().message()));
    schakel::v1::ProposeHandoverRequest p;
    p.set_request_id(absl::StrCat(reg.request_id(), "-h"));
    p.set_resident_id(resident->id());
    p.set_to_organisation_id(args.Get("to"));
    p.set_reason("benchmark");
    p.mutable_basis()->mutable_consent()->set_covers("benchmark");
    const absl::Time sent = absl::Now();
    auto h = sender->ProposeHandover(p);
    if (!h.ok()) return Fail(std::string(h.status().message()));
    const absl::Time acknowledged = absl::Now();
    std::optional<absl::Time> arrived;
    for (int w = 0; w < 5000 && !arrived; ++w) {
      {
        absl::MutexLock lock(&mu);
        for (const auto& [id, t] : seen) {
          if (id == h->id()) arrived = t;
        }
      }
      if (!arrived) absl::SleepFor(absl::Microseconds(200));
    }
    if (arrived) {
      stream_ms.push_back(absl::ToDoubleMilliseconds(*arrived - acknowledged));
      stream_sent_ms.push_back(absl::ToDoubleMilliseconds(*arrived - sent));
    }
    if (relay) {
      std::optional<absl::Time> mailed = relay->Await(static_cast<size_t>(i), absl::Seconds(30));
      if (mailed) {
        smtp_ms.push_back(absl::ToDoubleMilliseconds(*mailed - acknowledged));
        smtp_sent_ms.push_back(absl::ToDoubleMilliseconds(*mailed - sent));
      }
    }
  }
  done = true;
  watcher.join();
  PrintFigures("stream after_answer", stream_ms);
  PrintFigures("stream after_request", stream_sent_ms);
  if (relay) {
    PrintFigures("smtp   after_answer", smtp_ms);
    PrintFigures("smtp   after_request", smtp_sent_ms);
  }
  return 0;
}
