// Package eventlog is the event log of an infobase (SPEC §6), as 1C's
// ЖурналРегистрации: an append-only record of who did what, when and from
// where — sessions, authentication and its failures, lockouts, refused
// accesses, privileged-mode switches, changes of users, configuration,
// rules and policies. The audit reports and the web console read it; the
// CLI exports it as JSON lines.
//
// The log lives in the infobase's own database, in the tables
// _dostup_eventlog (the events) and _dostup_eventlog_settings (retention),
// so that a backup of the infobase carries its history and every process
// serving the infobase writes to the same log. It sits beside the pipeline,
// not in it: infobase, authn and the server write events; audit reads them.
// The package takes plain *sql.DB pools and the infobase's sqlgen.Dialect
// (whose capabilities say how to lock, key and store instants) rather than
// an infobase.DB, because infobase itself writes events through it.
//
// Append-only means there is no API to change or delete an event: records
// leave the log only through Purge, under the retention the administrator
// set, and Purge records itself as an event. Every value reaches the
// database as a bound argument; strings that PostgreSQL cannot store (NUL
// bytes, invalid UTF-8) are replaced by U+FFFD rather than refused, so a
// hostile user name cannot keep its own failed login out of the log.
//
// Kinds are 1C-style names ("_$Session$_.Authentication") with Russian and
// English presentations. Filters accept a name or a presentation in any
// letter case, or a group prefix ending in "." ("_$Session$_.", "Сеанс.",
// "Users."). Callers may log kinds of their own; those are stored and
// matched by their name as written.
package eventlog
