#include "tools/common/open_files.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace schakel::tools {

std::vector<std::string> DeletedFilesHeldBy(pid_t pid, const std::string& prefix) {
  std::vector<std::string> deleted;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(absl::StrCat("/proc/", pid, "/fd"), ec)) {
    std::string target = std::filesystem::read_symlink(entry.path(), ec).string();
    if (ec) continue;
    if (absl::StartsWith(target, prefix) && absl::EndsWith(target, " (deleted)")) {
      deleted.push_back(target);
    }
  }
  return deleted;
}

}  // namespace schakel::tools
