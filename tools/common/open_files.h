// What another process holds open, read from /proc: for the checks that a
// second process never takes a live database's WAL from under schakeld.
#ifndef SCHAKEL_TOOLS_COMMON_OPEN_FILES_H_
#define SCHAKEL_TOOLS_COMMON_OPEN_FILES_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace schakel::tools {

// The files process `pid` holds open that no longer have a name: each
// "(deleted)" target under /proc/PID/fd whose path starts with `prefix`
// (DIR/schakel.db catches a -wal or -shm removed under the server). Empty
// when the process is gone.
std::vector<std::string> DeletedFilesHeldBy(pid_t pid, const std::string& prefix);

}  // namespace schakel::tools

#endif  // SCHAKEL_TOOLS_COMMON_OPEN_FILES_H_
