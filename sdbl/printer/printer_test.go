package printer_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dostup/sdbl/ast"
	"dostup/sdbl/printer"
	"dostup/sdbl/printer/printertest"
	"dostup/sdbl/token"
)

var update = flag.Bool("update", false, "rewrite the ru and en sections of testdata/*.golden from their input")

func TestValid(t *testing.T) {
	for i, c := range printertest.Cases {
		n, err := printertest.Parse(c.Kind, "case", c.In)
		if err != nil {
			t.Errorf("case %d %q: %v", i, c.In, err)
			continue
		}
		want := c.Out
		if want == "" {
			want = c.In
		}
		if got := printertest.Print(n, false); got != want {
			t.Errorf("case %d %q:\ngot:\n%s\nwant:\n%s", i, c.In, got, want)
		}
		if err := printertest.RoundTrip(c.Kind, c.In); err != nil {
			t.Errorf("case %d %q: %v", i, c.In, err)
		}
	}
}

// TestGolden prints each testdata/*.golden input in both languages. A file
// has sections "-- query --" (or restriction, expr), "-- ru --", "-- en --".
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.golden")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			secs, order := sections(string(data))
			kind := printertest.Kind(order[0])
			in := secs[order[0]]
			n, err := printertest.Parse(kind, file, in)
			if err != nil {
				t.Fatal(err)
			}
			ru, en := printertest.Print(n, false), printertest.Print(n, true)
			if *update {
				var b bytes.Buffer
				fmt.Fprintf(&b, "-- %s --\n%s\n-- ru --\n%s\n-- en --\n%s\n", kind, in, ru, en)
				if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if ru != secs["ru"] {
				t.Errorf("ru:\ngot:\n%s\nwant:\n%s", ru, secs["ru"])
			}
			if en != secs["en"] {
				t.Errorf("en:\ngot:\n%s\nwant:\n%s", en, secs["en"])
			}
			if err := printertest.RoundTrip(kind, in); err != nil {
				t.Error(err)
			}
			// The golden outputs are canonical themselves: formatting them changes nothing.
			for _, out := range []string{secs["ru"], secs["en"]} {
				n, err := printertest.Parse(kind, file, out)
				if err != nil {
					t.Fatalf("golden output does not parse: %v", err)
				}
				if got := printertest.Print(n, out == secs["en"]); got != out {
					t.Errorf("golden output is not idempotent:\n%s\n---\n%s", out, got)
				}
			}
		})
	}
}

// sections splits a txtar-like file into named sections; a section's text
// has its final newline removed.
func sections(s string) (map[string]string, []string) {
	m := map[string]string{}
	var order []string
	name := ""
	var body []string
	flush := func() {
		if name != "" {
			m[name] = strings.TrimSuffix(strings.Join(body, "\n"), "\n")
			order = append(order, name)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --") {
			flush()
			name, body = strings.TrimSuffix(strings.TrimPrefix(line, "-- "), " --"), nil
			continue
		}
		body = append(body, line)
	}
	flush()
	return m, order
}

