// Running the real binaries from tests: one-shot commands and schakeld as
// a child process on a free port.
#ifndef SCHAKEL_TESTS_SUPPORT_PROCESS_H_
#define SCHAKEL_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace schakel::testing {

// How a child process starts, beyond its argv. The defaults start it as
// RunCommand and Spawn always did: as this process's user, in its working
// directory and environment.
struct ChildOptions {
  // The credentials the child takes before exec (this process must be
  // root): groups, then gid, then uid. The caller looks them up before the
  // fork, so that the child calls nothing but system calls between fork and
  // exec (this process may have other threads).
  struct User {
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;
  };
  std::optional<User> user;
  // SIGKILL the child when the thread that started it ends (PR_SET_PDEATHSIG,
  // set after the credential change, which clears it), so that a test killed
  // with -9 leaves no server behind. Start such a child from the main thread.
  bool die_with_parent = false;
  // The child's working directory; empty: this process's.
  std::string cwd;
  // Variables set (or replaced) in the child's environment.
  std::vector<std::pair<std::string, std::string>> env;
};

// The path of a binary in bin/ of the build directory (SCHAKEL_BIN_DIR).
std::string Bin(const std::string& name);

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv to completion and collects its output. A child that cannot take
// `options` (a credential change or chdir fails) exits with 126 and says why
// on stderr.
Result RunCommand(const std::vector<std::string>& argv, const ChildOptions& options = {});

// Starts argv[0] with `args` as a child process whose stderr goes to the
// file `err_path` and whose stdout is the returned descriptor's (the
// caller reads and closes it); `pid` is set. -1 when the pipe fails.
int Spawn(const std::vector<std::string>& args, const std::string& err_path, pid_t* pid,
          const ChildOptions& options = {});

// schakeld --deployment DIR --listen 127.0.0.1:0 [EXTRA_ARGS...] as a child
// process; the constructor waits (at most 20 s) for the banner naming the
// address (and the HTTPS port's, when EXTRA_ARGS has --web-listen).
class Daemon {
 public:
  explicit Daemon(const std::string& deployment,
                  const std::vector<std::string>& extra_args = {});
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // SIGTERM, then the exit code (137 when it had to be killed).
  int Stop();
  // SIGKILL at once (a crash), then reaped; the exit code (137).
  int Kill();
  const std::string& address() const { return address_; }
  // HOST:PORT of the HTTPS port from the banner; empty when it has none.
  const std::string& web_address() const { return web_address_; }
  pid_t pid() const { return pid_; }
  const std::string& banner() const { return banner_; }
  std::string Stderr() const;

 private:
  pid_t pid_ = 0;
  int out_fd_ = -1;
  int exit_code_ = -1;
  std::string address_;
  std::string web_address_;
  std::string banner_;
  std::string err_path_;
};

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_PROCESS_H_
