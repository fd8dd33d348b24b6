// Display names next to ids (issue "a professional's working day"): what a
// response shows of the professionals, organisations and residents it
// names. Which ids a response names is decided before by the access
// module's field views (an id a view cleared gets no name); a resident's
// name is looked up only among the residents the caller may read.
#ifndef SCHAKEL_SERVER_DOMAIN_NAMES_H_
#define SCHAKEL_SERVER_DOMAIN_NAMES_H_

#include <map>
#include <set>
#include <string>

namespace schakel::domain {

// The ids a response names.
struct NameRequest {
  std::set<std::string> professionals;
  std::set<std::string> organisations;
  std::set<std::string> residents;

  void Professional(const std::string& id) {
    if (!id.empty()) professionals.insert(id);
  }
  void Organisation(const std::string& id) {
    if (!id.empty()) organisations.insert(id);
  }
  void Resident(const std::string& id) {
    if (!id.empty()) residents.insert(id);
  }
};

// Their names; an id without a name (unknown, or a resident the caller may
// not read) answers "".
struct Names {
  std::map<std::string, std::string> professionals;
  std::map<std::string, std::string> organisations;
  std::map<std::string, std::string> residents;

  const std::string& Professional(const std::string& id) const { return Of(professionals, id); }
  const std::string& Organisation(const std::string& id) const { return Of(organisations, id); }
  const std::string& Resident(const std::string& id) const { return Of(residents, id); }

 private:
  static const std::string& Of(const std::map<std::string, std::string>& m,
                               const std::string& id) {
    static const std::string* none = new std::string();
    auto it = m.find(id);
    return it == m.end() ? *none : it->second;
  }
};

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_NAMES_H_
