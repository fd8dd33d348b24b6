#include "tools/cli/command.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tools/common/cli.h"
#include "tools/common/local_time.h"
#include "tools/common/suggest.h"
#include "tools/common/terminal.h"

namespace schakel::cli {

absl::StatusOr<std::string> Purpose(const tools::Args& args) {
  if (args.Has("purpose")) {
    std::string purpose = args.Get("purpose");
    if (absl::Status s = ValidatePurpose(purpose, "--purpose"); !s.ok()) return s;
    return purpose;
  }
  const char* env = std::getenv("SCHAKEL_PURPOSE");
  std::string purpose = env != nullptr ? env : "";
  if (absl::Status s = ValidatePurpose(purpose, "SCHAKEL_PURPOSE"); !s.ok()) return s;
  return purpose;
}

absl::StatusOr<Client*> Invocation::Connect() {
  if (!client_.has_value()) {
    ClientOptions options = tools::ConnectionOptions(args_);
    absl::StatusOr<std::string> purpose = Purpose(args_);
    if (!purpose.ok()) return purpose.status();
    options.purpose = *std::move(purpose);
    absl::StatusOr<Client> client = Client::Connect(options);
    if (!client.ok()) return client.status();
    client_.emplace(*std::move(client));
  }
  return &*client_;
}

int Fail(const absl::Status& status) {
  if (!status.message().empty()) return tools::Fail(kProgram, status);
  // gRPC gives no message for some codes (an older server answers a call
  // it does not know with a bare UNIMPLEMENTED).
  std::string message = status.code() == absl::StatusCode::kUnimplemented
                            ? "the server does not offer this call"
                            : "no message from the server";
  return tools::Fail(kProgram, absl::Status(status.code(), message));
}

int FailCreate(const absl::Status& status, const std::string& request_id) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kUnknown:
      return Fail(absl::Status(status.code(),
                               absl::StrCat(status.message(), " (to retry safely, use --request-id ",
                                            request_id, ")")));
    default:
      return Fail(status);
  }
}

int Print(const Invocation& in, const google::protobuf::Message& message,
          const std::function<void()>& plain) {
  if (in.json()) {
    if (absl::Status s = tools::PrintJson(message); !s.ok()) return Fail(s);
  } else {
    plain();
    std::cout.flush();
  }
  if (!std::cout) return Fail(absl::InternalError("cannot write to standard output"));
  return 0;
}

int PrintList(const Invocation& in, const google::protobuf::Message& message,
              const tools::Table& table, const std::string& next_page_token) {
  if (in.json()) return Print(in, message, [] {});
  if (in.csv()) {
    tools::PrintCsv(std::cout, table, in.headers());
  } else {
    tools::PrintTable(std::cout, table, in.headers());
  }
  std::cout.flush();
  if (!next_page_token.empty()) {
    std::ostream& hint = in.csv() || !in.headers() ? std::cerr : std::cout;
    hint << "more: --page-token " << Cell(next_page_token) << std::endl;
  }
  if (!std::cout) return Fail(absl::InternalError("cannot write to standard output"));
  return 0;
}

std::string NameId(absl::string_view name, absl::string_view id) {
  if (name.empty()) return Cell(id);
  if (id.empty()) return Cell(name);
  return absl::StrCat(Cell(name), " (", Cell(id), ")");
}

std::string Who(absl::string_view name, absl::string_view id, absl::string_view org_name,
                absl::string_view org) {
  if (name.empty() && org_name.empty()) return absl::StrCat(Cell(id), " (", Cell(org), ")");
  return absl::StrCat(NameId(name, id), ", ", NameId(org_name, org));
}

absl::Status Confirm(const Invocation& in, const std::string& question) {
  return tools::Confirm(in.name(), question, in.args().Has("yes"));
}

