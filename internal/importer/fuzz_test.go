package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// FuzzReader: any input decodes without panicking, to valid UTF-8, the same
// whether read whole or one byte at a time; resuming at any row's end gives
// the rows that follow; and clean rows survive a write and a second read.
// Seeds: testdata/fuzz/FuzzReader and the small nasty files.
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob("testdata/nasty/*.csv")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, errA := Scan(bytes.NewReader(data), Limits{MaxRowBytes: 1 << 12, MaxColumns: 64})
		b, errB := Scan(iotest.OneByteReader(bytes.NewReader(data)), Limits{MaxRowBytes: 1 << 12, MaxColumns: 64})
		if (errA == nil) != (errB == nil) || jsonOf(a) != jsonOf(b) {
			t.Fatalf("whole vs byte-wise: %v %v\n%s\n%s", errA, errB, jsonOf(a), jsonOf(b))
		}
		if errA != nil {
			return
		}
		if len(data) > 400 {
			return
		}
		checkResume(t, data)
		rows, d := readAll(t, data, Limits{})
		var buf bytes.Buffer
		bw := bufio.NewWriter(&buf)
		w := NewCSVWriter(bw)
		w.Delim = d.Delimiter
		var clean [][]string
		for _, r := range rows {
			for _, v := range r.Fields {
				if !utf8.ValidString(v) {
					t.Fatalf("invalid UTF-8 out: %q", v)
				}
			}
			if len(r.Problems) == 0 {
				clean = append(clean, r.Fields)
				_ = w.Write(r.Fields)
			}
		}
		_ = w.Flush()
		if len(clean) == 0 || d.Encoding != UTF8 {
			return
		}
		rd := ResumeReader(&buf, d, Limits{}, 0, 1) // the dialect is known: no second sniff
		for i := 0; ; i++ {
			row, err := rd.Read()
			if errors.Is(err, io.EOF) {
				if i != len(clean) {
					t.Fatalf("rewritten file has %d rows, want %d", i, len(clean))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if i >= len(clean) || jsonOf(row.Fields) != jsonOf(clean[i]) {
				g, _ := json.Marshal(row.Fields)
				t.Fatalf("row %d after rewrite: %s, want %s", i, g, jsonOf(clean[min(i, len(clean)-1)]))
			}
		}
	})
}
