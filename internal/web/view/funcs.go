package view

import (
	"strconv"
	"strings"
	"unicode"
)

func statusText(status int) string { return strconv.Itoa(status) }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// htmxConfig is read by htmx at start-up. Under our strict CSP htmx must not
// eval code or inject its indicator <style>. By default htmx drops 4xx
// responses; a 422 carries a form with field messages, so it is swapped in.
const htmxConfig = `{"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,` +
	`"historyCacheSize":0,"refreshOnHistoryMiss":true,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},` +
	`{"code":"422","swap":true},{"code":"[45]..","swap":false,"error":true},{"code":"...","swap":false}]}`

// initials are the avatar letters for a name: "Nora Owner" → "NO".
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r := []rune(w)
		out = append(out, unicode.ToUpper(r[0]))
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}
