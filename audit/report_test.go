package audit_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"dostup/audit"
	"dostup/authn"
	"dostup/demo"
	"dostup/internal/testcorpus"
	"dostup/internal/testdemo"
)

// reportTime is the generation time of every report the tests write, so
// their pages are the same bytes on every run.
var reportTime = time.Date(2026, 5, 4, 9, 30, 0, 0, time.UTC)

// reportEvilRole is a role name that would run as a script if the report did not
// escape it, in its tables and in its charts alike.
const reportEvilRole = "<script>alert(1)</script>"

func reportDays(n int) *int { return &n }

// reportHandBuilt is an infobase with a bit of everything the report draws —
// password ages in every bucket, a role named like a script, a long role
// name, restricted rights, a dangerous right — and one whose read failed.
func reportHandBuilt() []audit.Audit {
	read := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	user := func(name, full string, roles []string, age *int, changed bool) audit.User {
		return audit.User{
			Name: name, FullName: full, Roles: roles, PasswordSet: age != nil, PasswordAgeDays: age, PasswordChanged: changed,
			Authentication: []string{"password"}, SecondFactor: []string{}, Listed: true, LastLogin: read.Add(-26 * time.Hour),
		}
	}
	longRole := "ДобавлениеИзменениеКонтактныхЛицПартнеровИКонтрагентов"
	users := []audit.User{
		user("Иванов", "Иванов Иван Иванович", []string{"Бухгалтер", "ПолныеПрава"}, reportDays(12), true),
		user("Петров", "Петров Пётр", []string{"Бухгалтер", reportEvilRole}, reportDays(45), true),
		user("Сидорова", "Сидорова Анна", []string{"Бухгалтер", longRole}, reportDays(120), false),
		user("Кузнецов", "Кузнецов Олег", []string{"Кладовщик"}, reportDays(200), true),
		user("Смирнова", "Смирнова Мария", []string{"Кладовщик", "Бухгалтер"}, reportDays(400), true),
		user("Гость", "", []string{}, nil, false),
	}
	users[3].ExpiresInDays, users[4].ExpiresInDays, users[4].Expired = reportDays(-5), reportDays(-35), true
	users[0].SecondFactor = []string{"totp"}
	var memberships []audit.Membership
	for _, u := range users {
		for _, r := range u.Roles {
			memberships = append(memberships, audit.Membership{Infobase: "buh", User: u.Name, Role: r})
		}
	}
	grants := []audit.Grant{
		{Role: "ПолныеПрава", Object: audit.ConfigurationObject, Right: "Администрирование"},
		{Role: "Бухгалтер", Object: audit.ConfigurationObject, Right: "ТонкийКлиент"},
		{Role: "Бухгалтер", Object: "Справочник.Контрагенты", Right: "Чтение", Restricted: true},
		{Role: "Бухгалтер", Object: "Справочник.Контрагенты", Right: "Изменение"},
		{Role: "Бухгалтер", Object: "Документ.РеализацияТоваров", Right: "Чтение"},
		{Role: reportEvilRole, Object: audit.ConfigurationObject, Right: "ВнешнееСоединение"},
		{Role: "Кладовщик", Object: "Справочник.Номенклатура", Right: "Чтение"},
		{Role: "Кладовщик", Object: "Справочник.Номенклатура", Right: "ИнтерактивноеУдаление"},
	}
	findings := []audit.Finding{
		{Code: audit.CodeUnusedRole, Severity: audit.SeverityInfo, Subject: "Роль." + longRole, Role: longRole, Message: "no session held role " + longRole + " in the last 90 days"},
		{Code: audit.CodeInteractiveDelete, Severity: audit.SeverityWarning, Subject: "Роль.Кладовщик", Role: "Кладовщик", Right: "ИнтерактивноеУдаление", Object: "Справочник.Номенклатура", Message: "role Кладовщик may delete Справочник.Номенклатура interactively"},
		{Code: audit.CodeDangerousRight, Severity: audit.SeverityError, Subject: "Роль." + reportEvilRole, Role: reportEvilRole, Right: "ВнешнееСоединение", Object: audit.ConfigurationObject, Message: "role " + reportEvilRole + " holds ВнешнееСоединение"},
		{Code: audit.CodeNoPassword, Severity: audit.SeverityError, Subject: "Пользователь.Гость", User: "Гость", Message: "user Гость logs in by name and password and has no password"},
		{Code: audit.CodePasswordNeverChanged, Severity: audit.SeverityWarning, Subject: "Пользователь.Сидорова", User: "Сидорова", Message: "the password of user Сидорова was never changed"},
		{Code: audit.CodePasswordExpired, Severity: audit.SeverityWarning, Subject: "Пользователь.Смирнова", User: "Смирнова", Message: "the password of user Смирнова expired 35 days ago"},
		{Code: audit.CodeNoRoles, Severity: audit.SeverityWarning, Subject: "Пользователь.Гость", User: "Гость", Message: "user Гость holds no role"},
	}
	return []audit.Audit{
		{Infobase: "buh", HasUsers: true, Users: users, Memberships: memberships, Grants: grants, Findings: findings, Read: read},
		{Infobase: "broken", Error: "broken: opening postgres://10.0.0.7/unf: connection refused"},
	}
}

