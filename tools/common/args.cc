#include "tools/common/args.h"

#include "absl/strings/str_cat.h"
#include "tools/common/suggest.h"

namespace schakel::tools {

Args::Args() {
  AddBool("help", "print usage");
  AddBool("version", "print the version and exit");
}

void Args::AddShort(char letter, const std::string& name) { shorts_[letter] = name; }

void Args::AddString(const std::string& name, const std::string& help) {
  flags_[name] = Flag{true, help};
}

void Args::AddBool(const std::string& name, const std::string& help) {
  flags_[name] = Flag{false, help};
}

absl::Status Args::Parse(int argc, char** argv, int start) {
  bool flags_done = false;
  for (int i = start; i < argc; ++i) {
    std::string arg = argv[i];
    if (flags_done || arg.size() < 2 || arg[0] != '-') {
      positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    if (arg == "-h") arg = "--help";
    if (arg.rfind("--", 0) != 0) {
      // -o VALUE, -oVALUE: a short form declared with AddShort.
      auto short_flag = shorts_.find(arg[1]);
      if (short_flag == shorts_.end()) {
        return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg));
      }
      arg = arg.size() > 2 ? absl::StrCat("--", short_flag->second, "=", arg.substr(2))
                           : absl::StrCat("--", short_flag->second);
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_inline = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline = true;
    }
    auto it = flags_.find(name);
    if (it == flags_.end()) {
      std::vector<std::string> known;
      for (const auto& [flag, unused] : flags_) known.push_back(flag);
      std::string nearest = Nearest(name, known);
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown flag --", name, nearest.empty() ? "" : absl::StrCat("; did you mean --", nearest, "?")));
    }
    if (!it->second.takes_value) {
      if (has_inline) {
        return absl::InvalidArgumentError(absl::StrCat("flag --", name, " takes no value"));
      }
      values_[name].push_back("true");
      continue;
    }
    if (!has_inline) {
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
      }
      value = argv[++i];
    }
    values_[name].push_back(value);
  }
  return absl::OkStatus();
}

bool Args::Has(const std::string& name) const { return values_.count(name) > 0; }

std::string Args::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return "";
  return it->second.back();
}

std::vector<std::string> Args::GetAll(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return {};
  return it->second;
}

std::vector<std::string> Args::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, flag] : flags_) names.push_back(name);
  return names;
}

bool Args::TakesValue(const std::string& name) const {
  auto it = flags_.find(name);
  return it != flags_.end() && it->second.takes_value;
}

std::string Args::HelpOf(const std::string& name) const {
  auto it = flags_.find(name);
  return it == flags_.end() ? "" : it->second.help;
}

std::string Args::Help() const {
  std::string out;
  for (const auto& [name, flag] : flags_) {
    absl::StrAppend(&out, "  --", name, flag.takes_value ? " VALUE" : "", "\n      ", flag.help,
                    "\n");
  }
  return out;
}

}  // namespace schakel::tools
