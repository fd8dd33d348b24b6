#include "server/notify/mailer.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "schakel/config/deployment.pb.h"
#include "server/common/files.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/listen_address.h"

namespace schakel::notify {

Mailer::~Mailer() = default;

namespace {

// A slow relay gets 10 s to accept the connection and 30 s for the whole
// exchange; a delivery thread never hangs on one message, and the retry
// schedule (RetryDelay) starts at 30 s.
constexpr long kConnectTimeoutMs = 10 * 1000;
constexpr long kTotalTimeoutMs = 30 * 1000;

constexpr size_t kMaxSubjectBytes = 200;
constexpr size_t kMaxTextBytes = 100 * 1000;
constexpr size_t kMaxAddressBytes = 254;  // RFC 5321's path limit, less <>

bool HasCrOrLf(absl::string_view s) { return s.find_first_of("\r\n") != absl::string_view::npos; }

// Well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// The characters of RFC 5322's dot-atom (atext and '.'), which is all an
// address or a Message-ID of schakel's needs: no quoting, no comments, no
// brackets, no space, no comma — nothing that could end the header field or
// add a recipient.
bool IsDotAtomText(absl::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || absl::StrContains(s, "..")) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return absl::ascii_isalnum(static_cast<unsigned char>(ch)) ||
           std::strchr("!#$%&'*+-/=?^_`{|}~.", ch) != nullptr;
  });
}

// local@domain, both dot-atoms.
absl::Status ValidateAddress(absl::string_view field, absl::string_view address) {
  if (HasCrOrLf(address)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must not contain CR or LF"));
  }
  const size_t at = address.rfind('@');
  if (address.size() > kMaxAddressBytes || at == absl::string_view::npos ||
      !IsDotAtomText(address.substr(0, at)) || !IsDotAtomText(address.substr(at + 1))) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be an address local@domain (ASCII, at most ", kMaxAddressBytes,
                     " characters)"));
  }
  return absl::OkStatus();
}

// RFC 5322 date-time. The day and month names come from tables: strftime's
// %a and %b follow the process's locale.
std::string FormatDateHeader(absl::Time t) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const absl::TimeZone& zone = domain::ProgrammeTimeZone();
  const absl::CivilSecond s = absl::ToCivilSecond(t, zone);
  const int weekday = static_cast<int>(absl::GetWeekday(absl::CivilDay(s)));
  return absl::StrFormat("%s, %02d %s %04d %02d:%02d:%02d %s", kDays[weekday], s.day(),
                         kMonths[s.month() - 1], s.year(), s.hour(), s.minute(), s.second(),
                         absl::FormatTime("%z", t, zone));
}

// The Subject field: as it is when printable ASCII, otherwise RFC 2047
// encoded-words ("=?utf-8?B?...?=") of at most 39 bytes of text each (64
// characters: with "Subject: " in front the first line stays within the
// 76 that RFC 2047 allows a line with encoded-words), split between
// characters and folded onto continuation lines.
std::string SubjectField(absl::string_view subject) {
  const bool ascii = std::all_of(subject.begin(), subject.end(), [](char ch) {
    return static_cast<unsigned char>(ch) >= 0x20 && static_cast<unsigned char>(ch) < 0x7f;
  });
  // A printable ASCII subject that happens to look like an encoded-word
  // would be decoded by the reader: encode that one too.
  if (ascii && !absl::StrContains(subject, "=?")) return absl::StrCat("Subject: ", subject);
  constexpr size_t kMaxChunk = 39;
  std::string out = "Subject:";
  size_t i = 0;
  while (i < subject.size()) {
    size_t end = std::min(subject.size(), i + kMaxChunk);
    // Back off to the start of a character (never inside a sequence).
    while (end < subject.size() && end > i &&
           (static_cast<unsigned char>(subject[end]) & 0xC0) == 0x80) {
      --end;
    }
    absl::StrAppend(&out, i == 0 ? " " : "\r\n ", "=?utf-8?B?",
                    absl::Base64Escape(subject.substr(i, end - i)), "?=");
    i = end;
  }
  return out;
}

// Quoted-printable (RFC 2045 6.7): lines of at most 76 characters with soft
// breaks, CRLF line ends, '=' and every byte outside printable ASCII
// escaped, and a space or tab at the end of a line escaped (relays may
// strip trailing white space).
std::string QuotedPrintable(absl::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 2);
  size_t line_start = 0;
  while (line_start <= text.size()) {
    size_t eol = text.find('\n', line_start);
    if (eol == absl::string_view::npos) eol = text.size();
    absl::string_view line = text.substr(line_start, eol - line_start);
    if (absl::EndsWith(line, "\r")) line.remove_suffix(1);
    size_t width = 0;
    for (size_t k = 0; k < line.size(); ++k) {
      const auto c = static_cast<unsigned char>(line[k]);
      const bool last = k + 1 == line.size();
      std::string piece;
      if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
        piece = std::string(1, static_cast<char>(c));
      } else {
        piece = absl::StrFormat("=%02X", c);
      }
      // A soft break ("=" CRLF) when the piece would pass 75 characters,
      // leaving room for the '='.
      if (width + piece.size() > 75) {
        out += "=\r\n";
        width = 0;
      }
      out += piece;
      width += piece.size();
    }
    if (eol == text.size()) break;
    out += "\r\n";
    line_start = eol + 1;
  }
  if (!absl::EndsWith(out, "\r\n")) out += "\r\n";
  return out;
}

