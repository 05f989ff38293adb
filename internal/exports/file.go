package exports

import (
	"io"
	"time"

	"termtem/internal/fhir"
)

// ContentType is a format's media type and file extension.
func ContentType(f Format) (string, string) {
	switch f {
	case FHIR:
		return "application/fhir+json", ".json"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"
	}
	return "text/csv; charset=utf-8", ".csv"
}

// File is an export being written in its format.
type File struct {
	write func(*Row) error
	close func() error
}

// Open starts an export file: for CSV and XLSX, header is the first row
// (the fields' names in the reader's language).
func Open(w io.Writer, req Request, asOf time.Time, header []string) (*File, error) {
	if req.Format == FHIR {
		bw := fhir.NewBundleWriter(w, "", asOf.UTC().Format(time.RFC3339))
		return &File{write: func(r *Row) error { return WriteFHIR(bw, r) }, close: bw.Close}, nil
	}
	var wr Writer
	var err error
	if req.Format == XLSX {
		wr, err = NewXLSX(w, "termtem")
	} else {
		wr, err = NewCSV(w)
	}
	if err != nil {
		return nil, err
	}
	if err := wr.Write(header); err != nil {
		return nil, err
	}
	var cells []string
	return &File{write: func(r *Row) error {
		cells = Cells(r, req.Fields, asOf, cells)
		return wr.Write(cells)
	}, close: wr.Close}, nil
}

// Lazy opens a file only at its first row (or at Finish): until then
// nothing is sent, so a refusal can still be answered as an error.
type Lazy struct {
	Open func() (*File, error)
	f    *File
}

// Write adds a person.
func (l *Lazy) Write(r *Row) error {
	if err := l.start(); err != nil {
		return err
	}
	return l.f.write(r)
}

// Finish ends the file (a file of the header only when nobody was written).
func (l *Lazy) Finish() error {
	if err := l.start(); err != nil {
		return err
	}
	return l.f.close()
}

// Started reports whether anything may have been sent.
func (l *Lazy) Started() bool { return l.f != nil }

func (l *Lazy) start() error {
	if l.f != nil {
		return nil
	}
	f, err := l.Open()
	if err != nil {
		return err
	}
	l.f = f
	return nil
}
