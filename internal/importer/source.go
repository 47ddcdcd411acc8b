package importer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
)

// FileFormat is the kind of file an import reads.
type FileFormat string

// The file formats. All three feed the same row pipeline: a header, then
// rows of cells, each with the line the report names (the CSV line, the
// sheet's row number, the line where a vCard begins).
const (
	FileCSV   FileFormat = "csv"
	FileXLSX  FileFormat = "xlsx"
	FileVCard FileFormat = "vcard"
)

// RowSource is what the import loop reads rows from. Offset and Line are
// the checkpoint after the last row read: for CSV and vCard the byte
// offset and line of the next row; for XLSX the (approximate) position in
// the file, for progress, and the sheet row to continue from.
type RowSource interface {
	Read() (Row, error)
	Offset() int64
	Line() int
}

// DetectFormat tells the format from a file's first bytes: a zip archive is
// a workbook, text with a BEGIN:VCARD line is an address book, anything
// else is CSV.
func DetectFormat(head []byte) FileFormat {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return FileXLSX
	}
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	for _, line := range bytes.Split(head, []byte("\n")) {
		if strings.EqualFold(string(bytes.TrimSpace(line)), "BEGIN:VCARD") {
			return FileVCard
		}
	}
	return FileCSV
}

// fileFormat reads the first bytes of f and rewinds it.
func fileFormat(f *os.File) (FileFormat, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", errf("read: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return DetectFormat(head[:n]), nil
}

// Source is an opened file: its format, header and a RowSource positioned
// at the first data row.
type Source struct {
	Format   FileFormat
	Dialect  Dialect // CSV and vCard: the encoding; CSV: the delimiter
	Sheet    string  // XLSX: the sheet read
	Header   []string
	Rows     RowSource
	Offset   int64 // where the first data row starts
	Line     int
	closeFns []func()
}

// Close releases what the source holds (not the file itself).
func (s *Source) Close() {
	for _, f := range s.closeFns {
		f()
	}
}

// OpenSource opens f (of size size) in whatever format it is and reads its
// header. sheet chooses an XLSX sheet by name or 1-based number ("" the
// first); other formats refuse a sheet.
func OpenSource(f *os.File, size int64, sheet string) (*Source, error) {
	format, err := fileFormat(f)
	if err != nil {
		return nil, err
	}
	if sheet != "" && format != FileXLSX {
		return nil, crm.Errorf(crm.Invalid, "Only a workbook (.xlsx) has sheets; this file is %s.", format)
	}
	switch format {
	case FileXLSX:
		return openXLSX(f, size, sheet, 0)
	case FileVCard:
		return openVCard(f, 0, 0)
	}
	rd, d, err := NewReader(f, Limits{})
	if err != nil {
		return nil, err
	}
	row, err := rd.Read()
	if errors.Is(err, io.EOF) {
		return nil, crm.Errorf(crm.Invalid, "The file is empty.")
	}
	if err != nil {
		return nil, err
	}
	if row.Bad() {
		return nil, crm.Errorf(crm.Invalid, "The header row cannot be read: %s.", row.Problems[0].Message)
	}
	return &Source{Format: FileCSV, Dialect: d, Header: Header(row.Fields), Rows: rd, Offset: row.End, Line: rd.Line()}, nil
}

// resumeSource reopens the file of an import at its checkpoint: the header
// again, and rows from the checkpoint on.
func resumeSource(f *os.File, imp Import) (RowSource, []string, error) {
	format, err := fileFormat(f)
	if err != nil {
		return nil, nil, err
	}
	switch format {
	case FileXLSX:
		src, err := openXLSX(f, imp.FileSize, imp.Sheet, imp.Line)
		if err != nil {
			return nil, nil, err
		}
		return src.Rows, src.Header, nil
	case FileVCard:
		src, err := openVCard(f, imp.Offset, imp.Line)
		if err != nil {
			return nil, nil, err
		}
		return src.Rows, src.Header, nil
	}
	head, d, err := NewReader(f, Limits{})
	if err != nil {
		return nil, nil, err
	}
	row, err := head.Read()
	if err != nil {
		return nil, nil, crm.Errorf(crm.Invalid, "The file's header cannot be read.")
	}
	if _, err := f.Seek(imp.Offset, io.SeekStart); err != nil {
		return nil, nil, err
	}
	return ResumeReader(f, d, Limits{}, imp.Offset, imp.Line), Header(row.Fields), nil
}

// countingReader counts the bytes read through it (progress of a stream
// whose position cannot be asked).
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
