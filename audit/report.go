package audit

import (
	_ "embed" // the report's template
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// reportHTML is the page WriteReport fills: its style sheet and its one
// script (sorting the tables) are inline, so the report is one file that
// opens offline and sends nothing anywhere.
//
//go:embed report.html
var reportHTML string

// reportTemplate is parsed once; a mistake in it fails every test of the
// report, so Must cannot fail in a build that passed them. rank gives a
// severity's sort key, so a table sorted by severity puts errors first.
var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"rank": severityRank}).Parse(reportHTML))

// topRoles is how many roles the chart of users per role shows: past
// fifteen bars the chart stops being read and becomes a table, and the
// table of memberships is on the page anyway.
const topRoles = 15

// WriteReport writes the audit of the infobases as one self-contained HTML
// page, the document a consultant hands over: an overview of every
// infobase, then for each its summary, its findings worst first with
// charts of them, its users per role and their password ages, the
// dangerous rights, and the user × role and rights matrices as tables that
// sort by a click on a column. An infobase whose Error is set shows the
// error instead, and the others still render. generated is the time the
// header names; the page holds nothing else that changes between runs, so
// the same audits give the same bytes.
func WriteReport(w io.Writer, audits []Audit, generated time.Time) error {
	if err := reportTemplate.Execute(w, newReportPage(audits, generated)); err != nil {
		return fmt.Errorf("writing the audit report: %w", err)
	}
	return nil
}

// reportPage is what the template shows: everything counted, sorted and
// formatted here, so the template only lays it out.
type reportPage struct {
	Title     string
	Generated string
	Infobases []reportInfobase
	// Totals are the findings of every infobase together.
	Totals severityCounts
	// Failed is how many infobases could not be read.
	Failed int
}

// severityCounts counts findings by severity.
type severityCounts struct {
	Error, Warning, Info int
}

func (c *severityCounts) add(severity string) {
	switch severity {
	case SeverityError:
		c.Error++
	case SeverityWarning:
		c.Warning++
	case SeverityInfo:
		c.Info++
	}
}

// reportInfobase is the section of one infobase.
type reportInfobase struct {
	// ID is the anchor of the section: its number, since a name may hold
	// anything (spaces, Cyrillic, quotes) and two names may differ only in
	// case.
	ID       string
	Name     string
	Error    string
	HasUsers bool
	Read     string

	Users, Roles, Objects, Grants int
	Counts                        severityCounts

	// Findings are worst first, in the audit's order within a severity.
	Findings  []Finding
	Dangerous []Finding

	CodeChart, RoleChart, AgeChart template.HTML
	// RoleNote says how many roles the chart leaves out, if any.
	RoleNote string
	// NoPasswordAuth counts the users who cannot log in by password and
	// have none: the age chart leaves them out, since no password is
	// their normal state.
	NoPasswordAuth int

	UserRows []reportUser
	Matrix   reportMatrix
	Rights   []reportRights
	// Restricted is whether a right of the matrix is restricted: the
	// legend of the mark shows only then.
	Restricted bool
}

// reportUser is a row of the users table. The *Sort fields place cells
// whose text is not a number ("none", "never") among the numbers.
type reportUser struct {
	Name, FullName, Roles string
	RoleCount             int
	// Login is how the user logs in and the second factors enrolled:
	// "password, os + totp".
	Login                  string
	Password               string
	PasswordSort           int
	Changed                string
	Expires                string
	ExpiresSort            int
	Expired, Locked        bool
	LastLogin, LastFailure string
}

// reportMatrix is the user × role matrix: a grid of marks while the roles
// fit across the page, the membership rows of the CLI past that.
type reportMatrix struct {
	Grid  bool
	Roles []string
	Rows  []reportMatrixRow
	Pairs []Membership
}

// reportMatrixRow is a user's row of the grid: Has[i] is whether the user
// holds Roles[i].
type reportMatrixRow struct {
	User  string
	Count int
	Has   []bool
}

// gridRoles is how many roles the grid holds across: more columns than
// that scroll off any screen, and a list reads better.
const gridRoles = 16

// reportRights is a row of the rights matrix: the rights of one role on one
// object, joined. A real configuration grants a hundred thousand rights
// and more; a row per right would make the page too long to open, a row
// per role and object keeps it a few megabytes.
type reportRights struct {
	Role, Object string
	Count        int
	// Rights are joined with commas, a restricted right marked with "*".
	Rights string
}

// newReportPage builds the page of the audits, in their order.
func newReportPage(audits []Audit, generated time.Time) reportPage {
	p := reportPage{
		Title:     "Access audit report — " + generated.UTC().Format("2006-01-02"),
		Generated: generated.UTC().Format("2006-01-02 15:04 UTC"),
	}
	for i, a := range audits {
		ib := newReportInfobase(i+1, a)
		if ib.Error != "" {
			p.Failed++
		}
		p.Totals.Error += ib.Counts.Error
		p.Totals.Warning += ib.Counts.Warning
		p.Totals.Info += ib.Counts.Info
		p.Infobases = append(p.Infobases, ib)
	}
	return p
}

