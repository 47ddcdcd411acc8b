package importer

import (
	"bufio"
	"strings"
)

// CSVWriter writes rows in RFC 4180 form (comma, CRLF-free "\n" endings,
// quotes only where needed), buffered; Flush at the end.
type CSVWriter struct {
	w     *bufio.Writer
	Delim byte
}

// NewCSVWriter writes to w.
func NewCSVWriter(w *bufio.Writer) *CSVWriter { return &CSVWriter{w: w, Delim: ','} }

// Write writes one row. A row of a single empty value is written as `""`,
// since an empty line would be skipped when read back.
func (c *CSVWriter) Write(fields []string) error {
	for i, f := range fields {
		if i > 0 {
			c.w.WriteByte(c.Delim)
		}
		if c.needsQuotes(f) || (len(fields) == 1 && f == "") {
			c.w.WriteByte('"')
			c.w.WriteString(strings.ReplaceAll(f, `"`, `""`))
			c.w.WriteByte('"')
			continue
		}
		c.w.WriteString(f)
	}
	return c.w.WriteByte('\n')
}

func (c *CSVWriter) needsQuotes(f string) bool {
	if f == "" {
		return false
	}
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case c.Delim, '"', '\n', '\r':
			return true
		}
	}
	// Spreadsheets run cells starting with = + - @ as formulas; the quote
	// does not stop that, but a leading space or quote in the value would
	// change the data, so such cells are left as they are here and guarded
	// by the export (see safeCell).
	return f[0] == ' ' || f[len(f)-1] == ' '
}

// Flush writes out what is buffered.
func (c *CSVWriter) Flush() error { return c.w.Flush() }
