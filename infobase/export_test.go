package infobase

// SetBatchForTest makes Init's and Drop's transactions take at most budget
// locks (0: the server's own budget) and calls after, if not nil, after
// every commit but the last; its error stops the change there. The
// returned func restores both. Tests that call it do not run in parallel.
func SetBatchForTest(budget int, after func(commits int) error) (restore func()) {
	testLockBudget, testAfterCommit = budget, after
	return func() { testLockBudget, testAfterCommit = 0, nil }
}
