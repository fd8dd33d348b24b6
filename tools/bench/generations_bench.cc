// schakel-generations-bench: the two ways for several schakeld instances on
// one PostgreSQL database to learn that another one changed what a cache
// holds (store/shared_generations.h), measured on the deployment's own
// table cache_generations. A benchmark: it prints figures and asserts
// nothing (docs/performance.md, "Several instances").
//
//   schakel-generations-bench --conninfo C [--rounds N] [--load K]
//
// read: what schakeld does before each request, one statement on a
// connection of its own, N times in a row:
//   op=read rounds=<n> p50_us=<x> p99_us=<x> max_us=<x>
// notify: the alternative, LISTEN/NOTIFY. One connection LISTENs; another
// commits N times, one after the other, what a revocation commits (the
// generation raised) plus a NOTIFY. For each commit: how long after the
// writer had the commit's acknowledgement the listener had the
// notification. Every microsecond of that is a window in which a request
// that the other instance starts after the commit — the next request of
// the revoking administrator's client, sent there by the load balancer —
// is answered from the cache the commit made stale:
//   op=notify rounds=<n> after_ack=<fraction of commits notified after their ack>
//     p50_us=<x> p99_us=<x> max_us=<x>   (notification time minus ack time)
// --load K runs K more connections committing write transactions (each
// with a transaction id, so a WAL flush) all along, as a loaded primary.
//
// It raises the 'directory' generation N times: every schakeld on that
// database empties its directory cache as often. Run it on a benchmark
// database.
#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tools/common/version.h"

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(PGconn* c, const std::string& what) {
  std::fprintf(stderr, "schakel-generations-bench: %s: %s\n", what.c_str(),
               c != nullptr ? PQerrorMessage(c) : "");
  std::exit(1);
}

PGconn* Connect(const std::string& conninfo) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) Die(c, "connect");
  return c;
}

void Exec(PGconn* c, const char* sql) {
  PGresult* r = PQexec(c, sql);
  const ExecStatusType st = PQresultStatus(r);
  PQclear(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) Die(c, sql);
}

// Microseconds at the 50th and 99th percentile and the largest.
void PrintQuantiles(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto at = [&](double q) { return us[static_cast<size_t>(q * (us.size() - 1))]; };
  std::printf(" p50_us=%.0f p99_us=%.0f max_us=%.0f\n", at(0.5), at(0.99), us.back());
}

void MeasureRead(const std::string& conninfo, int rounds) {
  PGconn* c = Connect(conninfo);
  PGresult* prepared =
      PQprepare(c, "g", "SELECT name, generation FROM cache_generations", 0, nullptr);
  if (PQresultStatus(prepared) != PGRES_COMMAND_OK) Die(c, "prepare");
  PQclear(prepared);
  std::vector<double> us;
  for (int i = 0; i < rounds; ++i) {
    const Clock::time_point t0 = Clock::now();
    PGresult* r = PQexecPrepared(c, "g", 0, nullptr, nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 2) Die(c, "read");
    PQclear(r);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::printf("op=read rounds=%d", rounds);
  PrintQuantiles(us);
  PQfinish(c);
}

void MeasureNotify(const std::string& conninfo, int rounds) {
  PGconn* listener = Connect(conninfo);
  Exec(listener, "LISTEN schakel_generations");
  PGconn* writer = Connect(conninfo);

  std::mutex mu;
  std::condition_variable cv;
  int received = 0;
  std::vector<Clock::time_point> arrived;
  std::atomic<bool> stop{false};
  std::thread listen([&] {
    while (!stop) {
      pollfd p{PQsocket(listener), POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      if (PQconsumeInput(listener) == 0) Die(listener, "listen");
      while (PGnotify* n = PQnotifies(listener)) {
        const Clock::time_point t = Clock::now();
        PQfreemem(n);
        std::lock_guard<std::mutex> lock(mu);
        arrived.push_back(t);
        ++received;
        cv.notify_all();
      }
    }
  });

  std::vector<double> after_ack_us;
  int late = 0;
  for (int i = 0; i < rounds; ++i) {
    // What a revocation commits for the caches, and the notification, in
    // one round trip: the notification is sent at the commit.
    Exec(writer,
         "BEGIN; UPDATE cache_generations SET generation = generation + 1"
         " WHERE name = 'directory'; SELECT pg_notify('schakel_generations', 'directory');"
         " COMMIT");
    const Clock::time_point acked = Clock::now();
    std::unique_lock<std::mutex> lock(mu);
    if (!cv.wait_for(lock, std::chrono::seconds(10), [&] { return received > i; })) {
      Die(nullptr, "no notification within 10 s");
    }
    const double us = std::chrono::duration<double, std::micro>(arrived[i] - acked).count();
    if (us > 0) ++late;
    after_ack_us.push_back(us);
  }
  stop = true;
  listen.join();
  std::printf("op=notify rounds=%d after_ack=%.3f", rounds, static_cast<double>(late) / rounds);
  PrintQuantiles(after_ack_us);
  PQfinish(writer);
  PQfinish(listener);
}

}  // namespace

int main(int argc, char** argv) {
  std::string conninfo;
  int rounds = 2000, load = 0;
  if (argc == 2 && std::string(argv[1]) == "--version") {
    std::printf("%s\n", schakel::tools::VersionLine("schakel-generations-bench").c_str());
    return 0;
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--conninfo") conninfo = value;
    else if (flag == "--rounds") rounds = std::atoi(value.c_str());
    else if (flag == "--load") load = std::atoi(value.c_str());
    else conninfo.clear(), i = argc;
  }
  if (conninfo.empty() || rounds < 1 || load < 0 || (argc - 1) % 2 != 0) {
    std::fprintf(stderr,
                 "usage: schakel-generations-bench --conninfo CONNINFO [--rounds N] [--load K]\n");
    return 1;
  }
  std::atomic<bool> stop{false};
  std::vector<std::thread> loaders;
  for (int k = 0; k < load; ++k) {
    loaders.emplace_back([&] {
      PGconn* c = Connect(conninfo);
      while (!stop) Exec(c, "BEGIN; SELECT txid_current(); COMMIT");
      PQfinish(c);
    });
  }
  MeasureRead(conninfo, rounds);
  MeasureNotify(conninfo, rounds);
  stop = true;
  for (std::thread& t : loaders) t.join();
  return 0;
}
