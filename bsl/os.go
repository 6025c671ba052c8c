package bsl

import "strings"

// OS is an operating system the preprocessor's symbols Windows, Linux and
// MacOS name: the platform compiles a module for one context on one OS,
// so a condition on them is known only once the OS is.
type OS uint8

// The operating systems, in the order of their bits in an osContextSet.
const (
	Windows OS = iota
	Linux
	MacOS
	numOS
)

// osNames are the symbols' spellings, which 1C writes in Latin letters in
// either language.
var osNames = [numOS]string{"Windows", "Linux", "MacOS"}

// String is the OS's symbol.
func (o OS) String() string {
	if o >= numOS {
		return ""
	}
	return osNames[o]
}

// ParseOS finds an OS by its symbol, in any letter case.
func ParseOS(name string) (OS, bool) {
	for i, n := range osNames {
		if strings.EqualFold(n, name) {
			return OS(i), true
		}
	}
	return 0, false
}

// osContextSet is a set of (OS, context) pairs: what a preprocessor
// condition evaluates to. Bit os*numContexts+context.
type osContextSet uint32

// allOSContexts holds every pair.
const allOSContexts = osContextSet(1<<(int(numOS)*int(numContexts)) - 1)

// onEveryOS is the set of the contexts on every OS.
func onEveryOS(s ContextSet) osContextSet {
	var out osContextSet
	for o := range numOS {
		out |= osContextSet(s) << (uint(o) * uint(numContexts))
	}
	return out
}

// onOS is the set of every context on one OS.
func onOS(o OS) osContextSet {
	return osContextSet(AllContexts) << (uint(o) * uint(numContexts))
}

// on is the contexts of the set on one OS.
func (s osContextSet) on(o OS) ContextSet {
	return ContextSet(s>>(uint(o)*uint(numContexts))) & AllContexts
}

// everyOS is the contexts of the set on every OS: where a line is surely
// compiled whatever the OS.
func (s osContextSet) everyOS() ContextSet {
	out := AllContexts
	for o := range numOS {
		out &= s.on(o)
	}
	return out
}

// someOS is the contexts of the set on some OS.
func (s osContextSet) someOS() ContextSet {
	var out ContextSet
	for o := range numOS {
		out |= s.on(o)
	}
	return out
}
