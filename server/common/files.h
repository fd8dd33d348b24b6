// File helpers for secrets: durable writes, owner-only permissions.
#ifndef SCHAKEL_SERVER_COMMON_FILES_H_
#define SCHAKEL_SERVER_COMMON_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace schakel {

// Reads a whole file. NOT_FOUND when it does not exist.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Writes `data` to `path` durably: a temporary file in the same directory,
// fsync, rename over `path`, fsync of the directory. The file is created with
// `mode` (subject to the umask). On failure nothing is left at `path` that
// was not there before.
absl::Status WriteFileDurably(const std::string& path, const std::string& data,
                              int mode = 0600);

// Renames `from` over `to` and fsyncs the directory.
absl::Status RenameDurably(const std::string& from, const std::string& to);

// Creates a directory with `mode`; OK when it already exists.
absl::Status MakeDirectory(const std::string& path, int mode = 0700);

// FAILED_PRECONDITION naming the file when it can be read or written by
// group or others (a secret must be private to the service user).
absl::Status CheckPrivate(const std::string& path);

bool PathExists(const std::string& path);

// `dir` + "/" + `name`, unless `name` is absolute.
std::string JoinPath(const std::string& dir, const std::string& name);

}  // namespace schakel

#endif  // SCHAKEL_SERVER_COMMON_FILES_H_
