#include "tools/common/args.h"

#include "absl/strings/str_cat.h"

namespace schakel::tools {

Args::Args() { AddBool("help", "print usage"); }

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
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg));
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
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
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

std::string Args::Help() const {
  std::string out;
  for (const auto& [name, flag] : flags_) {
    absl::StrAppend(&out, "  --", name, flag.takes_value ? " VALUE" : "", "\n      ", flag.help,
                    "\n");
  }
  return out;
}

}  // namespace schakel::tools
