// A SQLite VFS for fault tests: it wraps the platform's default VFS, becomes
// the process's default, and can make every write fail as a full disk does
// (SQLITE_FULL) or every sync fail as a broken disk does
// (SQLITE_IOERR_FSYNC). With no fault set it only forwards.
//
// Thread-safe: the switches are atomics, read on every call.
#ifndef SCHAKEL_TESTS_SUPPORT_FAULT_VFS_H_
#define SCHAKEL_TESTS_SUPPORT_FAULT_VFS_H_

namespace schakel::testing {

class FaultVfs {
 public:
  // Registers the VFS as the default; idempotent. Call before any database
  // of the test is opened.
  static void Install();
  // While on, writes and truncations of database files fail with SQLITE_FULL.
  static void SetDiskFull(bool on);
  // While on, syncs fail with SQLITE_IOERR_FSYNC.
  static void SetSyncFails(bool on);
  // Writes refused since Install().
  static long RefusedWrites();
};

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_FAULT_VFS_H_
