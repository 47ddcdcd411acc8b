package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Header cleans a header row: names are trimmed, an empty name becomes
// "Column N", and a repeated name gets " (2)", " (3)"… so that every column
// can be mapped by name.
func Header(fields []string) []string {
	out := make([]string, len(fields))
	seen := map[string]int{}
	for i, f := range fields {
		name := strings.TrimSpace(f)
		if name == "" {
			name = "Column " + strconv.Itoa(i+1)
		}
		key := strings.ToLower(name)
		if n := seen[key]; n > 0 {
			seen[key] = n + 1
			name = fmt.Sprintf("%s (%d)", name, n+1)
		} else {
			seen[key] = 1
		}
		out[i] = name
	}
	return out
}

// Report describes a whole file without importing it: its dialect, header,
// size and every problem found (up to MaxProblems). Digest is a SHA-256
// over every decoded row, so two reports agree exactly when the decoded
// content does.
type Report struct {
	Encoding   Encoding  `json:"encoding"`
	BOM        bool      `json:"bom"`
	Delimiter  string    `json:"delimiter"`
	Header     []string  `json:"header"`  // the first MaxHeader names
	Columns    int       `json:"columns"` // names in the header row
	Rows       int       `json:"rows"`    // data rows, header not counted
	EmptyLines int       `json:"empty_lines"`
	MaxColumns int       `json:"max_columns"`
	MaxCell    int       `json:"max_cell_bytes"`
	BadRows    int       `json:"bad_rows"`
	Problems   []Problem `json:"problems"`
	More       int       `json:"more_problems,omitempty"`
	Digest     string    `json:"digest"`
}

// MaxHeader bounds the header names a Report lists.
const MaxHeader = 50

// MaxProblems bounds the problems a Report lists; the rest are counted.
const MaxProblems = 100

// Scan reads a whole CSV file, streaming, and describes it.
func Scan(r io.Reader, lim Limits) (Report, error) {
	rd, d, err := NewReader(r, lim)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Encoding: d.Encoding, BOM: d.BOM, Delimiter: d.DelimiterName(), Problems: []Problem{}}
	h := sha256.New()
	first := true
	for {
		row, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rep, err
		}
		for _, p := range row.Problems {
			if len(rep.Problems) < MaxProblems {
				rep.Problems = append(rep.Problems, p)
			} else {
				rep.More++
			}
		}
		if row.Bad() {
			rep.BadRows++
		}
		rep.MaxColumns = max(rep.MaxColumns, len(row.Fields))
		for _, f := range row.Fields {
			rep.MaxCell = max(rep.MaxCell, len(f))
			fmt.Fprintf(h, "%d:%s", len(f), f)
		}
		h.Write([]byte{'\n'})
		if first {
			rep.Header, rep.Columns, first = Header(row.Fields), len(row.Fields), false
			if len(rep.Header) > MaxHeader {
				rep.Header = rep.Header[:MaxHeader]
			}
			continue
		}
		rep.Rows++
	}
	rep.EmptyLines = rd.EmptyLines()
	rep.Digest = hex.EncodeToString(h.Sum(nil))[:16]
	if rep.Header == nil {
		rep.Header = []string{}
	}
	return rep, nil
}
