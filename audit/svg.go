package audit

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"unicode/utf8"
)

// The report's charts are drawn here as inline SVG, so the page needs no
// script library, no font and no image from anywhere: a consultant mails
// one file and it opens the same everywhere, offline too. Text is escaped
// with html.EscapeString as it is written, because the result is trusted
// as template.HTML: role names and codes come from files anyone may edit.

// chartBar is one bar of a chart: what it counts, how many, and its fill.
type chartBar struct {
	Label string
	Value int
	// Color is the bar's fill, a CSS colour; empty is colorAccent.
	Color string
}

// Colours of the charts, the same as the page's severity badges.
const (
	colorError   = "#d93025"
	colorWarning = "#e8a200"
	colorInfo    = "#1a73e8"
	colorAccent  = "#4a6a8f"
	colorMuted   = "#9aa5b1"
	colorText    = "#1f2933"
	colorAxis    = "#c5ccd3"
)

// Geometry of the bar chart, in SVG units (pixels at full width).
const (
	barWidth      = 640 // the whole chart
	barLabelWidth = 230 // the labels' column, right-aligned against the bars
	barValueWidth = 48  // room for the value after the longest bar
	barRow        = 24  // one bar and the gap under it
	barThickness  = 16
	barPad        = 8 // above the first and below the last bar
	// barLabelRunes is how much of a label the column holds at 12px: a
	// Cyrillic letter is up to 8px wide in the wide sans fonts of Linux,
	// so 26 of them fit with a margin. Longer labels end in "…", with the
	// whole text in the bar's title.
	barLabelRunes = 26
)

// barChart draws one horizontal bar per item, its label on the left and
// its value at the bar's end: the shape for counts by a name (findings by
// code, users by role), where the names are long and the list may be too.
// The title names the chart for screen readers and as a tooltip. An empty
// list draws nothing: callers say "none" in words instead.
func barChart(title string, bars []chartBar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	most := 0
	for _, b := range bars {
		most = max(most, b.Value)
	}
	height := 2*barPad + len(bars)*barRow
	plot := float64(barWidth - barLabelWidth - barValueWidth)
	var s strings.Builder
	openSVG(&s, title, barWidth, height)
	fmt.Fprintf(&s, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, barLabelWidth, barPad/2, barLabelWidth, height-barPad/2, colorAxis)
	for i, b := range bars {
		y := barPad + i*barRow
		w := 0.0
		if most > 0 {
			w = plot * float64(b.Value) / float64(most)
		}
		if b.Value > 0 {
			w = max(w, 2) // a bar of one among thousands still shows
		}
		mid := y + barThickness/2
		fmt.Fprintf(&s, `<g><title>%s: %d</title>`, esc(b.Label), b.Value)
		fmt.Fprintf(&s, `<text x="%d" y="%d" text-anchor="end" dominant-baseline="central" font-size="12" fill="%s">%s</text>`,
			barLabelWidth-8, mid, colorText, esc(truncate(b.Label, barLabelRunes)))
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="%.1f" height="%d" rx="2" fill="%s"/>`, barLabelWidth, y, w, barThickness, esc(fill(b.Color)))
		fmt.Fprintf(&s, `<text x="%.1f" y="%d" dominant-baseline="central" font-size="12" font-weight="600" fill="%s">%d</text>`,
			float64(barLabelWidth)+w+6, mid, colorText, b.Value)
		s.WriteString(`</g>`)
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// Geometry of the histogram, in SVG units.
const (
	histWidth  = 640
	histHeight = 220
	histTop    = 24 // room for the values above the bars
	histBottom = 36 // room for the buckets' labels under the axis
	histSide   = 12
	// histBarShare is how much of its slot a bar fills; the rest is the
	// gap that tells the buckets apart.
	histBarShare = 0.72
)

// histogram draws one vertical bar per bucket, in the buckets' order, the
// value above each bar and the bucket under it: the shape for a
// distribution whose order means something (password age). Empty buckets
// keep their place, so two reports compare at a glance.
func histogram(title string, buckets []chartBar) template.HTML {
	if len(buckets) == 0 {
		return ""
	}
	most := 0
	for _, b := range buckets {
		most = max(most, b.Value)
	}
	plotHeight := float64(histHeight - histTop - histBottom)
	base := histHeight - histBottom
	slot := float64(histWidth-2*histSide) / float64(len(buckets))
	var s strings.Builder
	openSVG(&s, title, histWidth, histHeight)
	for i, b := range buckets {
		h := 0.0
		if most > 0 {
			h = plotHeight * float64(b.Value) / float64(most)
		}
		if b.Value > 0 {
			h = max(h, 2)
		}
		center := float64(histSide) + slot*(float64(i)+0.5)
		w := slot * histBarShare
		fmt.Fprintf(&s, `<g><title>%s: %d</title>`, esc(b.Label), b.Value)
		fmt.Fprintf(&s, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="2" fill="%s"/>`, center-w/2, float64(base)-h, w, h, esc(fill(b.Color)))
		fmt.Fprintf(&s, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="12" font-weight="600" fill="%s">%d</text>`,
			center, float64(base)-h-6, colorText, b.Value)
		fmt.Fprintf(&s, `<text x="%.1f" y="%d" text-anchor="middle" font-size="12" fill="%s">%s</text>`,
			center, base+20, colorText, esc(truncate(b.Label, int(slot/7))))
		s.WriteString(`</g>`)
	}
	fmt.Fprintf(&s, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, histSide, base, histWidth-histSide, base, colorAxis)
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// openSVG starts a chart that scales down to a narrow column and never up
// past its drawn size, named by title for screen readers (aria-label) and
// for the pointer (title).
func openSVG(s *strings.Builder, title string, width, height int) {
	fmt.Fprintf(s, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d" style="max-width:100%%;height:auto">`,
		esc(title), width, height, width, height)
	fmt.Fprintf(s, `<title>%s</title>`, esc(title))
}

// truncate shortens s to at most n runes, the last of them "…".
func truncate(s string, n int) string {
	if n < 2 || utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func fill(color string) string {
	if color == "" {
		return colorAccent
	}
	return color
}

func esc(s string) string { return html.EscapeString(s) }
