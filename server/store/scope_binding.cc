#include "server/store/scope_binding.h"

#include <string>
#include <vector>

namespace schakel::store {

namespace {

// The SQLite placeholders of the scope parameters, in ScopeParameters'
// order: written once, not on every statement a request binds.
const std::vector<std::string>& Placeholders() {
  static const auto* placeholders = [] {
    auto* out = new std::vector<std::string>();
    for (const auth::ScopeParameter& p : auth::ScopeParameters(auth::ListScope{})) {
      out->push_back(auth::Sqlite().Parameter(p.name));
    }
    return out;
  }();
  return *placeholders;
}

}  // namespace

void BindScope(Statement& st, const auth::ListScope& scope) {
  const std::vector<std::string>& placeholders = Placeholders();
  const std::vector<auth::ScopeParameter> parameters = auth::ScopeParameters(scope);
  for (size_t i = 0; i < parameters.size(); ++i) {
    const auth::ScopeParameter& p = parameters[i];
    const char* name = placeholders[i].c_str();
    if (!st.HasParameter(name)) continue;
    if (const auto* text = std::get_if<std::string>(&p.value)) {
      st.BindName(name, *text);
    } else {
      st.BindName(name, std::get<int64_t>(p.value));
    }
  }
}

}  // namespace schakel::store
