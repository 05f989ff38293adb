package exports

import (
	"encoding/csv"
	"io"

	"github.com/xuri/excelize/v2"
)

// Writer writes a list one row at a time.
type Writer interface {
	Write(cells []string) error
	// Close finishes the file (an XLSX is assembled here).
	Close() error
}

// csvWriter writes UTF-8 CSV with a byte-order mark, so that a Thai Excel
// opens it in the right encoding.
type csvWriter struct{ w *csv.Writer }

// NewCSV starts a CSV list.
func NewCSV(w io.Writer) (Writer, error) {
	if _, err := w.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
		return nil, err
	}
	return &csvWriter{w: csv.NewWriter(w)}, nil
}

func (c *csvWriter) Write(cells []string) error { return c.w.Write(cells) }

func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// xlsxWriter streams rows into a sheet with excelize's StreamWriter, which
// keeps rows beyond a small buffer in a temporary file: a district's list
// does not sit in memory. The workbook is written out at Close.
type xlsxWriter struct {
	out  io.Writer
	f    *excelize.File
	sw   *excelize.StreamWriter
	row  int
	vals []any
}

// NewXLSX starts an XLSX list on one sheet.
func NewXLSX(w io.Writer, sheet string) (Writer, error) {
	f := excelize.NewFile()
	if sheet != "" && sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			f.Close()
			return nil, err
		}
	} else {
		sheet = "Sheet1"
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &xlsxWriter{out: w, f: f, sw: sw}, nil
}

func (x *xlsxWriter) Write(cells []string) error {
	x.row++
	x.vals = x.vals[:0]
	for _, c := range cells {
		// Every value is written as text, never as a formula or a number:
		// national IDs keep their digits, and nothing is evaluated.
		x.vals = append(x.vals, excelize.Cell{Value: c})
	}
	axis, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(axis, x.vals)
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(x.out)
}
