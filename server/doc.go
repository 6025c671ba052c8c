// Package server is dostup's HTTP JSON API (SPEC §10a): authentication
// with step-up, queries and object operations run as the authenticated
// user through the same rights and record-level security as the CLI,
// users, sessions and the event log for administrators, and the OpenAPI
// document (openapi.json, embedded and served at /api/openapi.json) that a
// test holds to the route table.
//
// Each resource has its file, named for it (auth, query, objects, users,
// sessions, policy, eventlog), beside the route table (routes.go), who a
// request acts as (caller.go), the frame every handler runs in (server.go)
// and the answer of errors (errors.go). The users endpoints run the
// operations dostup users runs too (wire.Admin).
//
// Every handler is a plain function returning an error (an
// administrator's endpoint gets the administrator's operations, once
// asAdmin has checked the caller is one); one wrapper gives
// them a body limit, a timeout, JSON errors with stable codes, recovery
// from panics without leaking details, and a log/slog record per request.
package server
