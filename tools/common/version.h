// The version every binary prints for --version.
#ifndef SCHAKEL_TOOLS_COMMON_VERSION_H_
#define SCHAKEL_TOOLS_COMMON_VERSION_H_

#include <string>

namespace schakel::tools {

// schakel's release, one for all binaries (they ship together).
inline constexpr char kVersion[] = "0.20.0";

// "<program> 0.20.0 (commit 1a2b3c4d5e6f)": the commit the build was
// configured from (SCHAKEL_COMMIT, from git at cmake time; "unknown"
// outside a git checkout).
std::string VersionLine(const std::string& program);

}  // namespace schakel::tools

#endif  // SCHAKEL_TOOLS_COMMON_VERSION_H_
