// A small command-line parser for the three binaries.
//
// absl/flags is not used: its flags are process-global (one binary with
// subcommands would share one namespace), it exits the process with
// multi-line output on an unknown flag, and a repeated flag keeps only its
// last value, while `--role A --role B` must keep both.
#ifndef SCHAKEL_TOOLS_COMMON_ARGS_H_
#define SCHAKEL_TOOLS_COMMON_ARGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace schakel::tools {

class Args {
 public:
  Args();
  // A flag taking a value: `--name VALUE` or `--name=VALUE`; may repeat.
  void AddString(const std::string& name, const std::string& help);
  // A flag without a value: `--name`.
  void AddBool(const std::string& name, const std::string& help);

  // A one-letter form of a flag taking a value: `-o VALUE`, `-oVALUE`.
  void AddShort(char letter, const std::string& name);

  // Parses argv[start..]. Flags and positional arguments may be mixed; "--"
  // ends the flags. INVALID_ARGUMENT naming the flag for an unknown flag or
  // a missing value (an unknown flag near a known one: "did you mean").
  // `--help`, `-h` and `--version` are always known.
  absl::Status Parse(int argc, char** argv, int start);

  bool Has(const std::string& name) const;
  // The last value given, or "" when absent.
  std::string Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  // One line per flag, for --help.
  std::string Help() const;
  // Every declared flag, sorted; whether one takes a value; its help.
  std::vector<std::string> Names() const;
  bool TakesValue(const std::string& name) const;
  std::string HelpOf(const std::string& name) const;

 private:
  struct Flag {
    bool takes_value;
    std::string help;
  };
  std::map<std::string, Flag> flags_;
  std::map<char, std::string> shorts_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

}  // namespace schakel::tools

#endif  // SCHAKEL_TOOLS_COMMON_ARGS_H_
