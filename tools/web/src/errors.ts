import { Code, ConnectError } from "@connectrpc/connect";

import { t } from "./messages";

// A refusal in the professional's words; never the server's raw text for
// codes a professional cannot act on.
export function describeError(e: unknown): string {
  const err = ConnectError.from(e);
  switch (err.code) {
    case Code.Unauthenticated:
      return t.errorUnauthenticated;
    case Code.Unavailable:
      return t.errorUnavailable;
    case Code.NotFound:
      return t.errorNotFound;
    case Code.PermissionDenied:
      return t.errorPermission;
    case Code.InvalidArgument:
      return t.errorInvalid(err.rawMessage);
    default:
      return err.rawMessage ? `${t.errorOther(Code[err.code])} ${err.rawMessage}` : t.errorOther(Code[err.code]);
  }
}