// newReportInfobase builds the section of the nth infobase: every section
// its audit has data for, the user sections only when it has users.
func newReportInfobase(n int, a Audit) reportInfobase {
	ib := reportInfobase{ID: "ib-" + strconv.Itoa(n), Name: a.Infobase, Error: a.Error, HasUsers: a.HasUsers, Read: timeCell(a.Read)}
	if a.Error != "" {
		return ib // what a failed read left is not to be trusted: show the error only
	}
	roles, objects := map[string]bool{}, map[string]bool{}
	for _, g := range a.Grants {
		roles[g.Role] = true
		if g.Object != ConfigurationObject {
			objects[g.Object] = true
		}
	}
	for _, m := range a.Memberships {
		roles[m.Role] = true
	}
	ib.Users, ib.Roles, ib.Objects, ib.Grants = len(a.Users), len(roles), len(objects), len(a.Grants)
	if a.RoleCount > 0 {
		ib.Roles = a.RoleCount // the configuration's own count: roles that grant nothing count too
	}

	ib.Findings = slices.Clone(a.Findings)
	slices.SortStableFunc(ib.Findings, func(x, y Finding) int { return severityRank(x.Severity) - severityRank(y.Severity) })
	for _, f := range ib.Findings {
		ib.Counts.add(f.Severity)
		if f.Code == CodeDangerousRight {
			ib.Dangerous = append(ib.Dangerous, f)
		}
	}
	ib.CodeChart = barChart("Findings by code, "+a.Infobase, codeBars(ib.Findings))
	ib.Rights, ib.Restricted = rightsRows(a.Grants)
	if !a.HasUsers {
		return ib
	}
	bars, all := roleBars(a.Memberships)
	if len(bars) < all {
		ib.RoleNote = fmt.Sprintf("The %d roles with the most users, of %d held.", len(bars), all)
	}
	ib.RoleChart = barChart("Users per role, "+a.Infobase, bars)
	var ages []chartBar
	ages, ib.NoPasswordAuth = ageBuckets(a.Users)
	ib.AgeChart = histogram("Password age in days, "+a.Infobase, ages)
	for _, u := range a.Users {
		ib.UserRows = append(ib.UserRows, userRow(u))
	}
	ib.Matrix = matrix(a.Memberships)
	return ib
}

// severityRank orders severities worst first, an unknown one last.
func severityRank(s string) int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	case SeverityInfo:
		return 2
	}
	return 3
}

// codeBars counts the findings by code, most first, each bar in the colour
// of the worst severity its code was found with.
func codeBars(findings []Finding) []chartBar {
	count, worst := map[string]int{}, map[string]string{}
	for _, f := range findings {
		count[f.Code]++
		if w, ok := worst[f.Code]; !ok || severityRank(f.Severity) < severityRank(w) {
			worst[f.Code] = f.Severity
		}
	}
	var bars []chartBar
	for code, n := range count {
		bars = append(bars, chartBar{Label: code, Value: n, Color: severityColor(worst[code])})
	}
	sortBars(bars)
	return bars
}

func severityColor(s string) string {
	switch s {
	case SeverityError:
		return colorError
	case SeverityWarning:
		return colorWarning
	case SeverityInfo:
		return colorInfo
	}
	return colorMuted
}

// roleBars counts the users of each role, most first, and keeps the
// topRoles first; all is how many roles some user holds.
func roleBars(memberships []Membership) (bars []chartBar, all int) {
	users := map[string]map[string]bool{}
	for _, m := range memberships {
		if users[m.Role] == nil {
			users[m.Role] = map[string]bool{}
		}
		users[m.Role][m.User] = true
	}
	for role, set := range users {
		bars = append(bars, chartBar{Label: role, Value: len(set)})
	}
	sortBars(bars)
	return bars[:min(len(bars), topRoles)], len(bars)
}

// sortBars orders bars most first, then by label, so that maps read in any
// order give the same chart.
func sortBars(bars []chartBar) {
	slices.SortFunc(bars, func(x, y chartBar) int {
		if x.Value != y.Value {
			return y.Value - x.Value
		}
		return strings.Compare(x.Label, y.Label)
	})
}

// passwordAges are the buckets of the password age chart: a month, a
// quarter, half a year, a year, older. Their bounds are the usual ones of
// password policies, so a bar past the policy's age reads at once.
var passwordAges = []struct {
	label string
	upTo  int // days, inclusive
}{
	{"0–30", 30}, {"31–90", 90}, {"91–180", 180}, {"181–365", 365}, {">365", math.MaxInt},
}

