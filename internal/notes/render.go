package notes

import (
	"bytes"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Renderer turns a note's Markdown into safe HTML. Build one per process.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// NewRenderer configures Markdown (GitHub flavour, raw HTML dropped) and the
// sanitising policy.
func NewRenderer() *Renderer {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM)) // raw HTML is not rendered unless WithUnsafe
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
		"h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "span")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^mention$`)).OnElements("span")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|right|center)$`)).OnElements("th", "td")
	p.AllowAttrs("type", "checked", "disabled").OnElements("input") // GFM task lists
	p.AllowElements("input")
	// No <img>: remote images in notes would be tracking pixels.
	return &Renderer{md: md, policy: p}
}

// Render returns the sanitised HTML of body, with resolved mentions (email
// → display name) shown as <span class="mention">@Name</span>.
func (r *Renderer) Render(body string, names map[string]string) (string, error) {
	// Mentions are swapped for private-use placeholders before Markdown (which
	// would turn the address into a mailto link) and swapped back after
	// sanitising, from our own lookup with the name escaped: user text never
	// becomes markup here.
	var found []string
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\ue000", ""), "\ue001", "")
	body = mentionRE.ReplaceAllStringFunc(body, func(m string) string {
		email := strings.ToLower(strings.TrimPrefix(m, "@"))
		if _, ok := names[email]; !ok {
			return m
		}
		found = append(found, email)
		return "\ue000" + strconv.Itoa(len(found)-1) + "\ue001"
	})
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(body), &buf); err != nil {
		return "", err
	}
	out := r.policy.Sanitize(buf.String())
	for i, email := range found {
		out = strings.Replace(out, "\ue000"+strconv.Itoa(i)+"\ue001",
			`<span class="mention">@`+html.EscapeString(names[email])+`</span>`, 1)
	}
	return out, nil
}

// mentionRE matches @ann@example.com: a mention names a teammate by email,
// which is unambiguous.
var mentionRE = regexp.MustCompile(`@[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

// Mentions returns the lower-cased emails mentioned in body.
func Mentions(body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range mentionRE.FindAllString(body, -1) {
		e := strings.ToLower(strings.TrimPrefix(m, "@"))
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}
