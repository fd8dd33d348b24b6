#include "tests/support/process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace schakel::testing {
namespace {

// Reads both pipes until both are closed, so that neither can fill up and
// block the child while the other is being read.
void DrainBoth(int out_fd, int err_fd, std::string* out, std::string* err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {out, err};
  int open = 2;
  char buf[4096];
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else {
        fds[i].fd = -1;
        --open;
      }
    }
  }
}

// Everything a child needs between fork and exec, built before the fork, so
// that the child makes system calls only: another thread of this process may
// hold a lock (malloc's, the name service's) at the fork, and the child would
// wait on it forever.
class ChildLaunch {
 public:
  ChildLaunch(const std::vector<std::string>& argv, const ChildOptions& options)
      : options_(options), args_(argv), parent_(::getpid()) {
    for (std::string& a : args_) argv_.push_back(a.data());
    argv_.push_back(nullptr);
    if (options.env.empty()) return;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry = *e;
      const std::string name = entry.substr(0, entry.find('='));
      bool replaced = false;
      for (const auto& [key, value] : options.env) replaced = replaced || key == name;
      if (!replaced) env_.push_back(entry);
    }
    for (const auto& [key, value] : options.env) env_.push_back(absl::StrCat(key, "=", value));
    for (std::string& e : env_) envp_.push_back(e.data());
    envp_.push_back(nullptr);
  }

  // In the child, once its descriptors are in place: takes the options'
  // credentials, directory and environment and execs argv; never returns.
  [[noreturn]] void Exec() const {
    if (options_.user.has_value()) {
      const ChildOptions::User& u = *options_.user;
      if (::setgroups(u.groups.size(), u.groups.data()) != 0) Fail("setgroups");
      if (::setgid(u.gid) != 0) Fail("setgid");
      if (::setuid(u.uid) != 0) Fail("setuid");
    }
    if (options_.die_with_parent) {
      // After setuid: a credential change clears the parent-death signal.
      if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) Fail("prctl(PR_SET_PDEATHSIG)");
      // The parent may have died before prctl, and then no signal comes.
      if (::getppid() != parent_) ::_exit(126);
    }
    if (!options_.cwd.empty() && ::chdir(options_.cwd.c_str()) != 0) Fail("chdir");
    if (envp_.empty()) {
      ::execv(argv_[0], argv_.data());
    } else {
      ::execve(argv_[0], argv_.data(), envp_.data());
    }
    ::_exit(127);
  }

 private:
  [[noreturn]] static void Fail(const char* what) {
    static constexpr char kPrefix[] = "child process: ";
    static constexpr char kSuffix[] = " failed\n";
    (void)!::write(2, kPrefix, sizeof(kPrefix) - 1);
    (void)!::write(2, what, ::strlen(what));
    (void)!::write(2, kSuffix, sizeof(kSuffix) - 1);
    ::_exit(126);
  }

  const ChildOptions& options_;
  std::vector<std::string> args_;
  std::vector<char*> argv_;
  std::vector<std::string> env_;
  std::vector<char*> envp_;
  pid_t parent_;
};

}  // namespace

std::string Bin(const std::string& name) { return absl::StrCat(SCHAKEL_BIN_DIR, "/", name); }



// Runs argv to completion (bounded by the binaries' own deadlines).
Result RunCommand(const std::vector<std::string>& argv, const ChildOptions& options) {
  const ChildLaunch launch(argv, options);
  int out[2], err[2];
  EXPECT_EQ(::pipe(out), 0);
  EXPECT_EQ(::pipe(err), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::close(out[0]);
    ::close(err[0]);
    launch.Exec();
  }
  ::close(out[1]);
  ::close(err[1]);
  Result r;
  DrainBoth(out[0], err[0], &r.out, &r.err);
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

int Spawn(const std::vector<std::string>& args, const std::string& err_path, pid_t* pid,
          const ChildOptions& options) {
  const ChildLaunch launch(args, options);
  int out[2];
  if (::pipe(out) != 0) return -1;
  *pid = ::fork();
  if (*pid == 0) {
    ::dup2(out[1], 1);
    int errfd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(errfd, 2);
    ::close(out[0]);
    launch.Exec();
  }
  ::close(out[1]);
  return out[0];
}

Daemon::Daemon(const std::string& deployment, const std::vector<std::string>& extra_args) {
    const std::string web_marker = "HTTPS API on https://";
    std::vector<std::string> args = {Bin("schakeld"), "--deployment", deployment, "--listen",
                                     "127.0.0.1:0"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    err_path_ = deployment + ".stderr";
    out_fd_ = Spawn(args, err_path_, &pid_);
    EXPECT_GE(out_fd_, 0);
    // Read until the banner names the address (at most 20 s).
    std::string banner;
    absl::Time until = absl::Now() + absl::Seconds(20);
    while (absl::Now() < until) {
      pollfd p{out_fd_, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[4096];
      ssize_t n = ::read(out_fd_, buf, sizeof(buf));
      if (n <= 0) break;
      banner.append(buf, static_cast<size_t>(n));
      // schakeld writes its banner (the HTTPS line included) in one piece:
      // the first line is enough.
      if (banner.find("schakeld listening on ") != std::string::npos &&
          banner.find('\n') != std::string::npos) {
        break;
      }
    }
    banner_ = banner;
    const std::string marker = "schakeld listening on ";
    auto at = banner.find(marker);
    if (at != std::string::npos) {
      address_ = banner.substr(at + marker.size(), banner.find('\n', at) - at - marker.size());
    }
    at = banner.find(web_marker);
    if (at != std::string::npos) {
      at += web_marker.size();
      size_t end = banner.find_first_of("/\n", at);
      web_address_ = banner.substr(at, end - at);
    }
  }
Daemon::~Daemon() { Stop(); }

int Daemon::Stop() {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 200; ++i) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        pid_ = 0;
        ::close(out_fd_);
        return exit_code_;
      }
      ::usleep(50 * 1000);
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
    ::close(out_fd_);
    return exit_code_ = 137;
  }

int Daemon::Kill() {
  if (pid_ <= 0) return exit_code_;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = 0;
  ::close(out_fd_);
  return exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Daemon::Stderr() const { return ReadFileOrDie(err_path_); }

}  // namespace schakel::testing
