// Which store engine a test binary runs on: SCHAKEL_TEST_ENGINE=postgresql
// (set by ctest for the "pg:" run of a binary registered with ENGINES in
// tests/CMakeLists.txt), else SQLCipher.
#ifndef SCHAKEL_TESTS_SUPPORT_TEST_ENGINE_H_
#define SCHAKEL_TESTS_SUPPORT_TEST_ENGINE_H_

#include <cstdlib>
#include <string>

namespace schakel::testing {

inline bool OnPostgres() {
  const char* engine = std::getenv("SCHAKEL_TEST_ENGINE");
  return engine != nullptr && std::string(engine) == "postgresql";
}

}  // namespace schakel::testing

// For a test of what only the SQLCipher file has (its bytes, its WAL, a
// key rotation of the file): skipped, with the reason, on PostgreSQL.
#define SCHAKEL_SQLCIPHER_ONLY(why)                                  \
  do {                                                               \
    if (::schakel::testing::OnPostgres()) GTEST_SKIP() << "SQLCipher only: " << why; \
  } while (0)

// For a test of what only PostgreSQL has (sealed fields, its roles).
#define SCHAKEL_POSTGRES_ONLY(why)                                   \
  do {                                                               \
    if (!::schakel::testing::OnPostgres()) GTEST_SKIP() << "PostgreSQL only: " << why; \
  } while (0)

#endif  // SCHAKEL_TESTS_SUPPORT_TEST_ENGINE_H_
