// Which data key seals on PostgreSQL (deployment/field_keys.h): a key
// added by a rotation seals only once every serving process has had time
// to load it, and a retired key still opens what it sealed.
#include "server/deployment/field_keys.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/crypto/field_cipher.h"
#include "tests/support/test_support.h"

namespace schakel::deployment {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kT0 = absl::FromUnixSeconds(1795424400);

class FieldKeysTest : public ::testing::Test {
 protected:
  // A row for key `id` added at `added`, retired when `retired`.
  store::FieldKeyRow Row(int64_t id, absl::Time added, bool retired = false) {
    absl::StatusOr<std::string> key = crypto::NewDataKey();
    EXPECT_THAT(key, IsOk());
    absl::StatusOr<std::string> wrapped =
        crypto::WrapFieldKey(root_, static_cast<uint32_t>(id), *key);
    EXPECT_THAT(wrapped, IsOk());
    store::FieldKeyRow row{id, wrapped.value_or(""), added, std::nullopt};
    if (retired) row.retire_time = added + absl::Hours(1);
    return row;
  }

  std::string root_ = std::string(32, 'r');
};

TEST_F(FieldKeysTest, TheActiveKeyIsTheNewestThatHasWaitedTheActivationDelay) {
  const absl::Time added = kT0 + absl::Hours(24);
  const std::vector<store::FieldKeyRow> rows = {Row(0, kT0), Row(1, kT0), Row(2, added)};
  struct Case {
    absl::Duration after_add;
    uint32_t active;
  } cases[] = {
      {absl::ZeroDuration(), 1},
      {kDataKeyActivationDelay - absl::Seconds(1), 1},
      {kDataKeyActivationDelay, 2},
      {absl::Hours(48), 2},
  };
  for (const Case& c : cases) {
    auto ring = KeyringFromRows(root_, rows, added + c.after_add);
    ASSERT_THAT(ring, IsOk());
    EXPECT_EQ((*ring)->active_key_id(), c.active) << c.after_add;
    EXPECT_THAT((*ring)->key_ids(), ElementsAre(1u, 2u));
  }
}

TEST_F(FieldKeysTest, ANewDeploymentsFirstKeySealsAtOnce) {
  auto ring = KeyringFromRows(root_, {Row(0, kT0), Row(1, kT0)}, kT0);
  ASSERT_THAT(ring, IsOk());
  EXPECT_EQ((*ring)->active_key_id(), 1u);
}

TEST_F(FieldKeysTest, ARetiredKeyOpensButNeverSeals) {
  const std::vector<store::FieldKeyRow> rows = {Row(0, kT0), Row(1, kT0, /*retired=*/true),
                                                Row(2, kT0 + absl::Hours(1))};
  // Key 2 is not old enough yet; key 1 is retired: the oldest one in use
  // (key 2) seals.
  auto ring = KeyringFromRows(root_, rows, kT0 + absl::Hours(1));
  ASSERT_THAT(ring, IsOk());
  EXPECT_EQ((*ring)->active_key_id(), 2u);
  EXPECT_THAT((*ring)->key_ids(), ElementsAre(1u, 2u));
}

TEST_F(FieldKeysTest, WithoutAKeyInUseOrTheIndexKeyNothingSeals) {
  EXPECT_THAT(KeyringFromRows(root_, {Row(0, kT0), Row(1, kT0, /*retired=*/true)}, kT0),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no data key in use")));
  EXPECT_THAT(KeyringFromRows(root_, {Row(1, kT0)}, kT0),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no data key in use")));
  // A key wrapped under another root key: DATA_LOSS, naming no key bytes.
  store::FieldKeyRow other = Row(1, kT0);
  EXPECT_THAT(KeyringFromRows(std::string(32, 'x'), {Row(0, kT0), other}, kT0),
              StatusIs(absl::StatusCode::kDataLoss, Not(HasSubstr("xxxx"))));
}

}  // namespace
}  // namespace schakel::deployment
