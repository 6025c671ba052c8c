// Package testdemo opens the demo infobase on a fresh database of a
// backend for a test, and, for tests of authentication, gives it its
// passwords, application and TOTP key through an authn.Service.
package testdemo
