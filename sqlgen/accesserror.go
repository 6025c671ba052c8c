package sqlgen

import "dostup/rls"

// AccessError is rls.AccessError, named here until the server and the CLI
// name it there.
//
// Deprecated: use rls.AccessError.
type AccessError = rls.AccessError
