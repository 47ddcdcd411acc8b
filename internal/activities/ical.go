package activities

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ICal writes iCalendar (RFC 5545) text: CRLF line ends, lines folded at 75
// octets without splitting a UTF-8 character, TEXT values escaped. Written
// by hand because it is small and the library choices either lag the RFC
// on folding or pull in recurrence engines we do not need.
type ICal struct{ b strings.Builder }

// Prop writes one content line; value is written as given (use Text for
// TEXT values).
func (c *ICal) Prop(name, value string) {
	line := name + ":" + value
	// The first line holds 75 octets; a continuation starts with a space,
	// so it holds 74 more.
	for limit := 75; len(line) > limit; limit = 74 {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		c.b.WriteString(line[:cut])
		c.b.WriteString("\r\n ")
		line = line[cut:]
	}
	c.b.WriteString(line)
	c.b.WriteString("\r\n")
}

// Text writes a property with a TEXT value, escaped.
func (c *ICal) Text(name, value string) { c.Prop(name, EscapeText(value)) }

// String is the calendar so far.
func (c *ICal) String() string { return c.b.String() }

// EscapeText escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon,
// comma and newlines; other control characters are dropped.
func EscapeText(s string) string {
	var b strings.Builder
	for _, r := range strings.ReplaceAll(s, "\r\n", "\n") {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n', '\r':
			b.WriteString(`\n`)
		default:
			if r < 0x20 || r == 0x7f {
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// paramText quotes a parameter value (a CN), which may not hold quotes.
func paramText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return `"` + s + `"`
}

func utcStamp(t time.Time) string  { return t.UTC().Format("20060102T150405Z") }
func dateStamp(t time.Time) string { return t.UTC().Format("20060102") }

// CalendarOptions describe a calendar being written.
type CalendarOptions struct {
	Name    string // X-WR-CALNAME
	Method  string // "" for a feed, "REQUEST" for an invitation
	BaseURL string // links to activities start with it
	Host    string // the right-hand side of UIDs
}

// Organizer is who sends an invitation.
type Organizer struct{ Name, Email string }

// WriteCalendar writes activities as one VCALENDAR: meetings, calls and
// deadlines as VEVENTs (they belong on a calendar), tasks and emails to
// write as VTODOs.
func WriteCalendar(o CalendarOptions, org *Organizer, as []Activity, stamp time.Time) string {
	var c ICal
	c.Prop("BEGIN", "VCALENDAR")
	c.Prop("VERSION", "2.0")
	c.Prop("PRODID", "-//Tandem//Tandem CRM//EN")
	c.Prop("CALSCALE", "GREGORIAN")
	if o.Method != "" {
		c.Prop("METHOD", o.Method)
	}
	if o.Name != "" {
		c.Text("X-WR-CALNAME", o.Name)
		c.Text("NAME", o.Name)
		c.Prop("REFRESH-INTERVAL;VALUE=DURATION", "PT15M")
		c.Prop("X-PUBLISHED-TTL", "PT15M")
	}
	for _, a := range as {
		if a.DueAt.IsZero() {
			continue
		}
		writeComponent(&c, o, org, a, stamp)
	}
	c.Prop("END", "VCALENDAR")
	return c.String()
}

// IsEvent says whether an activity is written as a VEVENT (else a VTODO).
func IsEvent(a Activity) bool { return a.Type == "meeting" || a.Type == "call" || a.Type == "deadline" }

func writeComponent(c *ICal, o CalendarOptions, org *Organizer, a Activity, stamp time.Time) {
	kind := "VTODO"
	if IsEvent(a) || o.Method == "REQUEST" {
		kind = "VEVENT"
	}
	c.Prop("BEGIN", kind)
	c.Prop("UID", fmt.Sprintf("activity-%d@%s", a.ID, o.Host))
	c.Prop("DTSTAMP", utcStamp(stamp))
	c.Prop("SEQUENCE", fmt.Sprint(max(a.Version-1, 0)))
	c.Prop("LAST-MODIFIED", utcStamp(a.UpdatedAt))
	c.Prop("CREATED", utcStamp(a.CreatedAt))
	c.Text("SUMMARY", a.Title)
	start, when := utcStamp(a.DueAt), "DTSTART"
	if a.AllDay {
		when += ";VALUE=DATE"
		start = dateStamp(a.DueAt)
	}
	if kind == "VEVENT" {
		c.Prop(when, start)
		switch {
		case a.AllDay:
			c.Prop("DTEND;VALUE=DATE", dateStamp(a.DueAt.AddDate(0, 0, max(1, (a.DurationMin+1439)/1440))))
		case a.DurationMin > 0:
			c.Prop("DTEND", utcStamp(a.EndsAt()))
		default:
			c.Prop("DTEND", start)
		}
		if a.Done() && o.Method == "" {
			c.Prop("STATUS", "CONFIRMED")
		}
	} else {
		c.Prop(strings.Replace(when, "DTSTART", "DUE", 1), start)
		if a.Done() {
			c.Prop("STATUS", "COMPLETED")
			c.Prop("COMPLETED", utcStamp(a.DoneAt))
			c.Prop("PERCENT-COMPLETE", "100")
		} else {
			c.Prop("STATUS", "NEEDS-ACTION")
		}
	}
	if a.Location != "" {
		c.Text("LOCATION", a.Location)
	}
	c.Text("CATEGORIES", strings.ToUpper(a.Type[:1])+a.Type[1:])
	if d := description(a); d != "" {
		c.Text("DESCRIPTION", d)
	}
	if o.BaseURL != "" {
		c.Prop("URL", strings.TrimRight(o.BaseURL, "/")+"/activities/"+a.ID.String())
	}
	if org != nil {
		c.Prop("ORGANIZER;CN="+paramText(org.Name), "mailto:"+org.Email)
		for _, p := range a.Contacts {
			if p.Email == "" {
				continue
			}
			role := "REQ-PARTICIPANT"
			if p.Role == "optional" {
				role = "OPT-PARTICIPANT"
			}
			c.Prop("ATTENDEE;CN="+paramText(p.Name)+";ROLE="+role+";PARTSTAT=NEEDS-ACTION;RSVP=TRUE", "mailto:"+p.Email)
		}
	}
	if !a.RemindAt.IsZero() && !a.Done() && o.Method == "" {
		c.Prop("BEGIN", "VALARM")
		c.Prop("ACTION", "DISPLAY")
		c.Text("DESCRIPTION", a.Title)
		c.Prop("TRIGGER;VALUE=DATE-TIME", utcStamp(a.RemindAt))
		c.Prop("END", "VALARM")
	}
	c.Prop("END", kind)
}

// description is the notes plus who and what the activity concerns.
func description(a Activity) string {
	var parts []string
	var names []string
	for _, p := range a.Contacts {
		names = append(names, p.Name)
	}
	if len(names) > 0 {
		parts = append(parts, "With: "+strings.Join(names, ", "))
	}
	if a.CompanyName != "" {
		parts = append(parts, "Company: "+a.CompanyName)
	}
	if a.Outcome != "" {
		parts = append(parts, "Outcome: "+a.Outcome)
	}
	if a.Notes != "" {
		parts = append(parts, "", a.Notes)
	}
	return strings.Join(parts, "\n")
}
