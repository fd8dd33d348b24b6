#include "server/crypto/field_cipher.h"

#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace schakel::crypto {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kContext = "residents.name/r-42";

// Fixed keys so that a failure can be replayed; every byte differs.
std::string TestKey(char fill) { return std::string(kFieldKeyBytes, fill); }

std::shared_ptr<const FieldKeyring> Ring(std::vector<std::pair<uint32_t, std::string>> keys,
                                         uint32_t active, std::string index_key = TestKey('i')) {
  auto ring = FieldKeyring::Create(std::move(keys), active, std::move(index_key));
  EXPECT_THAT(ring, IsOk());
  return ring.ok() ? *ring : nullptr;
}

std::shared_ptr<const FieldKeyring> OneKeyRing() { return Ring({{1, TestKey('a')}}, 1); }

// An error message must hold neither the plaintext nor any key byte string.
void ExpectNoSecrets(const absl::Status& status, absl::string_view plain) {
  const std::string message(status.message());
  if (!plain.empty()) {
    EXPECT_EQ(message.find(std::string(plain)), std::string::npos) << message;
  }
  for (char fill : {'a', 'b', 'c', 'i'}) {
    const std::string key = TestKey(fill);
    EXPECT_EQ(message.find(key), std::string::npos) << message;
    EXPECT_EQ(message.find(absl::BytesToHexString(key)), std::string::npos) << message;
    EXPECT_EQ(message.find(absl::WebSafeBase64Escape(key)), std::string::npos) << message;
  }
}

TEST(FieldCipherTest, RoundTripsEveryLength) {
  auto ring = OneKeyRing();
  ASSERT_NE(ring, nullptr);
  const std::vector<std::string> values = {
      "",
      "J",
      "Jansen",
      "Müller-Lüdenscheidt, Ærø 12 — 日本語 ✓",
      std::string(15, 'x'),
      std::string(16, 'x'),
      std::string(17, 'x'),
      std::string(10 * 1024, 'n'),
      std::string("ends in zeros\0\0\0", 16),
      std::string("\x80", 1),
      std::string(16, '\0'),
  };
  for (const std::string& plain : values) {
    SCOPED_TRACE(plain.size());
    auto sealed = ring->Seal(kContext, plain);
    ASSERT_THAT(sealed, IsOk());
    if (plain.empty()) {
      EXPECT_EQ(*sealed, "");
    } else {
      EXPECT_TRUE(FieldKeyring::IsSealed(*sealed)) << *sealed;
      // (A value of a few letters may turn up in base64 by chance.)
      if (plain.size() >= 6) {
        EXPECT_EQ(sealed->find(plain), std::string::npos);
      }
      EXPECT_EQ(sealed->rfind("f1.1.", 0), 0u) << *sealed;
    }
    auto opened = ring->Open(kContext, *sealed);
    ASSERT_THAT(opened, IsOk());
    EXPECT_EQ(*opened, plain);
  }
}

TEST(FieldCipherTest, TwoSealsOfTheSameValueDiffer) {
  auto ring = OneKeyRing();
  ASSERT_NE(ring, nullptr);
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) seen.insert(*ring->Seal(kContext, "Jansen"));
  EXPECT_EQ(seen.size(), 50u);
}

// The stored length reveals n / 16 and no more: the documented formula.
TEST(FieldCipherTest, LengthRevealsOnlyASixteenByteBucket) {
  auto ring = OneKeyRing();
  ASSERT_NE(ring, nullptr);
  struct Case {
    size_t plain_bytes;
    size_t sealed_chars;
  };
  // 4 + digits(1) + ceil(4 * (28 + 16 * (n / 16 + 1)) / 3)
  const Case cases[] = {
      {1, 64}, {15, 64}, {16, 85}, {17, 85}, {31, 85}, {32, 107}, {10240, 13717},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.plain_bytes);
    auto sealed = ring->Seal(kContext, std::string(c.plain_bytes, 'q'));
    ASSERT_THAT(sealed, IsOk());
    EXPECT_EQ(sealed->size(), c.sealed_chars);
  }
  for (size_t n = 1; n <= 15; ++n) {
    EXPECT_EQ(ring->Seal(kContext, std::string(n, 'q'))->size(), 64u) << n;
  }
}

