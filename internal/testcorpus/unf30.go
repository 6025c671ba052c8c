package testcorpus

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// unf30 is the result of unpacking the unf30 dump, computed once per test
// binary: tests of one package share it, and a failure is reported to each
// test that asks.
var unf30 struct {
	once sync.Once
	root string
	err  error
}

// Unf30 returns the root of the unf30 dump (the folder holding its
// Configuration.xml), unpacked from ../shared/corpus/unf30.tar.gz.
//
// The archive unpacks to 340 MB, so it is unpacked once into a fixed folder,
// ${TMPDIR:-/tmp}/dostup-corpus/unf30, the one the corpus's own unpack
// script uses: the test binaries of every package, later runs and the script
// all share it. A marker file named after the archive's checksum (the
// script's `cksum` value) is written inside the tree before it is moved into
// place, so a tree left half-written by an interrupted run, or unpacked from
// another version of the archive, is never taken as complete.
func Unf30(tb testing.TB) string {
	tb.Helper()
	archive := filepath.Join(Root(tb), "unf30.tar.gz")
	unf30.once.Do(func() {
		unf30.root, unf30.err = unpack(archive, filepath.Join(os.TempDir(), "dostup-corpus"), "unf30")
	})
	if unf30.err != nil {
		tb.Fatalf("unpacking the unf30 corpus: %v", unf30.err)
	}
	return unf30.root
}

// staleAfter is how old a leftover temporary folder of an unpack must be
// before another run removes it: a live unpack takes seconds, and a
// removed 340 MB leftover of a killed run is space given back.
const staleAfter = time.Hour

// unpack extracts archive, whose entries all lie under name/, into dir and
// returns dir/name. Parallel callers (test binaries of several packages)
// each extract into a temporary folder beside the target and rename it into
// place; the first rename wins and the others discard their copy.
func unpack(archive, dir, name string) (string, error) {
	sum, err := cksumFile(archive)
	if err != nil {
		return "", err
	}
	target := filepath.Join(dir, name)
	marker := fmt.Sprintf(".unpacked-%d", sum)
	if complete(target, marker) {
		return target, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	removeStale(dir, name)
	tmp, err := os.MkdirTemp(dir, "."+name+".")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := extract(archive, tmp); err != nil {
		return "", err
	}
	tree := filepath.Join(tmp, name)
	if st, err := os.Stat(tree); err != nil || !st.IsDir() {
		return "", fmt.Errorf("%s: has no folder %s/ at its top", archive, name)
	}
	if err := os.WriteFile(filepath.Join(tree, marker), nil, 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tree, target); err == nil || complete(target, marker) {
		return target, nil
	}
	// The target is there but incomplete or from another archive: move it
	// aside first, since renaming over a folder that has files fails.
	old := filepath.Join(tmp, "old")
	if err := os.Rename(target, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("replacing the incomplete %s: %w", target, err)
	}
	if err := os.Rename(tree, target); err != nil && !complete(target, marker) {
		return "", fmt.Errorf("moving the unpacked corpus into %s: %w", target, err)
	}
	return target, nil
}

// complete reports whether the tree at target was unpacked in full from the
// archive whose marker is given.
func complete(target, marker string) bool {
	st, err := os.Stat(filepath.Join(target, marker))
	return err == nil && st.Mode().IsRegular()
}

// removeStale deletes temporary folders of unpacks that were killed before
// they could clean up.
func removeStale(dir, name string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "."+name+".") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleAfter {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// extract writes the folders and regular files of a .tar.gz into dir,
// refusing entries that would land outside it.
func extract(archive, dir string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return fmt.Errorf("%s: %w", archive, err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", archive, err)
		}
		if !filepath.IsLocal(h.Name) {
			return fmt.Errorf("%s: entry %q points outside the folder it unpacks into", archive, h.Name)
		}
		p := filepath.Join(dir, h.Name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := writeFile(p, tr); err != nil {
				return err
			}
		}
		// Links and other entries are not part of a dump; skipping them
		// also keeps a link from pointing outside dir.
	}
}

func writeFile(path string, r io.Reader) error {
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// cksumFile is the POSIX cksum of a file: the CRC-32 of
// polynomial 0x04C11DB7, not reflected, over the bytes and then the length.
// It is what the corpus's unpack script names its marker after, so the two
// share one unpacked tree.
func cksumFile(path string) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var crc uint32
	var n uint64
	buf := make([]byte, 1<<20)
	for {
		k, err := f.Read(buf)
		for _, b := range buf[:k] {
			crc = crc<<8 ^ cksumTable[byte(crc>>24)^b]
		}
		n += uint64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	for ; n > 0; n >>= 8 {
		crc = crc<<8 ^ cksumTable[byte(crc>>24)^byte(n)]
	}
	return ^crc, nil
}

// cksumTable is the byte-at-a-time table of cksum's CRC.
var cksumTable = func() (t [256]uint32) {
	for i := range t {
		c := uint32(i) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ 0x04C11DB7
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()
