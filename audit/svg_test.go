package audit

import (
	"encoding/xml"
	"html/template"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// svgElements parses a chart as XML, which also proves it well-formed
// whatever its labels held, and returns its elements in document order.
func svgElements(t *testing.T, chart template.HTML) []xml.StartElement {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(chart)))
	var out []xml.StartElement
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("the chart is not well-formed: %v\n%s", err, chart)
		}
		if se, ok := tok.(xml.StartElement); ok {
			out = append(out, se.Copy())
		}
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// rects are the bars of a chart: their width or height, as named.
func rects(t *testing.T, chart template.HTML, size string) []float64 {
	t.Helper()
	var out []float64
	for _, e := range svgElements(t, chart) {
		if e.Name.Local == "rect" {
			v, err := strconv.ParseFloat(attr(e, size), 64)
			if err != nil {
				t.Fatalf("rect %s %q: %v", size, attr(e, size), err)
			}
			out = append(out, v)
		}
	}
	return out
}

func TestSVGBarChart(t *testing.T) {
	long := "ДобавлениеИзменениеКонтактныхЛицПартнеров"
	chart := barChart(`Users per role, <b>"x"</b>`, []chartBar{
		{Label: "<script>alert(1)</script>", Value: 10},
		{Label: long, Value: 5, Color: colorError},
		{Label: "Пусто", Value: 0},
	})
	els := svgElements(t, chart)
	if els[0].Name.Local != "svg" || attr(els[0], "role") != "img" || attr(els[0], "aria-label") != `Users per role, <b>"x"</b>` {
		t.Errorf("the chart is not named for screen readers: %v", els[0])
	}
	if els[1].Name.Local != "title" {
		t.Errorf("the chart's first child is %s, want its title", els[1].Name.Local)
	}
	s := string(chart)
	if strings.Contains(s, "<script") || strings.Contains(s, "<b>") || !strings.Contains(s, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("labels are not escaped:\n%s", s)
	}
	// Bars are proportional, the longest filling the plot; a zero is no bar.
	plot := float64(barWidth - barLabelWidth - barValueWidth)
	if w := rects(t, chart, "width"); len(w) != 3 || w[0] != plot || w[1] != plot/2 || w[2] != 0 {
		t.Errorf("bar widths %v, want %v, %v, 0", w, plot, plot/2)
	}
	// A long label is cut in the chart and whole in its bar's tooltip.
	cut := truncate(long, barLabelRunes)
	if !strings.Contains(s, ">"+cut+"</text>") || !strings.Contains(s, "<title>"+long+": 5</title>") || !strings.HasSuffix(cut, "…") {
		t.Errorf("the long label is not cut to %q with its whole text in a title:\n%s", cut, s)
	}
	if !strings.Contains(s, `fill="`+colorError+`"`) || !strings.Contains(s, `fill="`+colorAccent+`"`) {
		t.Error("bars are not in their colours, the accent by default")
	}
	if barChart("none", nil) != "" {
		t.Error("a chart of nothing draws something")
	}
}

func TestSVGHistogram(t *testing.T) {
	chart := histogram("Password age", []chartBar{{Label: "0–30", Value: 4}, {Label: "31–90", Value: 0}, {Label: ">365", Value: 2}})
	if h := rects(t, chart, "height"); len(h) != 3 || h[0] != 2*h[2] || h[1] != 0 {
		t.Errorf("bar heights %v: want the first twice the last and the empty bucket flat", h)
	}
	// The buckets keep their order, each labelled under its bar.
	labels := regexp.MustCompile(`font-size="12" fill="[^"]+">([^<]+)</text>`).FindAllStringSubmatch(string(chart), -1)
	var got []string
	for _, m := range labels {
		got = append(got, m[1])
	}
	if want := "0–30|31–90|&gt;365"; strings.Join(got, "|") != want {
		t.Errorf("bucket labels %q, want %s", got, want)
	}
	if histogram("none", nil) != "" {
		t.Error("a histogram of nothing draws something")
	}
}

func TestSVGTruncate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"Бухгалтер", 9, "Бухгалтер"},
		{"Бухгалтер", 8, "Бухгалт…"},
		{"abc", 0, "abc"},
		{"", 3, ""},
	} {
		if got := truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
