// Package testcorpus finds the real 1C configuration dumps that tests read
// from ../shared/corpus beside the repository. They are never copied into the
// repository; a missing corpus fails the test rather than skipping it, since
// a skipped corpus test proves nothing.
package testcorpus