// What a failed transfer means for the caller, in a fixed text: the SMTP
// code at most, never the relay's words (which may quote the recipient).
absl::Status Classify(CURLcode code, long smtp_code) {
  switch (code) {
    case CURLE_USE_SSL_FAILED:
      // 454 to STARTTLS: the relay's TLS is down for now. Not offered at
      // all (the EHLO's 250): it will not be offered next time either.
      if (smtp_code >= 400 && smtp_code < 500) {
        return absl::UnavailableError(
            absl::StrCat("smtp: the relay cannot start TLS now (", smtp_code, ")"));
      }
      return absl::FailedPreconditionError("smtp: the relay does not offer STARTTLS");
    case CURLE_PEER_FAILED_VERIFICATION:
      return absl::FailedPreconditionError("smtp: the relay's certificate is not trusted");
    case CURLE_SSL_CACERT_BADFILE:
      return absl::FailedPreconditionError("smtp: smtp.ca_file cannot be read");
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
      return absl::FailedPreconditionError("smtp: the relay refused the login");
    default:
      break;
  }
  // An answer of the relay decides it when there is one: 4xx is transient
  // (greylisting, a full queue, 421 shutting down), 5xx permanent.
  if (smtp_code >= 400 && smtp_code < 500) {
    return absl::UnavailableError(
        absl::StrCat("smtp: the relay answered ", smtp_code, " (temporary)"));
  }
  if (smtp_code >= 500 && smtp_code < 600) {
    return absl::FailedPreconditionError(
        absl::StrCat("smtp: the relay answered ", smtp_code, " (permanent)"));
  }
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return absl::UnavailableError("smtp: the relay's name does not resolve");
    case CURLE_COULDNT_CONNECT:
      return absl::UnavailableError("smtp: cannot connect to the relay");
    case CURLE_OPERATION_TIMEDOUT:
      return absl::UnavailableError("smtp: the relay did not answer in time");
    case CURLE_SSL_CONNECT_ERROR:
      return absl::UnavailableError("smtp: the TLS handshake with the relay failed");
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
      return absl::FailedPreconditionError(
          absl::StrCat("smtp: this libcurl cannot send mail (curl error ", code, ")"));
    default:
      // The connection lost or an answer libcurl did not expect: another
      // attempt may well get through, and max_attempts bounds them.
      return absl::UnavailableError(
          absl::StrCat("smtp: the exchange with the relay failed (curl error ", code, ")"));
  }
}

// curl_global_init is not thread-safe against other libcurl calls: once,
// before the first handle, whichever thread creates the first mailer.
absl::Status InitCurlOnce() {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) return absl::InternalError("smtp: libcurl cannot be initialised");
  return absl::OkStatus();
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// The message for CURLOPT_READFUNCTION.
struct Upload {
  absl::string_view rest;
};

size_t ReadMessage(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* upload = static_cast<Upload*>(userdata);
  const size_t n = std::min(size * nitems, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), n);
  upload->rest.remove_prefix(n);
  return n;
}

}  // namespace

