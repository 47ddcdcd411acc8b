package importer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits bound what one row may hold, so a hostile or broken file costs at
// most one row's worth of memory. Rows beyond a limit are reported, not read.
type Limits struct {
	MaxRowBytes int // default 16 MiB
	MaxColumns  int // default 20,000
}

func (l Limits) withDefaults() Limits {
	if l.MaxRowBytes <= 0 {
		l.MaxRowBytes = 16 << 20
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = 20_000
	}
	return l
}

// Severity says whether a problem stops a row from being used.
type Severity string

// Warnings keep the row (with the value repaired); errors drop it.
const (
	Warning Severity = "warning"
	Error   Severity = "error"
)

// Problem is something wrong with one row (or one cell of it).
type Problem struct {
	Line     int      `json:"line"`
	Column   int      `json:"column,omitempty"` // 1-based; 0 for the whole row
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// Row is one record of the file.
type Row struct {
	Line     int   // line the row starts on, 1-based
	Offset   int64 // byte offset of the row's first byte in the file
	End      int64 // byte offset just after the row (where the next one starts)
	Fields   []string
	Problems []Problem
}

// Bad reports whether the row has an error (it must not be used).
func (r Row) Bad() bool {
	for _, p := range r.Problems {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// Reader reads CSV rows one at a time, in the dialect found by Sniff.
type Reader struct {
	br      *bufio.Reader
	d       Dialect
	lim     Limits
	off     int64 // bytes consumed from the start of the file
	line    int   // line of the next byte
	empty   int   // empty lines skipped so far
	buf     []byte
	ends    []int // end offsets of each field in buf
	pending byte  // a byte read ahead and not yet consumed (0: none)
	hasPend bool
}

// NewReader sniffs r's dialect from its first 64 KiB and returns a reader
// positioned at the first row (after any byte order mark).
func NewReader(r io.Reader, lim Limits) (*Reader, Dialect, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	sample, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, Dialect{}, fmt.Errorf("importer: read: %w", err)
	}
	d, err := Sniff(sample, len(sample) < 64<<10)
	if err != nil {
		return nil, d, err
	}
	rd := &Reader{br: br, d: d, lim: lim.withDefaults(), line: 1}
	if d.BOM {
		_, _ = br.Discard(3)
		rd.off = 3
	}
	return rd, d, nil
}

// ResumeReader reads rows from r, which is positioned at byte offset off of
// a file whose dialect d was sniffed before, and whose next row starts on
// line. It is how a resumed import continues after its checkpoint.
func ResumeReader(r io.Reader, d Dialect, lim Limits, off int64, line int) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), d: d, lim: lim.withDefaults(), off: off, line: line}
}

// EmptyLines is the number of empty lines skipped so far.
func (r *Reader) EmptyLines() int { return r.empty }

// Offset is the byte offset of the next row: a checkpoint.
func (r *Reader) Offset() int64 {
	if r.hasPend {
		return r.off - 1
	}
	return r.off
}

// Line is the line number of the next row.
func (r *Reader) Line() int { return r.line }

func (r *Reader) next() (byte, error) {
	if r.hasPend {
		r.hasPend = false
		return r.pending, nil
	}
	c, err := r.br.ReadByte()
	if err == nil {
		r.off++
	}
	return c, err
}

func (r *Reader) unread(c byte) { r.pending, r.hasPend = c, true }

// endLine consumes the rest of a line ending that began with c ('\r' or
// '\n'): "\r\n" is one ending, and so are a lone '\r' and a lone '\n'.
func (r *Reader) endLine(c byte) error {
	r.line++
	if c != '\r' {
		return nil
	}
	n, err := r.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
	if n != '\n' {
		r.unread(n)
	}
	return nil
}

// Read returns the next row, or io.EOF after the last. Empty lines are
// skipped and counted.
func (r *Reader) Read() (Row, error) {
	for {
		c, err := r.next()
		if err != nil {
			return Row{}, err
		}
		if c == '\n' || c == '\r' {
			r.empty++
			if err := r.endLine(c); err != nil {
				return Row{}, err
			}
			continue
		}
		r.unread(c)
		return r.readRow()
	}
}

// rowState is the parser's state for one row.
type rowState struct {
	row      Row
	tooLong  bool
	tooWide  bool
	stray    bool
	cols     int
	quoteAt  int  // line a still-open quote began on
	inQuotes bool // inside a quoted value
	closed   bool // the current field was quoted and its quote closed (`"abc"def`)
}

