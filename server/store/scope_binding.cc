#include "server/store/scope_binding.h"

#include "absl/strings/str_cat.h"

namespace schakel::store {

void BindScope(Statement& st, const auth::ListScope& scope) {
  for (const auth::ScopeParameter& p : auth::ScopeParameters(scope)) {
    const std::string placeholder = auth::Sqlite().Parameter(p.name);
    const char* name = placeholder.c_str();
    if (!st.HasParameter(name)) continue;
    if (const auto* text = std::get_if<std::string>(&p.value)) {
      st.BindName(name, *text);
    } else {
      st.BindName(name, std::get<int64_t>(p.value));
    }
  }
}

}  // namespace schakel::store
