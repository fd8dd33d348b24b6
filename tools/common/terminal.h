// What the tools do differently on a terminal: ask for confirmation, and
// show the progress of long work on one line of stderr.
#ifndef SCHAKEL_TOOLS_COMMON_TERMINAL_H_
#define SCHAKEL_TOOLS_COMMON_TERMINAL_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace schakel::tools {

// Confirmation of an act that cannot be undone. With `yes` (the --yes
// flag): OK. On a terminal (stdin and stderr): asks `question` followed by
// " [y/N] " on stderr and reads one line; OK for "y" or "yes", else
// ABORTED "<command>: not confirmed". Without a terminal and without
// --yes: FAILED_PRECONDITION "<command>: ... confirm with --yes".
absl::Status Confirm(const std::string& command, const std::string& question, bool yes);

// A progress line on stderr while long work runs, when stderr is a
// terminal; nothing at all otherwise (piped, redirected, in scripts).
// Shows "<label>: <detail()> (<elapsed>)" at once and every 200 ms,
// rewritten in place with \r, and clears it when destroyed or Done(), so
// the result line that follows stands alone. `detail` is called on the
// progress thread: it must be safe to call concurrently with the work.
class Progress {
 public:
  Progress(std::string label, std::function<std::string()> detail);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Whether a line is shown (stderr is a terminal).
  bool active() const { return active_; }
  // Stops and clears the line; idempotent.
  void Done();

 private:
  void Draw();

  std::string label_;
  std::function<std::string()> detail_;
  bool active_ = false;
  absl::Time start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// "12.3 MB" for a byte count.
std::string Bytes(int64_t n);

}  // namespace schakel::tools

#endif  // SCHAKEL_TOOLS_COMMON_TERMINAL_H_
