// Proto forms of grants and their listing (schakel/v1/grants.proto).
#ifndef SCHAKEL_SERVER_API_GRANT_CONVERT_H_
#define SCHAKEL_SERVER_API_GRANT_CONVERT_H_

#include "schakel/v1/grants.pb.h"
#include "server/app/grant_app.h"
#include "server/domain/grant.h"

namespace schakel::api {

void ToProto(const domain::Grant& in, v1::Grant* out);
void ToProto(const app::GrantListing& in, v1::ListGrantsResponse* out);

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_GRANT_CONVERT_H_
