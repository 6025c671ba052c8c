package bsl_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"dostup/bsl"
)

var update = flag.Bool("update", false, "rewrite the output sections of testdata/preprocess/*.txtar")

// TestPreprocessGolden preprocesses the module of each
// testdata/preprocess/*.txtar for every context and compares the text with
// the case's section named after the context; the findings go to the
// section "findings". Every output keeps the module's line count.
func TestPreprocessGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/preprocess/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if len(ar.Files) == 0 || ar.Files[0].Name != "module.bsl" {
				t.Fatalf("%s: the first section must be module.bsl", file)
			}
			src := string(ar.Files[0].Data)
			english := strings.HasPrefix(filepath.Base(file), "en")
			got := []txtar.File{ar.Files[0]}
			var findings []bsl.Finding
			for _, ctx := range bsl.Contexts() {
				out, fs := bsl.Preprocess(src, ctx)
				findings = fs
				if n, want := strings.Count(out, "\n"), strings.Count(src, "\n"); n != want {
					t.Errorf("%v: %d lines; the module has %d", ctx, n, want)
				}
				got = append(got, txtar.File{Name: ctx.Name(english), Data: []byte(out)})
			}
			var fb strings.Builder
			for _, f := range findings {
				fmt.Fprintf(&fb, "%d:%d-%d:%d %s %s\n", f.Line, f.Col, f.EndLine, f.EndCol, f.Code, f.Message)
			}
			got = append(got, txtar.File{Name: "findings", Data: []byte(fb.String())})
			if *update {
				ar.Files = got
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want := map[string][]byte{}
			for _, f := range ar.Files {
				want[f.Name] = f.Data
			}
			for _, g := range got[1:] {
				w, ok := want[g.Name]
				if !ok {
					t.Errorf("no section %q (run go test -update)", g.Name)
					continue
				}
				if !bytes.Equal(w, g.Data) {
					t.Errorf("%s:\n%s\nwant:\n%s", g.Name, g.Data, w)
				}
			}
		})
	}
}

// TestLinesConditions evaluates conditions: the contexts where the line
// under each is compiled whatever the OS, and on some OS.
func TestLinesConditions(t *testing.T) {
	all := bsl.AllContexts
	clients := bsl.SetOf(bsl.ThinClient, bsl.WebClient, bsl.MobileClient, bsl.ThickClientOrdinaryApplication,
		bsl.ThickClientManagedApplication, bsl.MobileAppClient)
	servers := bsl.SetOf(bsl.Server, bsl.MobileAppServer, bsl.MobileStandaloneServer)
	wrap := servers | bsl.SetOf(bsl.ThickClientOrdinaryApplication, bsl.ExternalConnection)
	cases := []struct {
		cond       string
		every, any bsl.ContextSet
	}{
		{"Сервер", servers, servers},
		{"НаСервере", servers, servers},
		{"server", servers, servers},
		{"Клиент", clients, clients},
		{"AtClient", clients, clients},
		{"Сервер Или ТолстыйКлиентОбычноеПриложение Или ВнешнееСоединение", wrap, wrap},
		{"НЕ (Сервер ИЛИ ТолстыйКлиентОбычноеПриложение ИЛИ ВнешнееСоединение)", all &^ wrap, all &^ wrap},
		{"Клиент И НЕ ВебКлиент", clients &^ bsl.SetOf(bsl.WebClient), clients &^ bsl.SetOf(bsl.WebClient)},
		{"Not Client And Not Server", bsl.SetOf(bsl.ExternalConnection), bsl.SetOf(bsl.ExternalConnection)},
		{"Сервер И Клиент", 0, 0},
		{"(Сервер)", servers, servers},
		{"МобильныйАвтономныйСервер", bsl.SetOf(bsl.MobileStandaloneServer), bsl.SetOf(bsl.MobileStandaloneServer)},
		{"ВнешнееСоединение ИЛИ мобильноеприложениеклиент", bsl.SetOf(bsl.ExternalConnection, bsl.MobileAppClient), bsl.SetOf(bsl.ExternalConnection, bsl.MobileAppClient)},
		// The OS symbols: known, true on one OS each.
		{"Linux", 0, all},
		{"Linux Или Windows Или MacOS", all, all},
		{"Сервер И НЕ Windows", 0, servers},
		{"Linux ИЛИ НЕ Linux", all, all},
		// An unknown symbol is false (and reported).
		{"Сервер ИЛИ Неизвестный", servers, servers},
	}
	for _, c := range cases {
		src := "#Если " + c.cond + " Тогда\nА = 1;\n#КонецЕсли\n"
		lines, findings := bsl.Lines(src)
		if every, some := lines.Contexts(2), lines.ContextsOnSomeOS(2); every != c.every || some != c.any {
			t.Errorf("%s: compiled in %v on every OS and %v on some; want %v and %v", c.cond, every.Names(true), some.Names(true), c.every.Names(true), c.any.Names(true))
		}
		unknown := strings.Contains(c.cond, "Неизвестный")
		if (len(findings) > 0) != unknown {
			t.Errorf("%s: findings %v", c.cond, findings)
		}
	}

	src := "#Если Linux Тогда\nНаЛинуксе();\n#Иначе\nВДругих();\n#КонецЕсли\n"
	for _, c := range []struct {
		os   bsl.OS
		want string
	}{{bsl.Linux, "\nНаЛинуксе();\n\n\n\n"}, {bsl.Windows, "\n\n\nВДругих();\n\n"}} {
		if out, _ := bsl.PreprocessOS(src, bsl.Server, c.os); out != c.want {
			t.Errorf("%v: %q; want %q", c.os, out, c.want)
		}
	}
	if out, _ := bsl.Preprocess(src, bsl.Server); out != "\nНаЛинуксе();\n\nВДругих();\n\n" {
		t.Errorf("every OS: %q keeps both branches", out)
	}
}