TEST(FieldCipherTest, AnotherContextDoesNotOpen) {
  auto ring = OneKeyRing();
  ASSERT_NE(ring, nullptr);
  auto sealed = ring->Seal(kContext, "Jansen");
  ASSERT_THAT(sealed, IsOk());
  for (absl::string_view other : {"residents.name/r-43", "residents.street/r-42",
                                  "residents.name/r-4", "residents.name/r-42 ", ""}) {
    SCOPED_TRACE(other);
    auto opened = ring->Open(other, *sealed);
    EXPECT_THAT(opened, StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not authenticate")));
    ExpectNoSecrets(opened.status(), "Jansen");
  }
}

TEST(FieldCipherTest, EveryFlippedCharacterIsRefused) {
  auto ring = OneKeyRing();
  ASSERT_NE(ring, nullptr);
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  // 44, 60 and 76 decoded bytes: the last base64 character carries 2, 0 and
  // 4 unused bits, which the decoder alone would ignore.
  for (const std::string plain : {"Jansen", "Dorpsstraat 1, Zwolle",
                                  "Kerkstraat 12a, 8011 AB Zwolle, NL"}) {
    SCOPED_TRACE(plain);
    auto sealed = ring->Seal(kContext, plain);
    ASSERT_THAT(sealed, IsOk());
    const size_t body = sealed->find('.', 3) + 1;
    for (size_t i = body; i < sealed->size(); ++i) {
      // To the next character of the alphabet (still base64) and to one
      // that is not.
      for (bool in_alphabet : {true, false}) {
        std::string damaged = *sealed;
        damaged[i] = in_alphabet ? alphabet[(alphabet.find(damaged[i]) + 1) % 64] : '*';
        auto opened = ring->Open(kContext, damaged);
        EXPECT_THAT(opened, StatusIs(absl::StatusCode::kDataLoss, ::testing::_))
            << "position " << i << " " << damaged;
        ExpectNoSecrets(opened.status(), plain);
      }
    }
  }
}

TEST(FieldCipherTest, DamagedAndForeignValuesAreRefusedWithTheReason) {
  auto ring = Ring({{1, TestKey('a')}, {2, TestKey('b')}}, 1);
  ASSERT_NE(ring, nullptr);
  const std::string plain = "Jansen";
  const std::string sealed = *ring->Seal(kContext, plain);
  const std::string b64 = sealed.substr(5);
  struct Case {
    std::string value;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {sealed.substr(0, sealed.size() - 1), "malformed"},
      {sealed.substr(0, sealed.size() - 4), "malformed"},
      {sealed.substr(0, 5), "malformed"},
      {sealed + "A", "malformed"},
      {sealed + "=", "malformed"},
      {plain, "malformed"},  // a plaintext stored by mistake
      {"f2.1." + b64, "malformed"},
      {"F1.1." + b64, "malformed"},
      {"f1.01." + b64, "malformed"},
      {"f1.+1." + b64, "malformed"},
      {"f1.0." + b64, "malformed"},
      {"f1.4294967296." + b64, "malformed"},
      {"f1.." + b64, "malformed"},
      {"f1.1" + b64, "malformed"},
      // Relabelled with another key id in the ring: the id is authenticated.
      {"f1.2." + b64, "does not authenticate"},
      {"f1.7." + b64, "unknown key id 7"},
      {"f1.4294967295." + b64, "unknown key id 4294967295"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.value);
    auto opened = ring->Open(kContext, c.value);
    EXPECT_THAT(opened, StatusIs(absl::StatusCode::kDataLoss, HasSubstr(c.reason)));
    ExpectNoSecrets(opened.status(), plain);
  }
}

TEST(FieldCipherTest, UnknownKeyIdNamesTheIdAndNothingElse) {
  auto old_ring = Ring({{3, TestKey('a')}}, 3);
  auto new_ring = Ring({{4, TestKey('b')}}, 4);
  ASSERT_NE(old_ring, nullptr);
  ASSERT_NE(new_ring, nullptr);
  const std::string plain = "born 1950-03-02 in Deventer";
  auto sealed = old_ring->Seal(kContext, plain);
  ASSERT_THAT(sealed, IsOk());
  auto opened = new_ring->Open(kContext, *sealed);
  EXPECT_THAT(opened, StatusIs(absl::StatusCode::kDataLoss,
                               HasSubstr("unknown key id 3")));
  ExpectNoSecrets(opened.status(), plain);
}

TEST(FieldCipherTest, RotatedRingOpensOldAndNewAndSealsWithTheNew) {
  auto old_ring = Ring({{1, TestKey('a')}}, 1);
  auto rotated = Ring({{1, TestKey('a')}, {2, TestKey('b')}}, 2);
  ASSERT_NE(old_ring, nullptr);
  ASSERT_NE(rotated, nullptr);
  EXPECT_EQ(rotated->active_key_id(), 2u);
  EXPECT_EQ(rotated->key_ids(), (std::vector<uint32_t>{1, 2}));
  const std::string old_value = *old_ring->Seal(kContext, "oud");
  const std::string new_value = *rotated->Seal(kContext, "nieuw");
  EXPECT_EQ(*FieldKeyring::KeyIdOf(old_value), 1u);
  EXPECT_EQ(*FieldKeyring::KeyIdOf(new_value), 2u);
  EXPECT_EQ(*rotated->Open(kContext, old_value), "oud");
  EXPECT_EQ(*rotated->Open(kContext, new_value), "nieuw");
  EXPECT_THAT(old_ring->Open(kContext, new_value),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("unknown key id 2")));

  // Reseal moves an old value to the active key and leaves a current one.
  auto resealed = rotated->Reseal(kContext, old_value);
  ASSERT_THAT(resealed, IsOk());
  EXPECT_EQ(*FieldKeyring::KeyIdOf(*resealed), 2u);
  EXPECT_EQ(*rotated->Open(kContext, *resealed), "oud");
  EXPECT_EQ(*rotated->Reseal(kContext, new_value), new_value);
  EXPECT_EQ(*rotated->Reseal(kContext, ""), "");
  EXPECT_THAT(rotated->Reseal("elsewhere", old_value),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not authenticate")));
  EXPECT_THAT(rotated->Reseal("elsewhere", new_value),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not authenticate")));
}

TEST(FieldCipherTest, KeyIdOfAndIsSealedReadTheHeader) {
  auto ring = Ring({{4294967295u, TestKey('a')}}, 4294967295u);
  ASSERT_NE(ring, nullptr);
  const std::string sealed = *ring->Seal(kContext, "x");
  EXPECT_EQ(sealed.rfind("f1.4294967295.", 0), 0u);
  EXPECT_EQ(*FieldKeyring::KeyIdOf(sealed), 4294967295u);
  EXPECT_EQ(*FieldKeyring::KeyIdOf(""), 0u);
  EXPECT_THAT(FieldKeyring::KeyIdOf("Jansen"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("malformed")));
  EXPECT_TRUE(FieldKeyring::IsSealed(sealed));
  EXPECT_FALSE(FieldKeyring::IsSealed(""));
  EXPECT_FALSE(FieldKeyring::IsSealed("Jansen"));
  EXPECT_FALSE(FieldKeyring::IsSealed("f1.1.AAAA"));
  EXPECT_FALSE(FieldKeyring::IsSealed(sealed.substr(0, sealed.size() - 1)));
}

TEST(FieldCipherTest, SealRefusesAValueOverTheLimitWithoutQuotingIt) {
  auto ring = OneKeyRing();
  ASSERT_NE(ring, nullptr);
  const std::string huge(kMaxFieldBytes + 1, 'z');
  auto sealed = ring->Seal(kContext, huge);
  EXPECT_THAT(sealed, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most")));
  EXPECT_LT(sealed.status().message().size(), 100u);
  EXPECT_THAT(ring->Seal(kContext, std::string(kMaxFieldBytes, 'z')), IsOk());
}

TEST(FieldCipherTest, BlindIndexIsDeterministicAndSeparatesPurposeKeyAndValue) {
  auto ring = OneKeyRing();
  auto other_index = Ring({{1, TestKey('a')}}, 1, TestKey('j'));
  auto other_data = Ring({{1, TestKey('c')}}, 1);
  ASSERT_NE(ring, nullptr);
  ASSERT_NE(other_index, nullptr);
  ASSERT_NE(other_data, nullptr);
  const std::string base = *ring->BlindIndex("resident.name_birth", "jansen|1950-03-02");
  EXPECT_EQ(base.size(), 32u);
  EXPECT_EQ(base.find_first_not_of("0123456789abcdef"), std::string::npos) << base;
  EXPECT_EQ(*ring->BlindIndex("resident.name_birth", "jansen|1950-03-02"), base);
  // The data keys play no part; the index key does.
  EXPECT_EQ(*other_data->BlindIndex("resident.name_birth", "jansen|1950-03-02"), base);
  EXPECT_NE(*other_index->BlindIndex("resident.name_birth", "jansen|1950-03-02"), base);
  EXPECT_NE(*ring->BlindIndex("resident.birth", "jansen|1950-03-02"), base);
  EXPECT_NE(*ring->BlindIndex("resident.name_birth", "jansen|1950-03-03"), base);
  EXPECT_NE(*ring->BlindIndex("resident.name_birth", "Jansen|1950-03-02"), base);
  // The empty value has an index of its own too.
  EXPECT_NE(*ring->BlindIndex("resident.name_birth", ""), base);

  // Many values, many purposes: no two alike.
  std::set<std::string> seen;
  for (absl::string_view purpose : {"resident.birth", "resident.name", "a", "b"}) {
    for (int i = 0; i < 250; ++i) seen.insert(*ring->BlindIndex(purpose, absl::StrCat(i)));
  }
  EXPECT_EQ(seen.size(), 1000u);
}

// Pinned: a deployment's stored indexes depend on these bytes. Computed
// independently as HMAC-SHA256(HKDF-SHA256(32 x 'i', "schakel blind index
// v1\nresident.birth"), "1950-03-02")[:16] (Python hmac/hashlib).
TEST(FieldCipherTest, BlindIndexIsTheDocumentedConstruction) {
  auto ring = OneKeyRing();
  ASSERT_NE(ring, nullptr);
  auto index = ring->BlindIndex("resident.birth", "1950-03-02");
  ASSERT_THAT(index, IsOk());
  EXPECT_EQ(*index, "43a12fb19d3c1a274d686ab332bfde52");
}

TEST(FieldCipherTest, BlindIndexRefusesAnUnsafePurpose) {
  auto ring = OneKeyRing();
  ASSERT_NE(ring, nullptr);
  for (absl::string_view purpose : {absl::string_view(""), absl::string_view("Resident.birth"),
                                    absl::string_view("resident birth"),
                                    absl::string_view("resident\nbirth"),
                                    absl::string_view(std::string(65, 'a'))}) {
    EXPECT_THAT(ring->BlindIndex(purpose, "x"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("purpose")));
  }
  EXPECT_THAT(ring->BlindIndex(std::string(64, 'a'), "x"), IsOk());
}

TEST(FieldCipherTest, KeyringConstructionErrorsNameTheRule) {
  struct Case {
    std::vector<std::pair<uint32_t, std::string>> keys;
    uint32_t active;
    std::string index_key;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{}, 1, TestKey('i'), "no data keys"},
      {{{1, std::string(31, 'a')}}, 1, TestKey('i'), "data key 1 is 31 bytes, must be 32"},
      {{{1, std::string(33, 'a')}}, 1, TestKey('i'), "data key 1 is 33 bytes"},
      {{{1, TestKey('a')}}, 1, std::string(16, 'i'), "index key is 16 bytes"},
      {{{0, TestKey('a')}}, 0, TestKey('i'), "key id 0"},
      {{{2, TestKey('a')}, {2, TestKey('b')}}, 2, TestKey('i'), "key id 2 twice"},
      {{{1, TestKey('a')}, {2, TestKey('a')}}, 2, TestKey('i'), "data keys 1 and 2 are the same"},
      {{{1, TestKey('a')}}, 1, TestKey('a'), "index key is data key 1"},
      {{{1, TestKey('a')}, {2, TestKey('b')}}, 3, TestKey('i'), "active key id 3 is not among"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    auto ring = FieldKeyring::Create(c.keys, c.active, c.index_key);
    EXPECT_THAT(ring, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)));
    ExpectNoSecrets(ring.status(), "");
  }
  auto ok = FieldKeyring::Create({{9, TestKey('b')}, {5, TestKey('a')}}, 5, TestKey('i'));
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ((*ok)->key_ids(), (std::vector<uint32_t>{5, 9}));
  EXPECT_EQ((*ok)->active_key_id(), 5u);
}

TEST(FieldCipherTest, NewDataKeysAreFreshAndThirtyTwoBytes) {
  auto a = NewDataKey();
  auto b = NewDataKey();
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(a->size(), kFieldKeyBytes);
  EXPECT_NE(*a, *b);
  EXPECT_THAT(FieldKeyring::Create({{1, *a}}, 1, *b), IsOk());
}

TEST(FieldKeyWrapTest, AWrappedKeyOpensOnlyUnderItsRootKeyAndId) {
  const std::string root = *NewDataKey();
  const std::string key = *NewDataKey();
  absl::StatusOr<std::string> wrapped = WrapFieldKey(root, 3, key);
  ASSERT_TRUE(wrapped.ok()) << wrapped.status();
  EXPECT_EQ(wrapped->substr(0, 3), "k1.");
  EXPECT_EQ(wrapped->find(key), std::string::npos);
  absl::StatusOr<std::string> back = UnwrapFieldKey(root, 3, *wrapped);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, key);
  // Another id, another root key, any changed character, or nothing at all:
  // DATA_LOSS naming the id only.
  std::vector<absl::Status> failures = {UnwrapFieldKey(root, 4, *wrapped).status(),
                                        UnwrapFieldKey(*NewDataKey(), 3, *wrapped).status(),
                                        UnwrapFieldKey(root, 3, "").status(),
                                        UnwrapFieldKey(root, 3, "k1.").status()};
  for (size_t i = 3; i < wrapped->size(); ++i) {
    std::string flipped = *wrapped;
    flipped[i] = flipped[i] == 'A' ? 'B' : 'A';
    failures.push_back(UnwrapFieldKey(root, 3, flipped).status());
  }
  for (const absl::Status& s : failures) {
    EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
    EXPECT_NE(std::string(s.message()).find("does not unwrap"), std::string::npos) << s;
    EXPECT_EQ(std::string(s.message()).find(key), std::string::npos);
  }
  EXPECT_EQ(WrapFieldKey(root, 3, "short").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WrapFieldKey("short", 3, key).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace schakel::crypto
