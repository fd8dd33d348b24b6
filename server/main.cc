// schakeld: the schakel server.
//
//   schakeld --deployment DIR [--listen HOST:PORT] [--kek-file FILE] [--reflection]
//            [--accept-checkpoint-loss]
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "server/common/files.h"
#include "server/common/log.h"
#include "server/deployment/deployment.h"
#include "server/deployment/init.h"
#include "server/server.h"
#include "tools/common/args.h"
#include "tools/common/version.h"

namespace {

std::string SelfDirectory() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

}  // namespace

int main(int argc, char** argv) {
  ::umask(077);
  // Debian's Abseil is built without NDEBUG, so absl::Mutex (gRPC's and
  // ours) records every lock in a global deadlock-detection graph: a global
  // lock and a stack trace per acquisition. The tests keep it on (they run
  // servers in-process); the binaries turn it off.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // Keys live in this process's memory (the database key, and OpenSSL's
  // key schedules of every connection): no core dumps, no ptrace by other
  // processes of the same user.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  struct rlimit no_core = {0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  schakel::tools::Args args;
  args.AddString("deployment", "the deployment directory (required)");
  args.AddString("listen", "HOST:PORT to listen on (default: the config's listen)");
  args.AddString("web-listen",
                 "HOST:PORT of the HTTPS port: Connect API and web console (default: the "
                 "config's web.listen; off: none)");
  args.AddString("kek-file", "file holding the key-encryption key (default: the config's source)");
  args.AddBool("reflection", "serve gRPC server reflection");
  args.AddBool("accept-checkpoint-loss",
               "start although audit-checkpoints was lost (recorded in the audit log)");
  if (absl::Status s = args.Parse(argc, argv, 1); !s.ok()) {
    std::cerr << "schakeld: " << s.message() << "\n";
    return 2;
  }
  if (args.Has("version")) {
    std::cout << schakel::tools::VersionLine("schakeld") << "\n";
    return 0;
  }
  if (args.Has("help")) {
    std::cout << "usage: schakeld --deployment DIR [--listen HOST:PORT] [--web-listen HOST:PORT] [--kek-file FILE] "
                 "[--reflection] [--accept-checkpoint-loss]\n";
    return 0;
  }
  if (!args.Has("deployment") || !args.positional().empty()) {
    std::cerr << "schakeld: usage: schakeld --deployment DIR [--listen HOST:PORT] "
                 "[--kek-file FILE] [--reflection]\n";
    return 2;
  }

  // SIGTERM and SIGINT are taken by one thread with sigwait, so shutdown
  // runs in ordinary code, not in a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  schakel::ServerOptions options;
  options.deployment_dir = std::filesystem::absolute(args.Get("deployment")).lexically_normal().string();
  options.listen = args.Get("listen");
  options.web_listen = args.Get("web-listen");
  if (args.Has("kek-file")) options.kek_file = args.Get("kek-file");
  options.reflection = args.Has("reflection");
  options.accept_checkpoint_loss = args.Has("accept-checkpoint-loss");
  auto server = schakel::Server::Start(options);
  if (!server.ok()) {
    std::cerr << "schakeld: cannot start: " << server.status().message() << "\n";
    return 1;
  }
  // The banner is written at once, so that a reader gets it whole.
  std::string banner = absl::StrCat("schakeld listening on ", (*server)->address(), "\n");
  if (!(*server)->web_address().empty()) {
    absl::StrAppend(&banner, "web console and HTTPS API on https://", (*server)->web_address(),
                    "/\n");
  }
  if ((*server)->demo()) {
    schakel::deployment::Paths paths(options.deployment_dir);
    std::string cli = schakel::JoinPath(SelfDirectory(), "schakel");
    if (!(*server)->web_address().empty()) {
      absl::StrAppend(&banner, "in a browser: import ", paths.UserDir("regisseur"),
                      "/identity.p12 (its password is in p12-password), then open https://",
                      (*server)->web_address(), "/\n");
    }
    absl::StrAppend(&banner, "demo deployment ", paths.dir,
                    " (its key-encryption key is kept in demo-passphrase, for the demo only)\n",
                    "call it as each demo professional:\n");
    for (const auto& u : schakel::deployment::DemoUsers()) {
      absl::StrAppend(&banner, "  ", cli, " --server ", (*server)->address(), " --identity ",
                      paths.UserDir(u.name), " whoami\n");
    }
  }
  std::cout << banner << std::flush;
  schakel::LogInfo(absl::StrCat("serving on ", (*server)->address()));

  int sig = 0;
  sigwait(&signals, &sig);
  schakel::LogInfo(absl::StrCat("signal ", sig, ": shutting down"));
  (*server)->Shutdown((*server)->shutdown_grace());
  server->reset();
  schakel::LogInfo("stopped");
  return 0;
}