// ageBuckets counts the users by password age, then those who log in by
// password and have none, then those whose password's date is unknown (only
// when there are any). Users who neither have a password nor may log in by
// one are left out and counted in skipped.
func ageBuckets(users []User) (buckets []chartBar, skipped int) {
	counts := make([]int, len(passwordAges))
	var none, unknown int
	for _, u := range users {
		switch {
		case u.PasswordSet && u.PasswordAgeDays != nil:
			for i, b := range passwordAges {
				if *u.PasswordAgeDays <= b.upTo {
					counts[i]++
					break
				}
			}
		case u.PasswordSet:
			unknown++
		case slices.Contains(u.Authentication, "password"):
			none++
		default:
			skipped++
		}
	}
	if none+unknown+slices.Max(counts) == 0 {
		return nil, skipped
	}
	for i, b := range passwordAges {
		color := colorAccent
		if b.upTo > 365 {
			color = colorWarning
		}
		buckets = append(buckets, chartBar{Label: b.label, Value: counts[i], Color: color})
	}
	buckets = append(buckets, chartBar{Label: "no password", Value: none, Color: colorError})
	if unknown > 0 {
		buckets = append(buckets, chartBar{Label: "date unknown", Value: unknown, Color: colorMuted})
	}
	return buckets, skipped
}

// userRow formats a user for the users table.
func userRow(u User) reportUser {
	r := reportUser{
		Name: u.Name, FullName: u.FullName, Roles: strings.Join(u.Roles, ", "), RoleCount: len(u.Roles),
		Login:   strings.Join(u.Authentication, ", "),
		Changed: yesNo(u.PasswordChanged), Expired: u.Expired, Locked: u.Locked,
		LastLogin: timeCell(u.LastLogin), LastFailure: timeCell(u.LastFailure),
		Password: "none", PasswordSort: -1, Expires: "never", ExpiresSort: math.MaxInt32,
	}
	switch {
	case u.PasswordSet && u.PasswordAgeDays != nil:
		r.Password, r.PasswordSort = days(*u.PasswordAgeDays), *u.PasswordAgeDays
	case u.PasswordSet:
		r.Password, r.PasswordSort = "set", 0
	}
	if r.Login == "" {
		r.Login = "none"
	}
	if len(u.SecondFactor) > 0 {
		r.Login += " + " + strings.Join(u.SecondFactor, ", ")
	}
	if !u.PasswordSet {
		r.Changed = "—"
	}
	if u.ExpiresInDays != nil {
		r.ExpiresSort = *u.ExpiresInDays
		r.Expires = days(*u.ExpiresInDays)
		if *u.ExpiresInDays < 0 {
			r.Expires = days(-*u.ExpiresInDays) + " ago"
		}
	}
	return r
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// timeCell is a time as the report writes it: in UTC, to the minute, or a
// dash when the audit does not know it.
func timeCell(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// matrix lays the memberships out as a grid when the roles fit across,
// users and roles in the order the audit first names them.
func matrix(memberships []Membership) reportMatrix {
	var users, roles []string
	seenUser, seenRole, holds := map[string]bool{}, map[string]bool{}, map[[2]string]bool{}
	for _, m := range memberships {
		if !seenUser[m.User] {
			seenUser[m.User] = true
			users = append(users, m.User)
		}
		if !seenRole[m.Role] {
			seenRole[m.Role] = true
			roles = append(roles, m.Role)
		}
		holds[[2]string{m.User, m.Role}] = true
	}
	if len(roles) > gridRoles {
		return reportMatrix{Pairs: memberships}
	}
	slices.Sort(roles) // a grid is read across: alphabetical columns are found by name
	mx := reportMatrix{Grid: true, Roles: roles}
	for _, u := range users {
		row := reportMatrixRow{User: u, Has: make([]bool, len(roles))}
		for i, r := range roles {
			if holds[[2]string{u, r}] {
				row.Has[i] = true
				row.Count++
			}
		}
		mx.Rows = append(mx.Rows, row)
	}
	return mx
}

// rightsRows joins the grants of each role on each object into one row, in
// the order of the grants' first appearance (the configuration's), and
// reports whether any right is restricted.
func rightsRows(grants []Grant) (rows []reportRights, restricted bool) {
	at := map[[2]string]int{}
	var names [][]string
	for _, g := range grants {
		key := [2]string{g.Role, g.Object}
		i, ok := at[key]
		if !ok {
			i = len(rows)
			at[key] = i
			rows = append(rows, reportRights{Role: g.Role, Object: g.Object})
			names = append(names, nil)
		}
		name := g.Right
		if g.Restricted {
			name += "*"
			restricted = true
		}
		names[i] = append(names[i], name)
	}
	for i := range rows {
		rows[i].Count = len(names[i])
		rows[i].Rights = strings.Join(names[i], ", ")
	}
	return rows, restricted
}
