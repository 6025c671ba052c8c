package importer

import (
	"testing"

	"dostup/internal/testcorpus"
	"dostup/metadata"
	"dostup/onecxml"
)

// BenchmarkImportUnf30 is `dostup import` of the corpus's whole
// application: the dump read, converted, written as YAML and the converted
// files validated (metadata.LoadFormats), as the command does before it
// reports success.
func BenchmarkImportUnf30(b *testing.B) {
	root := testcorpus.Unf30(b)
	b.ReportAllocs()
	for b.Loop() {
		d, err := onecxml.ReadDump(root)
		if err != nil {
			b.Fatal(err)
		}
		imp, err := Convert(d)
		if err != nil {
			b.Fatal(err)
		}
		out := b.TempDir()
		if err := Write(imp, out); err != nil {
			b.Fatal(err)
		}
		if _, err := metadata.LoadFormats(imp.Files); err != nil {
			b.Fatal(err)
		}
	}
}
