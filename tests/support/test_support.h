// Shared test helpers: a StatusIs matcher (Abseil 20220623 has none),
// temporary directories, demo deployments and channels with an identity.
#ifndef SCHAKEL_TESTS_SUPPORT_TEST_SUPPORT_H_
#define SCHAKEL_TESTS_SUPPORT_TEST_SUPPORT_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace schakel::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

// Matches an absl::Status or absl::StatusOr<T> with `code` and a message
// matching `message_matcher`.
MATCHER_P2(StatusIs, code, message_matcher, "") {
  const absl::Status& s = GetStatus(arg);
  if (s.code() != code) {
    *result_listener << "status is " << s;
    return false;
  }
  return ::testing::ExplainMatchResult(message_matcher, std::string(s.message()),
                                       result_listener);
}

MATCHER(IsOk, "") {
  const absl::Status& s = GetStatus(arg);
  if (!s.ok()) *result_listener << "status is " << s;
  return s.ok();
}

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadFileOrDie(const std::string& path);
// Reads a file through another process (cat), never through a descriptor of
// this one: for a database, its -wal or -shm while a connection of this
// process has it open. Closing any descriptor of a file drops every POSIX
// lock this process holds on it, SQLite's included.
std::string ReadFileFromAnotherProcess(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& content);

// A client context with a 10-second deadline.
class CallContext {
 public:
  CallContext() {
    ctx_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  }
  grpc::ClientContext* get() { return &ctx_; }
  grpc::ClientContext* operator&() { return &ctx_; }

 private:
  grpc::ClientContext ctx_;
};

// The three PEM files of a client identity.
struct Identity {
  std::string cert_pem;
  std::string key_pem;
  std::string ca_pem;
};
Identity LoadIdentity(const std::string& dir);

// A channel to `address` over mutual TLS with `identity`; an empty cert/key
// makes a TLS channel without a client certificate.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address, const Identity& identity);

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_TEST_SUPPORT_H_
