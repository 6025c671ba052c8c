// Package store keeps the orders of a rules register in an infobase
// database (SQLite or PostgreSQL), in tables of its own (_dostup_rules_*),
// so that an order committed by one process is seen by every process using
// the same database without a restart.
//
// How others see a change: every committed order increments a counter row;
// before a decision a Store reads the counter (one indexed row, cheap on
// both backends) and reloads the orders only when it moved. The counter
// works the same on SQLite, where there is no LISTEN/NOTIFY, and it cannot
// miss a notification sent while a process was not listening.
package store