absl::Status CheckReference(Client& client, const std::string& flag, const std::string& kind,
                            const std::string& value) {
  if (value.empty()) return absl::OkStatus();
  std::vector<std::string> valid;
  absl::Status status;
  if (kind == "wijk") {
    auto r = client.ListWijken();
    status = r.status();
    if (r.ok()) for (const auto& w : r->wijken()) valid.push_back(w.code());
  } else if (kind == "category") {
    auto r = client.ListCategories("");
    status = r.status();
    if (r.ok()) for (const auto& c : r->categories()) valid.push_back(c.code());
  } else if (kind == "opgave") {
    auto r = client.ListOpgaven();
    status = r.status();
    if (r.ok()) for (const auto& o : r->opgaven()) valid.push_back(o.code());
  } else {
    auto r = client.ListAllOrganisations();
    status = r.status();
    if (r.ok()) for (const auto& o : *r) valid.push_back(o.id());
  }
  if (status.code() == absl::StatusCode::kUnimplemented) return absl::OkStatus();
  if (!status.ok()) return status;
  for (const std::string& v : valid) {
    if (v == value) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": unknown ", kind, " \"", value,
                                                 "\"", tools::DidYouMean(value, valid), " (",
                                                 absl::StrJoin(valid, " | "), ")"));
}

namespace {

std::string Word(const google::protobuf::EnumValueDescriptor* value, absl::string_view prefix) {
  absl::string_view name = value->name();
  if (absl::StartsWith(name, prefix)) name.remove_prefix(prefix.size());
  return absl::AsciiStrToLower(name);
}

bool IsDate(const std::string& value) {
  if (value.size() != 10 || value[4] != '-' || value[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  int part = 0;
  for (char c : value) {
    if (c == '-') {
      ++part;
    } else if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      parts[part] = parts[part] * 10 + (c - '0');
    } else {
      return false;
    }
  }
  absl::CivilDay day(parts[0], parts[1], parts[2]);  // normalises 02-30 to 03-02
  return day.year() == parts[0] && day.month() == parts[1] && day.day() == parts[2];
}

}  // namespace

void Flags::Error(absl::Status status) {
  if (status_.ok()) status_ = std::move(status);
}

std::string Flags::Required(const std::string& flag) {
  std::string value = Optional(flag);
  if (value.empty()) {
    Error(absl::InvalidArgumentError(absl::StrCat(in_.name(), ": --", flag, " is required")));
  }
  return value;
}

std::string Flags::Date(const std::string& flag, bool required) {
  if (!Has(flag) && !required) return "";
  std::string value = required ? Required(flag) : Optional(flag);
  if (!IsDate(value)) {  // after a missing required value, the first error stays
    Error(absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": \"", value, "\" is not a date YYYY-MM-DD")));
  }
  return value;
}

int Flags::Enum(const std::string& flag, const google::protobuf::EnumDescriptor* type,
                absl::string_view prefix, bool required) {
  if (!Has(flag) && !required) return 0;
  std::string given = required ? Required(flag) : Optional(flag);
  std::vector<std::string> words;
  for (int i = 0; i < type->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = type->value(i);
    if (value->number() == 0) continue;
    std::string word = Word(value, prefix);
    if (word == absl::AsciiStrToLower(given) || value->name() == given) return value->number();
    words.push_back(std::move(word));
  }
  Error(absl::InvalidArgumentError(absl::StrCat("--", flag, ": unknown value \"", given, "\"",
                                                tools::DidYouMean(given, words), " (",
                                                absl::StrJoin(words, " | "), ")")));
  return 0;
}

std::string Flags::Choice(const std::string& flag, const std::vector<std::string>& words,
                          bool required) {
  if (!Has(flag) && !required) return "";
  std::string given = required ? Required(flag) : Optional(flag);
  std::string lower = absl::AsciiStrToLower(given);
  for (const std::string& word : words) {
    if (word == lower) return word;
  }
  Error(absl::InvalidArgumentError(absl::StrCat("--", flag, ": unknown value \"", given, "\"",
                                                tools::DidYouMean(given, words), " (",
                                                absl::StrJoin(words, " | "), ")")));
  return "";
}

absl::Time Flags::DayStart(const std::string& flag, absl::Time if_absent) {
  if (!Has(flag)) return if_absent;
  std::string value = Date(flag, /*required=*/false);
  absl::CivilDay day;
  if (!absl::ParseCivilTime(value, &day)) return if_absent;  // Date recorded the error
  if (day.year() < 1) {
    Error(absl::InvalidArgumentError(absl::StrCat("--", flag, ": \"", value,
                                                  "\" is before the year 1")));
    return if_absent;
  }
  return tools::LocalDayStart(day);
}