func (r *Reader) readRow() (Row, error) {
	s := rowState{row: Row{Line: r.line, Offset: r.off}}
	if r.hasPend {
		s.row.Offset--
	}
	r.buf, r.ends = r.buf[:0], r.ends[:0]
	atStart := true // at the start of a field
	for {
		c, err := r.next()
		if errors.Is(err, io.EOF) {
			if s.inQuotes {
				s.row.Problems = append(s.row.Problems, Problem{Line: s.row.Line, Severity: Error,
					Message: fmt.Sprintf("a quoted value opened on line %d is never closed", s.quoteAt)})
			}
			r.endField(&s)
			return r.finish(s), nil
		}
		if err != nil {
			return Row{}, fmt.Errorf("importer: read: %w", err)
		}
		switch {
		case s.inQuotes:
			if c == '"' {
				n, err := r.next()
				if err == nil && n == '"' {
					r.add(&s, '"')
					continue
				}
				if err == nil {
					r.unread(n)
				}
				s.inQuotes, s.closed = false, true
				continue
			}
			if c == '\n' || c == '\r' {
				// A line ending inside quotes is part of the value; it is
				// kept as a plain "\n" whatever the file used.
				if err := r.endLine(c); err != nil {
					return Row{}, err
				}
				c = '\n'
			}
			r.add(&s, c)
		case c == r.d.Delimiter:
			r.endField(&s)
			atStart = true
			continue
		case c == '\n' || c == '\r':
			r.endField(&s)
			if err := r.endLine(c); err != nil {
				return Row{}, err
			}
			return r.finish(s), nil
		case c == '"' && atStart:
			s.inQuotes, s.quoteAt = true, r.line
		default:
			if s.closed {
				s.stray = true
			}
			r.add(&s, c)
		}
		atStart = false
	}
}

func (r *Reader) add(s *rowState, c byte) {
	if len(r.buf) >= r.lim.MaxRowBytes {
		s.tooLong = true
		return
	}
	if s.tooWide {
		return
	}
	r.buf = append(r.buf, c)
}

func (r *Reader) endField(s *rowState) {
	s.cols++
	s.closed = false
	if len(r.ends) >= r.lim.MaxColumns {
		s.tooWide = true
		return
	}
	r.ends = append(r.ends, len(r.buf))
}

func (r *Reader) finish(s rowState) Row {
	row := s.row
	row.End = r.off
	if r.hasPend {
		row.End--
	}
	if s.tooLong {
		row.Problems = append(row.Problems, Problem{Line: row.Line, Severity: Error,
			Message: fmt.Sprintf("the row is longer than %d bytes", r.lim.MaxRowBytes)})
	}
	if s.tooWide {
		row.Problems = append(row.Problems, Problem{Line: row.Line, Severity: Error,
			Message: fmt.Sprintf("the row has %d columns; at most %d are read", s.cols, r.lim.MaxColumns)})
	}
	if s.stray {
		row.Problems = append(row.Problems, Problem{Line: row.Line, Severity: Warning,
			Message: "text after a closing quote was kept as part of the value"})
	}
	row.Fields = make([]string, len(r.ends))
	start := 0
	for i, end := range r.ends {
		v, probs := r.decode(r.buf[start:end])
		for _, m := range probs {
			row.Problems = append(row.Problems, Problem{Line: row.Line, Column: i + 1, Severity: Warning, Message: m})
		}
		row.Fields[i] = v
		start = end
	}
	return row
}

// decode turns a cell's bytes into valid UTF-8 text without NUL bytes (which
// PostgreSQL refuses), saying what it had to repair.
func (r *Reader) decode(b []byte) (string, []string) {
	var probs []string
	var s string
	if r.d.Encoding == Latin1 {
		s = latin1(b)
	} else if utf8.Valid(b) {
		s = string(b)
	} else {
		s = strings.ToValidUTF8(string(b), "\uFFFD")
		probs = append(probs, "invalid UTF-8 replaced by \uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
		probs = append(probs, "NUL bytes removed")
	}
	return s, probs
}

// latin1 decodes ISO-8859-1, reading 0x80–0x9F as Windows-1252 does: files
// labelled Latin-1 are nearly always Windows "ANSI", and those bytes are
// control characters in ISO-8859-1 that nobody types.
func latin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/4)
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xA0:
			sb.WriteRune(cp1252[c-0x80])
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}
