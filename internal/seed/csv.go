package seed

import (
	"bufio"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// streamCSV is the PCG stream of ContactsCSV, apart from the tables'.
const streamCSV = 101

// CSVOptions shape a generated contacts file.
type CSVOptions struct {
	Rows       int     // data rows
	Seed       uint64  // the same seed gives the same file
	Duplicates float64 // share of rows that repeat an earlier row's email (with other details)
	Companies  int     // distinct company names (default Rows/10)
}

// ContactsCSVHeader is the generated file's header: twelve columns, named
// as a typical CRM export names them.
var ContactsCSVHeader = []string{"First Name", "Last Name", "Email", "Phone", "Mobile Phone", "Job Title", "Company Name",
	"Website", "Lifecycle Stage", "Lead Source", "Tags", "Create Date"}

// ContactsCSV writes a CSV of generated contacts, for import tests and the
// import benchmark: the seed's names, companies, titles and phone shapes, a
// share of rows repeating an earlier email (an update, for dedupe), and
// companies named on many rows (for company linking). It streams: memory
// stays flat for any Rows (the duplicates draw from a bounded window).
func ContactsCSV(w io.Writer, o CSVOptions) error {
	if o.Companies <= 0 {
		o.Companies = max(1, o.Rows/10)
	}
	r := rand.New(rand.NewPCG(o.Seed, streamCSV))
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(strings.Join(ContactsCSVHeader, ",") + "\n")
	type co struct{ name, domain string }
	cos := make([]co, o.Companies)
	for i := range cos {
		l := locales[pickLocale(r)]
		stem := pick(r, companyStems)
		cos[i] = co{name: stem + " " + pick(r, companyWords) + " " + strconv.Itoa(i) + " " + pick(r, l.suffixes),
			domain: fold(stem) + strconv.Itoa(i) + l.tld}
	}
	const window = 4096
	recent := make([]string, 0, window)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < o.Rows; i++ {
		l := locales[pickLocale(r)]
		first, last := pick(r, l.first), pick(r, l.last)
		c := cos[r.IntN(len(cos))]
		var email string
		if len(recent) > 0 && chance(r, o.Duplicates) {
			email = recent[r.IntN(len(recent))]
		} else {
			email = fold(first) + "." + fold(last) + "." + strconv.Itoa(i) + "@" + c.domain
			if len(recent) < window {
				recent = append(recent, email)
			} else {
				recent[r.IntN(window)] = email
			}
		}
		phone, mobile := "", ""
		if chance(r, 0.7) {
			phone = l.phone + digits(r, 3) + " " + digits(r, 3) + " " + digits(r, 4)
		}
		if chance(r, 0.3) {
			mobile = l.phone + digits(r, 3) + " " + digits(r, 3) + " " + digits(r, 4)
		}
		tags := ""
		if chance(r, 0.2) {
			tags = "newsletter;" + pick(r, []string{"vip", "event", "partner"})
		}
		created := base.Add(time.Duration(r.Int64N(int64(700 * 24 * time.Hour)))).Truncate(time.Second)
		row := []string{first, last, email, phone, mobile, pick(r, jobTitles), c.name, "https://www." + c.domain,
			pick(r, lifecycles), pick(r, sources), tags, created.Format(time.RFC3339)}
		for j, f := range row {
			if j > 0 {
				bw.WriteByte(',')
			}
			if strings.ContainsAny(f, ",\"\n") {
				f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
			}
			bw.WriteString(f)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