absl::Time Flags::DayEnd(const std::string& flag, absl::Time if_absent) {
  absl::Time start = DayStart(flag, absl::InfinitePast());
  if (start == absl::InfinitePast()) return if_absent;
  absl::CivilDay day = absl::ToCivilDay(start, tools::ProgrammeZone());
  return tools::LocalDayStart(day + 1);
}

int32_t Flags::Int(const std::string& flag, int32_t fallback) {
  if (!Has(flag)) return fallback;
  int32_t value = 0;
  if (!absl::SimpleAtoi(Optional(flag), &value)) {
    Error(absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": \"", Optional(flag), "\" is not a whole number")));
    return fallback;
  }
  return value;
}

std::string Flags::RequestId() {
  if (Has("request-id")) {
    std::string id = Optional("request-id");
    bool ok = id.size() >= 8 && id.size() <= 64;
    for (char c : id) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') ok = false;
    }
    if (!ok) {
      Error(absl::InvalidArgumentError(
          "--request-id: must be 8..64 characters of A-Z, a-z, 0-9, _ and -"));
    }
    return id;
  }
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  constexpr int kSize = sizeof(kAlphabet) - 1;  // 36
  constexpr int kLimit = 256 - 256 % kSize;     // rejection sampling: no modulo bias
  std::string id = "cli-";
  constexpr size_t kLength = 4 + 20;
  while (id.size() < kLength) {
    unsigned char buf[32];
    if (RAND_bytes(buf, sizeof(buf)) != 1) {
      Error(absl::InternalError("cannot make a random request id (OpenSSL RAND_bytes failed)"));
      return "";
    }
    for (unsigned char b : buf) {
      if (b < kLimit && id.size() < kLength) id.push_back(kAlphabet[b % kSize]);
    }
  }
  return id;
}

std::string EnumWord(const google::protobuf::EnumDescriptor* type, absl::string_view prefix,
                     int value) {
  if (value == 0) return "-";
  const google::protobuf::EnumValueDescriptor* v = type->FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat("unknown(", value, ")");
  return Word(v, prefix);
}

std::string Time(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return tools::LocalMinute(absl::FromUnixSeconds(t.seconds()));
}

std::string IsoTime(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return tools::LocalIso(absl::FromUnixSeconds(t.seconds()));
}

namespace {

// Replaces C0 controls, DEL and the two-byte UTF-8 encodings of C1 controls
// (U+0080..U+009F, which some terminals obey) with spaces.
std::string Sanitize(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      out.push_back(' ');
    } else if (c == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      out.push_back(' ');
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

}  // namespace

std::string Cell(absl::string_view text) {
  if (text.empty()) return "-";
  return Sanitize(text);
}

void Field(absl::string_view label, absl::string_view value) {
  std::cout << absl::StrFormat("%-16s %s\n", label, Cell(value));
}

void Block(absl::string_view label, absl::string_view text) {
  if (text.empty()) {
    Field(label, text);
    return;
  }
  std::cout << label << "\n";
  Indented(text, 4);
}

void Indented(absl::string_view text, int indent) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::ConsumeSuffix(&line, "\r");
    std::cout << std::string(indent, ' ') << Sanitize(line) << "\n";
  }
}

void Notes(const google::protobuf::RepeatedPtrField<v1::Note>& notes) {
  if (notes.empty()) return;
  std::cout << "notes\n";
  for (const v1::Note& n : notes) {
    std::cout << absl::StrFormat(
        "    %s  %s by %s, visibility %s\n", Time(n.create_time()), Cell(n.id()),
        Who(n.author_name(), n.author_id(), n.author_organisation_name(),
            n.author_organisation_id()),
        EnumWord(v1::NoteVisibility_descriptor(), "NOTE_VISIBILITY_", n.visibility()));
    Indented(n.text(), 6);
  }
}

std::string OrgTeam(absl::string_view organisation, absl::string_view team) {
  if (team.empty()) return std::string(organisation);
  return absl::StrCat(organisation, "/", team);
}

size_t Width(absl::string_view text) { return tools::DisplayWidth(text); }

void PrintTable(const std::vector<std::vector<std::string>>& rows,
                const std::vector<bool>& right) {
  if (rows.empty()) return;
  tools::Table table;
  table.header = rows[0];
  table.rows.assign(rows.begin() + 1, rows.end());
  table.right = right;
  tools::PrintTable(std::cout, table, /*headers=*/true);
}

}  // namespace schakel::cli