// reportDemoAudits are the real audits of the demo infobase (its users with the
// passwords dostup demo gives them) and of its configuration alone.
func reportDemoAudits(t *testing.T) []audit.Audit {
	t.Helper()
	ctx := context.Background()
	_, _, db := testdemo.Secure(t, "sqlite", authn.Config{})
	ib, err := audit.Read(ctx, db, "demo")
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := demo.Config()
	if err != nil {
		t.Fatal(err)
	}
	o := audit.Options{Policy: audit.DefaultPolicy()}
	return []audit.Audit{audit.Run(ib, o), audit.Run(audit.FromConfiguration("demo-release", cfg), o)}
}

func renderReport(t *testing.T, audits []audit.Audit) string {
	t.Helper()
	var b bytes.Buffer
	if err := audit.WriteReport(&b, audits, reportTime); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// reportSVGCount is how many charts the report of reportAudits draws: three for an
// infobase with users (findings by code, users per role, password age),
// one for a configuration alone, none for a failed read.
const reportSVGCount = 3 + 0 + 3 + 1

func reportAudits(t *testing.T) []audit.Audit {
	return append(reportHandBuilt(), reportDemoAudits(t)...)
}

// TestReportHTML: the report is one file that loads nothing from anywhere,
// shows every name as text, and has every section of every infobase.
func TestReportHTML(t *testing.T) {
	audits := reportAudits(t)
	page := renderReport(t, audits)

	if n := strings.Count(strings.ToLower(page), "<script"); n != 1 {
		t.Errorf("%d <script elements, want only the report's own", n)
	}
	for _, external := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)\ssrc\s*=`), regexp.MustCompile(`(?i)href\s*=\s*["']?\s*(https?:|//|file:)`),
		regexp.MustCompile(`(?i)@import`), regexp.MustCompile(`(?i)url\(`), regexp.MustCompile(`(?i)<(link|img|iframe|object|embed)\b`),
	} {
		if m := external.FindString(page); m != "" {
			t.Errorf("the report loads something from outside: %q", m)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the role named like a script is not shown as text")
	}
	if n := strings.Count(page, "<svg"); n != reportSVGCount {
		t.Errorf("%d charts, want %d", n, reportSVGCount)
	}
	wants := []string{
		"<title>Access audit report — 2026-05-04</title>", "generated 2026-05-04 09:30 UTC",
		// the overview links each infobase's section, in the audits' order
		`<a href="#ib-1">buh</a>`, `<a href="#ib-2">broken</a>`, `<a href="#ib-3">demo</a>`, `<a href="#ib-4">demo-release</a>`,
		`id="ib-1"`, `id="ib-2"`, `id="ib-3"`, `id="ib-4"`,
		// the broken entry shows its error, and the others still render
		"opening postgres://10.0.0.7/unf: connection refused", `<span class="status failed">failed</span>`,
		`id="ib-1-findings"`, `id="ib-1-dangerous"`, `id="ib-1-users"`, `id="ib-1-matrix"`, `id="ib-1-rights"`, `id="ib-3-users"`, `id="ib-4-rights"`,
		"Configuration only: no users.",
		`aria-label="Findings by code, buh"`, `aria-label="Users per role, buh"`, `aria-label="Password age in days, buh"`,
		// the rights matrix: one row per role and object, restricted rights marked
		`<td>Бухгалтер<td>Справочник.Контрагенты<td class="num">2<td>Чтение*, Изменение`, "restricted at record level",
		// a long role name is cut in the chart and whole in its tooltip
		"<title>ДобавлениеИзменениеКонтактныхЛицПартнеровИКонтрагентов: 1</title>", ">ДобавлениеИзменениеКонтак…<",
		">no password<", ">&gt;365<",
	}
	for _, want := range wants {
		if !strings.Contains(page, want) {
			t.Errorf("the report has no %q", want)
		}
	}
	// The configuration alone has no user sections; the failed read none at all.
	section := func(id string) string {
		start := strings.Index(page, `<section class="ib" id="`+id+`"`)
		if start < 0 {
			t.Fatalf("no section %s", id)
		}
		end := strings.Index(page[start+1:], `<section class="ib" `)
		if end < 0 {
			return page[start:]
		}
		return page[start : start+1+end]
	}
	if s := section("ib-4"); strings.Contains(s, "ib-4-users") || strings.Contains(s, "Users per role") || strings.Count(s, "<svg") != 1 {
		t.Error("the configuration alone shows user sections")
	}
	if s := section("ib-2"); strings.Contains(s, "<table") || strings.Contains(s, "<svg") {
		t.Error("the failed infobase shows sections besides its error")
	}
	// Errors come first in the findings table.
	s := section("ib-1")
	if e, w, i := strings.Index(s, `sev-error"`), strings.Index(s, `sev-warning"`), strings.Index(s, `sev-info"`); e < 0 || e > w || w > i {
		t.Errorf("findings are not worst first: error at %d, warning at %d, info at %d", e, w, i)
	}
	// The real demo: its users and their roles.
	if s := section("ib-3"); !strings.Contains(s, "ivanov") || !strings.Contains(s, "sidorova") || !strings.Contains(s, "totp") {
		t.Error("the demo's section does not show its users")
	}
	if again := renderReport(t, audits); again != page {
		t.Error("the same audits gave two different reports")
	}
}

// TestReportManyRoles: past fifteen roles the chart of users per role shows
// the fifteen with the most users and says so; past sixteen the user ×
// role matrix is a list, as a grid would not fit across the page.
func TestReportManyRoles(t *testing.T) {
	a := audit.Audit{Infobase: "big", HasUsers: true, Users: []audit.User{}, Grants: []audit.Grant{}, Findings: []audit.Finding{}}
	for i := range 20 {
		role := fmt.Sprintf("Роль%02d", i)
		for u := range i + 1 {
			a.Memberships = append(a.Memberships, audit.Membership{User: fmt.Sprintf("user%02d", u), Role: role})
		}
	}
	page := renderReport(t, []audit.Audit{a})
	if !strings.Contains(page, "The 15 roles with the most users, of 20 held.") {
		t.Error("the chart of users per role does not say it shows 15 roles of 20")
	}
	start := strings.Index(page, `aria-label="Users per role, big"`)
	chart := page[start : start+strings.Index(page[start:], "</svg>")]
	if n := strings.Count(chart, "<rect"); n != 15 {
		t.Errorf("the chart of users per role has %d bars, want 15", n)
	}
	if !strings.Contains(chart, "<title>Роль19: 20</title>") || strings.Contains(chart, "Роль04") {
		t.Error("the chart does not show the roles with the most users")
	}
	if !strings.Contains(page, "one row per role a user holds") || !strings.Contains(page, "<tr><td>user00<td>Роль19") {
		t.Error("the user × role matrix of 20 roles is not a list")
	}
}

// TestReportEmpty: a report of nothing is still a page.
func TestReportEmpty(t *testing.T) {
	page := renderReport(t, nil)
	if !strings.Contains(page, "The report covers no infobases.") || strings.Contains(page, "<svg") {
		t.Errorf("the empty report is wrong:\n%s", page)
	}
}

// reportChromium finds the browser the browser test drives: CI installs it, so
// its absence is a broken machine, not a reason to skip.
func reportChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Fatal("chromium is not installed: the report's browser test needs it (apt-get install chromium; .ci/run installs it)")
	return ""
}

