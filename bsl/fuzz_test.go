package bsl_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"dostup/bsl"
)

// fuzzSeeds are texts that take the lexer and the preprocessor through
// their hard places: strings continued with |, "" and unclosed quotes,
// preprocessor lines inside strings, annotations, dates, a BOM and \r.
var fuzzSeeds = []string{
	"",
	"\uFEFFПроцедура А()\r\nКонецПроцедуры",
	"А = \"строка \"\"в кавычках\"\"\n|продолжение\n// комментарий\n|конец\";",
	"Т = \"ВЫБРАТЬ\n#Удаление\n|Старое\n#КонецУдаления\n#Вставка\n|Новое\n#КонецВставки\n|\";",
	"&Перед(\"ОбработкаПолученияПредставления\")\nПроцедура Расш_А(Данные) Экспорт\nКонецПроцедуры",
	"#Если (Сервер ИЛИ НЕ Клиент) И ВнешнееСоединение Тогда\n#ИначеЕсли Foo Тогда\n#Иначе\n#КонецЕсли",
	"#Если Сервер\n#Область\n#КонецОбласти\n#КонецОбласти\n#Удаление\n\"",
	"Д = '20240101'; Е = 'незакрытая\nЗапрос.Выполнить(); Выполнить(Т); Вычислить(\"1\")",
	"УстановитьПривилегированныйРежим(Истина);\rУстановитьБезопасныйРежим(Ложь)",
	"&\n& 1\n#\n|\n\"\n((((",
}

// hangLimit is how long one input may take before the target calls it a
// hang: a module of a fuzzer's size takes microseconds.
const hangLimit = 5 * time.Second

// noHang runs work and fails the test if it does not finish in hangLimit.
func noHang(t *testing.T, src string, work func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		work()
	}()
	select {
	case <-done:
	case <-time.After(hangLimit):
		t.Fatalf("no answer in %v for %q", hangLimit, src)
	}
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	files, _ := filepath.Glob("testdata/preprocess/*.txtar")
	for _, file := range files {
		if ar, err := txtar.ParseFile(file); err == nil && len(ar.Files) > 0 {
			f.Add(string(ar.Files[0].Data))
		}
	}
}

// FuzzLex checks that the lexer never panics and that its tokens are
// slices of the text, in order, without overlap, at the places they claim.
func FuzzLex(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		end := 0
		for _, tok := range bsl.Lex(src) {
			if tok.Offset < end || tok.Offset+len(tok.Text) > len(src) || src[tok.Offset:tok.Offset+len(tok.Text)] != tok.Text {
				t.Fatalf("token %+v is not the next slice of the text after offset %d", tok, end)
			}
			if tok.Text == "" {
				t.Fatalf("empty token %+v", tok)
			}
			if tok.Line < 1 || tok.Col < 1 || tok.EndLine < tok.Line || tok.EndLine == tok.Line && tok.EndCol < tok.Col {
				t.Fatalf("token %+v has a bad place", tok)
			}
			end = tok.Offset + len(tok.Text)
			_ = tok.Value()
		}
	})
}

// FuzzPreprocess checks that preprocessing for every context never panics,
// keeps the number of lines, and keeps each line either as written or
// empty.
func FuzzPreprocess(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) {
			return // a module is text; an invalid byte is kept as it is, but lines are compared as text below
		}
		var lines *bsl.LineMap
		var findings []bsl.Finding
		noHang(t, src, func() { lines, findings = bsl.Lines(src) })
		for _, fd := range findings {
			if fd.Line < 1 || fd.Line > lines.Len() || fd.Col < 1 || fd.EndCol < fd.Col || fd.Message == "" {
				t.Fatalf("bad finding %+v", fd)
			}
		}
		in := splitLines(strings.TrimPrefix(src, "\uFEFF"))
		for _, ctx := range bsl.Contexts() {
			out := splitLines(lines.Apply(src, ctx))
			if len(out) != len(in) {
				t.Fatalf("%v: %d lines, the text has %d", ctx, len(out), len(in))
			}
			for i := range out {
				if out[i] != "" && out[i] != in[i] {
					t.Fatalf("%v: line %d is %q, neither empty nor the text's %q", ctx, i+1, out[i], in[i])
				}
			}
		}
	})
}

// FuzzCheck runs every check on the text as a module of each kind: no
// panic, and every finding inside the text.
func FuzzCheck(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		n := len(splitLines(src))
		for _, kind := range bsl.ModuleKinds() {
			m := &bsl.Module{Path: "m.bsl", Kind: kind, Russian: true, Source: src}
			if kind == bsl.KindCommon {
				m.Common = &bsl.CommonModuleFlags{Server: true, ClientManagedApplication: true}
			}
			var findings []bsl.Finding
			noHang(t, src, func() { findings = bsl.CheckModule(m) })
			for _, fd := range findings {
				if fd.Line < 1 || fd.Line > n || fd.Col < 1 || fd.Code == "" {
					t.Fatalf("%s: bad finding %+v", kind, fd)
				}
			}
			_ = bsl.Methods(m)
		}
	})
}

// splitLines splits at \r\n, \n and a lone \r, as the lexer counts lines.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}
