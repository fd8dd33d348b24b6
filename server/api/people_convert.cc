#include "server/api/people_convert.h"

#include "server/api/convert.h"

namespace schakel::api {

void ToProto(const domain::Person& in, v1::Person* out) {
  out->set_id(in.id);
  out->set_display_name(in.display_name);
  out->set_organisation_id(in.organisation_id);
  out->set_organisation_name(in.organisation_name);
  for (const std::string& t : in.teams) out->add_teams(t);
  for (domain::Role r : in.roles) out->add_roles(RoleToProto(r));
  out->set_work_phone(in.contact.phone);
  out->set_work_email(in.contact.email);
  out->set_disabled(in.disabled);
}

}  // namespace schakel::api