// TestReportInBrowser opens the report in headless Chromium: the page
// loads without a console error, draws its charts, sorts a table by a click
// on its header, and leaves a full-page screenshot, also in
// $DOSTUP_ARTIFACTS when set, for a person to look at.
func TestReportInBrowser(t *testing.T) {
	exe := reportChromium(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	page := []byte(renderReport(t, reportAudits(t)))
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Flag("headless", "new"), chromedp.WindowSize(1280, 900))
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()

	var mu sync.Mutex
	var problems []string
	report := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, s)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				report("console error: " + strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil {
				text += " " + d.Exception.Description
			}
			report("exception: " + text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				report("log error: " + ev.Entry.Text + " " + ev.Entry.URL)
			}
		}
	})
	if err != nil {
		t.Fatalf("starting chromium %s: %v", exe, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+file), chromedp.WaitVisible(chromedp.CSS("footer"))); err != nil {
		t.Fatalf("opening the report: %v", err)
	}

	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil || title != "Access audit report — 2026-05-04" {
		t.Errorf("title %q (%v)", title, err)
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg").length`))
	if err != nil || charts != reportSVGCount {
		t.Errorf("%d charts in the page (%v), want %d", charts, err, reportSVGCount)
	}

	// The overview lists buh, broken, demo, demo-release: sorted by name
	// broken comes first, reversed demo-release.
	header := chromedp.CSS("#overview thead th:first-child button")
	firstCell := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#overview tbody tr:first-child td:first-child")))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, want := range []string{"buh", "broken", "demo-release"} {
		if got := firstCell(); got != want {
			t.Errorf("the overview's first infobase is %q, want %q", got, want)
		}
		if err := chromedp.Do(ctx, chromedp.Click(header)); err != nil {
			t.Fatal(err)
		}
	}
	// A column of numbers sorts as numbers: the password ages of buh.
	ages, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		document.querySelectorAll("#ib-1-users thead th")[5].querySelector("button").click();
		return Array.from(document.querySelectorAll("#ib-1-users tbody tr"), r => r.cells[5].textContent);
	})()`))
	if want := []string{"none", "12 days", "45 days", "120 days", "200 days", "400 days"}; err != nil || strings.Join(ages, "|") != strings.Join(want, "|") {
		t.Errorf("password ages sorted: %q (%v), want %q", ages, err, want)
	}

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	if to := os.Getenv("DOSTUP_ARTIFACTS"); to != "" {
		if err := os.MkdirAll(to, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string][]byte{"report.png": shot, "report.html": page} {
			if err := os.WriteFile(filepath.Join(to, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("screenshot: %s", filepath.Join(to, "report.png"))
	}

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}

// TestReportOfUnf30: the report of a whole application audited from its
// dump renders every role's rights and stays a size a browser opens.
func TestReportOfUnf30(t *testing.T) {
	cfg := loadTarget(t, testcorpus.Unf30(t)).Config
	a := audit.Run(audit.FromConfiguration("unf30", cfg), audit.Options{Policy: audit.DefaultPolicy()})
	var page strings.Builder
	if err := audit.WriteReport(&page, []audit.Audit{a}, time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	if n := len(html); n > 16<<20 {
		t.Errorf("the report of unf30 is %d MB", n>>20)
	}
	for _, want := range []string{"ПолныеПрава", "Справочник.Контрагенты", "<svg", "interactive-delete"} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Count(html, "<script") != 1 {
		t.Errorf("%d scripts; the report has its one inline script only", strings.Count(html, "<script"))
	}
}
