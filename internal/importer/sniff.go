package importer

import (
	"bytes"
	"unicode/utf8"

	"github.com/tandemcrm/tandem/internal/crm"
)

// Encoding is a file's character encoding.
type Encoding string

// The encodings a CSV file may be in. UTF-16 (Excel's "Unicode text") is
// refused with a message saying how to save the file instead.
const (
	UTF8   Encoding = "utf-8"
	Latin1 Encoding = "latin-1"
)

// Dialect is what Sniff found out about a file.
type Dialect struct {
	Encoding  Encoding `json:"encoding"`
	BOM       bool     `json:"bom"`
	Delimiter byte     `json:"-"`
}

// DelimiterName is the delimiter as a word, for reports.
func (d Dialect) DelimiterName() string {
	switch d.Delimiter {
	case '\t':
		return "tab"
	case ';':
		return "semicolon"
	case '|':
		return "pipe"
	}
	return "comma"
}

// Delimiters are the candidates Sniff chooses from, in order of preference
// when the evidence is equal.
var Delimiters = []byte{',', ';', '\t', '|'}

// Sniff works out the encoding and delimiter from the start of a file.
// complete says the sample is the whole file (so its last row is whole).
func Sniff(sample []byte, complete bool) (Dialect, error) {
	d := Dialect{Encoding: UTF8, Delimiter: ','}
	switch {
	case bytes.HasPrefix(sample, []byte{0xEF, 0xBB, 0xBF}):
		d.BOM = true
		sample = sample[3:]
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}), bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		return d, crm.Errorf(crm.Invalid, "This file is UTF-16 (Excel's \"Unicode text\"). Save it as \"CSV UTF-8\" and import that.")
	}
	if !d.BOM {
		d.Encoding = guessEncoding(sample, complete)
	}
	d.Delimiter = guessDelimiter(sample, complete)
	return d, nil
}

// guessEncoding: valid UTF-8 is UTF-8; bytes above 0x7F that never form a
// UTF-8 sequence are Latin-1. A file with both (UTF-8 with a few broken
// bytes) stays UTF-8, and the broken cells are reported row by row.
func guessEncoding(b []byte, complete bool) Encoding {
	multi, invalid := 0, 0
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			if !complete && len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:]) {
				break // a sequence cut by the end of the sample
			}
			invalid++
			i++
			continue
		}
		multi++
		i += n
	}
	if invalid > 0 && multi == 0 {
		return Latin1
	}
	return UTF8
}

// guessDelimiter counts each candidate outside quotes on each of the first
// rows and picks the one whose count is the same, and above zero, on the
// most rows; ties go to the larger count, then to the order of Delimiters.
func guessDelimiter(b []byte, complete bool) byte {
	const maxRows = 50
	var rows [][4]int
	var cur [4]int
	inQ, any := false, false
	for i := 0; i < len(b) && len(rows) < maxRows; i++ {
		c := b[i]
		switch {
		case c == '"':
			inQ = !inQ
		case inQ:
		case c == '\n' || c == '\r':
			if any {
				rows = append(rows, cur)
			}
			cur, any = [4]int{}, false
			continue
		default:
			for k, dl := range Delimiters {
				if c == dl {
					cur[k]++
				}
			}
		}
		any = true
	}
	if any && ((complete && !inQ) || len(rows) == 0) && len(rows) < maxRows {
		rows = append(rows, cur)
	}
	best, bestScore, bestMode := byte(','), 0, 0
	for k, dl := range Delimiters {
		mode, score := modeOf(rows, k)
		if mode == 0 {
			continue
		}
		if score > bestScore || (score == bestScore && mode > bestMode) {
			best, bestScore, bestMode = dl, score, mode
		}
	}
	return best
}

// modeOf returns the most frequent count of candidate k over rows and on
// how many rows it occurs.
func modeOf(rows [][4]int, k int) (mode, times int) {
	freq := map[int]int{}
	for _, r := range rows {
		freq[r[k]]++
	}
	for n, f := range freq {
		if n > 0 && (f > times || (f == times && n > mode)) {
			mode, times = n, f
		}
	}
	return mode, times
}