absl::Status ValidateMail(const Mail& mail) {
  RETURN_IF_ERROR(ValidateAddress("to", mail.to));
  if (HasCrOrLf(mail.subject)) {
    return absl::InvalidArgumentError("subject: must not contain CR or LF");
  }
  if (mail.subject.empty() || mail.subject.size() > kMaxSubjectBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("subject: 1 to ", kMaxSubjectBytes, " bytes required"));
  }
  for (char ch : mail.subject) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("subject: must not contain control characters");
    }
  }
  if (!IsValidUtf8(mail.subject)) {
    return absl::InvalidArgumentError("subject: must be UTF-8");
  }
  if (mail.text.empty() || mail.text.size() > kMaxTextBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("text: 1 to ", kMaxTextBytes, " bytes required"));
  }
  if (!IsValidUtf8(mail.text)) return absl::InvalidArgumentError("text: must be UTF-8");
  if (HasCrOrLf(mail.message_id)) {
    return absl::InvalidArgumentError("message_id: must not contain CR or LF");
  }
  const size_t at = mail.message_id.rfind('@');
  if (mail.message_id.size() > 200 || at == std::string::npos ||
      !IsDotAtomText(absl::string_view(mail.message_id).substr(0, at)) ||
      !IsDotAtomText(absl::string_view(mail.message_id).substr(at + 1))) {
    return absl::InvalidArgumentError(
        "message_id: must be local@domain without brackets (at most 200 characters)");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SmtpMailer>> SmtpMailer::Create(const config::SmtpRelay& relay,
                                                               const std::string& deployment_dir,
                                                               const Clock* clock) {
  ASSIGN_OR_RETURN(domain::ListenAddress address,
                   domain::ParseListenAddress("smtp.address", relay.address()));
  if (address.port == 0) {
    return absl::InvalidArgumentError("smtp.address: the relay's port is required (e.g. 587)");
  }
  RETURN_IF_ERROR(ValidateAddress("smtp.from", relay.from()));
  if (!relay.username().empty() && relay.allow_plaintext()) {
    // libcurl would send the password in the clear to a relay that does not
    // offer STARTTLS.
    return absl::InvalidArgumentError(
        "smtp.username: a login needs STARTTLS; it cannot go with allow_plaintext");
  }
  if (relay.username().empty() != relay.password_file().empty()) {
    return absl::InvalidArgumentError("smtp.password_file: username and password_file go together");
  }
  RETURN_IF_ERROR(InitCurlOnce());
  std::unique_ptr<SmtpMailer> m(new SmtpMailer);
  // The path of the URL is the name libcurl gives in EHLO: the sender's
  // domain (it would say "localhost" otherwise, which strict relays refuse).
  const std::string from_domain = relay.from().substr(relay.from().rfind('@') + 1);
  m->url_ = absl::StrCat("smtp://", address.host, ":", address.port, "/", from_domain);
  m->from_ = relay.from();
  m->allow_plaintext_ = relay.allow_plaintext();
  if (!relay.ca_file().empty()) m->ca_file_ = JoinPath(deployment_dir, relay.ca_file());
  if (!relay.username().empty()) {
    const std::string path = JoinPath(deployment_dir, relay.password_file());
    if (!PathExists(path)) {
      return absl::NotFoundError(absl::StrCat("smtp.password_file: ", path, " does not exist"));
    }
    RETURN_IF_ERROR(CheckPrivate(path));
    ASSIGN_OR_RETURN(std::string password, ReadFile(path));
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
      password.pop_back();
    }
    if (password.empty()) {
      return absl::InvalidArgumentError("smtp.password_file: the file is empty");
    }
    m->username_ = relay.username();
    m->password_ = std::move(password);
  }
  m->clock_ = clock;
  return m;
}

std::string SmtpMailer::Render(const Mail& mail) const {
  return absl::StrCat("From: ", from_, "\r\n",                            //
                      "To: ", mail.to, "\r\n",                            //
                      SubjectField(mail.subject), "\r\n",                 //
                      "Date: ", FormatDateHeader(clock_->Now()), "\r\n",  //
                      "Message-ID: <", mail.message_id, ">\r\n",          //
                      "MIME-Version: 1.0\r\n",                            //
                      "Content-Type: text/plain; charset=utf-8\r\n",      //
                      "Content-Transfer-Encoding: quoted-printable\r\n",  //
                      "\r\n", QuotedPrintable(mail.text));
}

absl::Status SmtpMailer::Send(const Mail& mail) {
  RETURN_IF_ERROR(ValidateMail(mail));
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (curl == nullptr) return absl::InternalError("smtp: libcurl has no handle");
  const std::string message = Render(mail);
  Upload upload{message};
  const std::string mail_from = absl::StrCat("<", from_, ">");
  std::unique_ptr<curl_slist, SlistDeleter> rcpt(
      curl_slist_append(nullptr, absl::StrCat("<", mail.to, ">").c_str()));
  if (rcpt == nullptr) return absl::InternalError("smtp: out of memory");

  CURL* c = curl.get();
  CURLcode set = CURLE_OK;
  auto opt = [&set](CURLcode r) {
    if (set == CURLE_OK) set = r;
  };
  opt(curl_easy_setopt(c, CURLOPT_URL, url_.c_str()));
  opt(curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp"));
  opt(curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L));  // threads: no SIGALRM for timeouts
  opt(curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs));
  opt(curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, kTotalTimeoutMs));
  // STARTTLS or nothing, unless the deployment allows plaintext: then TLS
  // when the relay offers it.
  opt(curl_easy_setopt(c, CURLOPT_USE_SSL,
                       static_cast<long>(allow_plaintext_ ? CURLUSESSL_TRY : CURLUSESSL_ALL)));
  opt(curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L));
  opt(curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L));
  opt(curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
  if (!ca_file_.empty()) opt(curl_easy_setopt(c, CURLOPT_CAINFO, ca_file_.c_str()));
  if (!username_.empty()) {
    opt(curl_easy_setopt(c, CURLOPT_USERNAME, username_.c_str()));
    opt(curl_easy_setopt(c, CURLOPT_PASSWORD, password_.c_str()));
  }
  opt(curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str()));
  opt(curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get()));
  opt(curl_easy_setopt(c, CURLOPT_UPLOAD, 1L));
  opt(curl_easy_setopt(c, CURLOPT_READFUNCTION, &ReadMessage));
  opt(curl_easy_setopt(c, CURLOPT_READDATA, &upload));
  opt(curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size())));
  if (set != CURLE_OK) {
    return absl::InternalError(
        absl::StrCat("smtp: libcurl refused an option (curl error ", set, ")"));
  }
  const CURLcode result = curl_easy_perform(c);
  if (result == CURLE_OK) return absl::OkStatus();
  long smtp_code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &smtp_code);
  return Classify(result, smtp_code);
}

}  // namespace schakel::notify
