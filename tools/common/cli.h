// What the `schakel` and `schakel-admin` command lines share: the
// connection flags, one-line errors, and --json output.
#ifndef SCHAKEL_TOOLS_COMMON_CLI_H_
#define SCHAKEL_TOOLS_COMMON_CLI_H_

#include <string>

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "schakel/client.h"
#include "tools/common/args.h"

namespace schakel::tools {

// Declares --server, --identity and --json.
void AddConnectionFlags(Args& args);

// --server / --identity, falling back to SCHAKEL_SERVER / SCHAKEL_IDENTITY;
// the server defaults to 127.0.0.1:7443.
ClientOptions ConnectionOptions(const Args& args);

// Prints "<program>: <CODE>: <message>" as one line on stderr (newlines in
// the message become spaces) and returns the exit code for it (1).
int Fail(const std::string& program, const absl::Status& status);

// Prints `message` in the proto3 JSON mapping followed by a newline.
absl::Status PrintJson(const google::protobuf::Message& message);
// As PrintJson, on exactly one line (no whitespace added): for commands that
// print one object per line, for scripts that read line by line.
absl::Status PrintJsonLine(const google::protobuf::Message& message);

}  // namespace schakel::tools

#endif  // SCHAKEL_TOOLS_COMMON_CLI_H_
