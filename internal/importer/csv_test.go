package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/nasty")

// golden is what a nasty file must decode to: the report, and the first
// rows (cells cut at 40 bytes) so a reader of the golden file sees the values.
type golden struct {
	Error  string     `json:"error,omitempty"`
	Report *Report    `json:"report,omitempty"`
	Sample [][]string `json:"sample,omitempty"`
}

func describe(t *testing.T, data []byte, wrap func(io.Reader) io.Reader) golden {
	t.Helper()
	rep, err := Scan(wrap(bytes.NewReader(data)), Limits{})
	if err != nil {
		return golden{Error: err.Error()}
	}
	g := golden{Report: &rep}
	rd, _, err := NewReader(bytes.NewReader(data), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for len(g.Sample) < 4 {
		row, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		cells := make([]string, 0, min(len(row.Fields), 6))
		for _, f := range row.Fields[:min(len(row.Fields), 6)] {
			if len(f) > 40 {
				f = f[:40] + "…"
			}
			cells = append(cells, f)
		}
		g.Sample = append(g.Sample, cells)
	}
	return g
}

// TestNastyFiles decodes every file in testdata/nasty and compares the
// report with its golden file, exactly; the same file read one byte at a
// time must give the same report (streaming across buffer boundaries).
func TestNastyFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/nasty/*")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".golden.json") {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := describe(t, data, func(r io.Reader) io.Reader { return r })
			js, _ := json.MarshalIndent(got, "", "  ")
			js = append(js, '\n')
			gf := f + ".golden.json"
			if *update {
				if err := os.WriteFile(gf, js, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(gf)
			if err != nil {
				t.Fatalf("no golden file (run with -update): %v", err)
			}
			if !bytes.Equal(js, want) {
				t.Errorf("report differs from %s:\n got: %s\nwant: %s", gf, js, want)
			}
			if len(data) < 200_000 {
				slow := describe(t, data, iotest.OneByteReader)
				if sj, _ := json.MarshalIndent(slow, "", "  "); !bytes.Equal(append(sj, '\n'), js) {
					t.Errorf("one byte at a time gives another report:\n%s", sj)
				}
			}
		})
	}
	if n < 15 {
		t.Fatalf("only %d nasty files found", n)
	}
}

func readAll(t testing.TB, data []byte, lim Limits) ([]Row, Dialect) {
	rd, d, err := NewReader(bytes.NewReader(data), lim)
	if err != nil {
		t.Fatal(err)
	}
	var rows []Row
	for {
		row, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return rows, d
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
}

func TestDialects(t *testing.T) {
	cases := []struct {
		in    string
		delim byte
		enc   Encoding
		rows  [][]string
	}{
		{"a,b\n1,2\n", ',', UTF8, [][]string{{"a", "b"}, {"1", "2"}}},
		{"a;b\n1;2\n", ';', UTF8, [][]string{{"a", "b"}, {"1", "2"}}},
		{"a\tb\n1\t2", '\t', UTF8, [][]string{{"a", "b"}, {"1", "2"}}},
		{"a|b\r1|2\r", '|', UTF8, [][]string{{"a", "b"}, {"1", "2"}}},
		{"\"x,y\";z\n\"1,2\";3\n", ';', UTF8, [][]string{{"x,y", "z"}, {"1,2", "3"}}},
		{"caf\xe9\n", ',', Latin1, [][]string{{"café"}}},
		{"caf\xc3\xa9\n", ',', UTF8, [][]string{{"café"}}},
		{"\x93q\x94\n", ',', Latin1, [][]string{{"“q”"}}},
		{"only", ',', UTF8, [][]string{{"only"}}},
		{"a,b\n\"\",\n", ',', UTF8, [][]string{{"a", "b"}, {"", ""}}},
	}
	for _, c := range cases {
		rows, d := readAll(t, []byte(c.in), Limits{})
		if d.Delimiter != c.delim || d.Encoding != c.enc {
			t.Errorf("%q: dialect %q %s, want %q %s", c.in, d.Delimiter, d.Encoding, c.delim, c.enc)
		}
		var got [][]string
		for _, r := range rows {
			got = append(got, r.Fields)
		}
		if gj, wj := jsonOf(got), jsonOf(c.rows); gj != wj {
			t.Errorf("%q: rows %s, want %s", c.in, gj, wj)
		}
	}
}

func jsonOf(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestLimits(t *testing.T) {
	rows, _ := readAll(t, []byte("a,b\n"+strings.Repeat("x", 100)+",y\nok,1\n"), Limits{MaxRowBytes: 50})
	if len(rows) != 3 || !rows[1].Bad() || rows[2].Bad() || rows[2].Fields[0] != "ok" || rows[2].Line != 3 {
		t.Fatalf("row too long: %+v", rows)
	}
	rows, _ = readAll(t, []byte("a,b,c,d\nok\n"), Limits{MaxColumns: 3})
	if !rows[0].Bad() || len(rows[0].Fields) != 3 || rows[1].Bad() {
		t.Fatalf("too many columns: %+v", rows)
	}
}

// TestResumeAtEveryRow: starting a reader at any row's End offset (a
// checkpoint) yields exactly the rows that follow, with their line numbers.
func TestResumeAtEveryRow(t *testing.T) {
	data, err := os.ReadFile("testdata/nasty/quoted_newlines.csv")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, []byte("\r\n\r\nlast,\"x\ry\",z\rafter,1,2")...)
	checkResume(t, data)
}

func checkResume(t testing.TB, data []byte) {
	all, d := readAll(t, data, Limits{})
	for i, r := range all {
		if r.Offset >= r.End {
			t.Fatalf("row %d: offset %d, end %d", i, r.Offset, r.End)
		}
		rest := ResumeReader(bytes.NewReader(data[r.End:]), d, Limits{}, r.End, lineAfter(data, r.End))
		for j := i + 1; ; j++ {
			got, err := rest.Read()
			if errors.Is(err, io.EOF) {
				if j != len(all) {
					t.Fatalf("resume after row %d: ended at %d of %d", i, j, len(all))
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if j >= len(all) || jsonOf(got) != jsonOf(all[j]) {
				t.Fatalf("resume after row %d: row %d = %s, want %s", i, j, jsonOf(got), jsonOf(all[min(j, len(all)-1)]))
			}
		}
	}
}

// lineAfter counts the line a byte offset is on (what a checkpoint stores).
func lineAfter(data []byte, off int64) int {
	line := 1
	for i := int64(0); i < off; i++ {
		switch {
		case data[i] == '\n':
			line++
		case data[i] == '\r' && (i+1 >= int64(len(data)) || data[i+1] != '\n'):
			line++
		}
	}
	return line
}
