#include "tools/common/version.h"

#include "absl/strings/str_cat.h"

#ifndef SCHAKEL_COMMIT
#define SCHAKEL_COMMIT "unknown"
#endif

namespace schakel::tools {

std::string VersionLine(const std::string& program) {
  return absl::StrCat(program, " ", kVersion, " (commit ", SCHAKEL_COMMIT, ")");
}

}  // namespace schakel::tools
