#include "tools/common/terminal.h"

#include <unistd.h>

#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace schakel::tools {

absl::Status Confirm(const std::string& command, const std::string& question, bool yes) {
  if (yes) return absl::OkStatus();
  if (::isatty(STDIN_FILENO) == 0 || ::isatty(STDERR_FILENO) == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(command, ": cannot be undone and there is no terminal to ask on; confirm "
                              "with --yes"));
  }
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) answer.clear();
  std::string word = absl::AsciiStrToLower(absl::StripAsciiWhitespace(answer));
  if (word == "y" || word == "yes") return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(command, ": not confirmed; nothing was changed"));
}

Progress::Progress(std::string label, std::function<std::string()> detail)
    : label_(std::move(label)), detail_(std::move(detail)), start_(absl::Now()) {
  active_ = ::isatty(STDERR_FILENO) != 0;
  if (!active_) return;
  Draw();
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) {
      Draw();
    }
  });
}

Progress::~Progress() { Done(); }

void Progress::Done() {
  if (!active_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  Draw();
  std::cerr << "\r\033[K" << std::flush;  // the result line stands alone
}

void Progress::Draw() {
  std::string detail = detail_ ? detail_() : "";
  int64_t seconds = absl::ToInt64Seconds(absl::Now() - start_);
  std::cerr << "\r\033[K" << label_ << ": " << detail << (detail.empty() ? "" : " ") << "("
            << seconds << " s)" << std::flush;
}

std::string Bytes(int64_t n) {
  if (n < 1000 * 1000) return absl::StrFormat("%.1f kB", static_cast<double>(n) / 1e3);
  if (n < int64_t{1000} * 1000 * 1000) return absl::StrFormat("%.1f MB", static_cast<double>(n) / 1e6);
  return absl::StrFormat("%.2f GB", static_cast<double>(n) / 1e9);
}

}  // namespace schakel::tools