// TestProgramTrees prints trees no parser made: the printer must add the
// parentheses their shape needs, so that parsing the text gives them back.
func TestProgramTrees(t *testing.T) {
	id := func(s string) *ast.Path { return &ast.Path{Parts: []*ast.Ident{{Name: s}}} }
	bin := func(x ast.Expr, op token.Kind, y ast.Expr) ast.Expr { return &ast.BinaryExpr{X: x, Op: op, Y: y} }
	kw := func(x ast.Expr, k token.Keyword, y ast.Expr) ast.Expr {
		return &ast.BinaryExpr{X: x, Op: token.IDENT, Kw: k, Y: y}
	}
	a, b, c := id("А"), id("Б"), id("Г")
	for _, tc := range []struct {
		x    ast.Expr
		want string
	}{
		{bin(bin(a, token.PLUS, b), token.STAR, c), "(А + Б) * Г"},
		{bin(a, token.MINUS, bin(b, token.MINUS, c)), "А - (Б - Г)"},
		{bin(a, token.MINUS, bin(b, token.PLUS, c)), "А - (Б + Г)"},
		{bin(bin(a, token.MINUS, b), token.MINUS, c), "А - Б - Г"},
		{kw(kw(a, token.Or, b), token.And, c), "(А ИЛИ Б) И Г"},
		{kw(a, token.Or, kw(b, token.Or, c)), "А ИЛИ (Б ИЛИ Г)"},
		{&ast.UnaryExpr{Not: true, Op: token.IDENT, X: kw(a, token.And, b)}, "НЕ (А И Б)"},
		{&ast.UnaryExpr{Op: token.MINUS, X: bin(a, token.PLUS, b)}, "-(А + Б)"},
		{bin(a, token.EQ, bin(b, token.EQ, c)), "А = (Б = Г)"},
		{bin(&ast.UnaryExpr{Not: true, Op: token.IDENT, X: a}, token.EQ, b), "(НЕ А) = Б"},
		{&ast.BetweenExpr{X: a, Lo: bin(b, token.EQ, c), Hi: kw(b, token.And, c)}, "А МЕЖДУ (Б = Г) И (Б И Г)"},
		{&ast.IsNullExpr{X: kw(a, token.Or, b)}, "(А ИЛИ Б) ЕСТЬ NULL"},
		{&ast.InExpr{X: kw(a, token.And, b), List: &ast.TupleExpr{List: []ast.Expr{c}}}, "(А И Б) В (Г)"},
		{&ast.LikeExpr{X: a, Pattern: bin(b, token.EQ, c)}, "А ПОДОБНО (Б = Г)"},
		{&ast.Literal{Kind: token.STRING, Value: "а\"б\n|в"}, "\"а\"\"б\n||в\""},
	} {
		got := printer.Expr(tc.x, false)
		if got != tc.want {
			t.Errorf("got %s, want %s", got, tc.want)
			continue
		}
		back, err := printertest.Parse(printertest.Expr, "tree", got)
		if err != nil {
			t.Errorf("%s: %v", got, err)
			continue
		}
		if d := printertest.DiffShape(tc.x, back); d != "" {
			t.Errorf("%s: tree differs at %s", got, d)
		}
	}
}

func TestFprintErrors(t *testing.T) {
	var c printer.Config
	if err := c.Fprint(&bytes.Buffer{}, &ast.UnionPart{}); err == nil {
		t.Error("printing a *ast.UnionPart alone: want an error")
	}
	if err := c.Fprint(failWriter{}, &ast.Ident{Name: "А"}); err == nil {
		t.Error("failing writer: want its error")
	}
	var b bytes.Buffer
	c = printer.Config{Indent: "  ", English: true}
	r, _ := printertest.Parse(printertest.Restriction, "r", "ГДЕ А")
	if err := c.Fprint(&b, r); err != nil || b.String() != "WHERE\n  А" {
		t.Errorf("got %q, %v", b.String(), err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func TestSpell(t *testing.T) {
	for _, c := range []struct {
		in      string
		english bool
		want    string
		ok      bool
	}{
		{"справочник", true, "Catalog", true},
		{"CATALOG", false, "Справочник", true},
		{"count", false, "КОЛИЧЕСТВО", true},
		{"срезпоследних", true, "SliceLast", true},
		{"Контрагенты", true, "Контрагенты", false},
	} {
		if got, ok := printer.Spell(c.in, c.english); got != c.want || ok != c.ok {
			t.Errorf("Spell(%q, %v) = %q, %v; want %q, %v", c.in, c.english, got, ok, c.want, c.ok)
		}
	}
}

func ExampleRestriction() {
	r, err := printertest.Parse(printertest.Restriction, "r", `Справочник.Номенклатура ГДЕ Справочник.Номенклатура.Наименование = "Стул"`)
	if err != nil {
		panic(err)
	}
	fmt.Println(printer.Restriction(r.(*ast.Restriction), true))
	// Output:
	// Catalog.Номенклатура
	// WHERE
	// 	Catalog.Номенклатура.Наименование = "Стул"
}

func BenchmarkQuery(b *testing.B) {
	n, err := printertest.Parse(printertest.Query, "q", printertest.Cases[len(printertest.Cases)-1].In)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		printer.Query(n.(*ast.Batch), false)
	}
}
