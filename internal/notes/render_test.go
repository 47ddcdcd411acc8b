package notes

import (
	"regexp"
	"strings"
	"testing"
)

func TestRenderIsSafe(t *testing.T) {
	r := NewRenderer()
	names := map[string]string{"ann@example.com": "Ann <Admin>"}
	cases := []struct {
		in          string
		has, hasNot []string
	}{
		{"**bold** and _em_", []string{"<strong>bold</strong>", "<em>em</em>"}, nil},
		{"<script>alert(1)</script>\n\nhi", []string{"hi"}, []string{"<script", "alert(1)</script>"}},
		{"[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"<img src=x onerror=alert(1)>", nil, []string{"<img", "onerror"}},
		{"![pixel](https://tracker.example/p.gif)", nil, []string{"<img", "tracker.example/p.gif\""}},
		{"see https://example.com", []string{`href="https://example.com"`, `rel="nofollow noreferrer noopener"`}, nil},
		{"ping @ann@example.com please", []string{`<span class="mention">@Ann &lt;Admin&gt;</span>`}, []string{"mailto:ann"}},
		{"unknown @bob@example.com stays text", []string{"bob@example.com"}, []string{`class="mention"`}},
		{"- [x] done\n- [ ] todo", []string{`type="checkbox"`, "done"}, nil},
		{"| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
		{"\ue0000\ue001 forged placeholder", nil, []string{`class="mention"`}},
	}
	for _, c := range cases {
		out, err := r.Render(c.in, names)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range c.has {
			if !strings.Contains(out, h) {
				t.Errorf("Render(%q) = %q, lacks %q", c.in, out, h)
			}
		}
		for _, h := range c.hasNot {
			if strings.Contains(out, h) {
				t.Errorf("Render(%q) = %q, has %q", c.in, out, h)
			}
		}
	}
	if got := Mentions("hi @Ann@Example.com and @ann@example.com, @bob@x.io"); strings.Join(got, ",") != "ann@example.com,bob@x.io" {
		t.Fatalf("Mentions = %v", got)
	}
}

var handlerAttr = regexp.MustCompile(`<[a-z][^>]*\son[a-z]+\s*=`)

func FuzzRender(f *testing.F) {
	for _, s := range []string{"**x**", "<script>x</script>", "@a@b.co", "[a](javascript:x)", "```\n<b>\n```"} {
		f.Add(s)
	}
	r := NewRenderer()
	f.Fuzz(func(t *testing.T, in string) {
		out, err := r.Render(in, map[string]string{"a@b.co": "A"})
		if err != nil {
			return
		}
		low := strings.ToLower(out)
		for _, bad := range []string{"<script", `href="javascript`, "<img", "<iframe", "<style", "<object", "<svg"} {
			if strings.Contains(low, bad) {
				t.Fatalf("Render(%q) produced %q", in, out)
			}
		}
		if handlerAttr.MatchString(low) {
			t.Fatalf("Render(%q) produced an event handler: %q", in, out)
		}
	})
}
