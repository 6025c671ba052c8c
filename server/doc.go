// Package server is dostup's HTTP JSON API (SPEC §10a): authentication
// with step-up, queries and object operations run as the authenticated
// user through the same rights and record-level security as the CLI,
// users, sessions and the event log for administrators, and the OpenAPI
// document (openapi.json, embedded and served at /api/openapi.json) that a
// test holds to the route table.
//
// Every handler is a plain method returning an error; one wrapper gives
// them a body limit, a timeout, JSON errors with stable codes, recovery
// from panics without leaking details, and a log/slog record per request.
package server
