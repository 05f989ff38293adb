package imports

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Table is a file read as rows of cells, one row at a time: nothing holds
// the whole file, so a file of a gigabyte needs no more memory than a small
// one.
type Table interface {
	// Header returns the first row's cells (the column names when the
	// file has a header row).
	Header() []string
	// Next returns the next row and its 1-based line (the line the row
	// starts on in a text file, the row number in a sheet), or io.EOF.
	// The cells are valid until the next call.
	Next() (line int, cells []string, err error)
	// Encoding names the detected text encoding ("" for XLSX).
	Encoding() string
	// Offset is how many bytes of the file have been read.
	Offset() int64
	Close() error
}

// countingReader counts the bytes read from the file, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Open opens a file of the given format as a table. For CSV and 43 files
// the encoding is detected; XLSX is read from the file by its sheet (the
// first sheet when sheet is empty).
func Open(path string, format Format, sheet string) (Table, error) {
	if format == XLSX {
		return openXLSX(path, sheet)
	}
	if format == FHIR {
		return openFHIR(path)
	}
	if IsNDJSON(format) {
		return openNDJSON(path, format)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, rowErr(0, "", "import.read_failed", nil)
	}
	cr := &countingReader{r: f}
	text, enc, rerr := decoded(cr)
	if rerr != nil {
		f.Close()
		return nil, rerr
	}
	var t Table
	if format == MOPH43 {
		t, err = newPipeTable(f, cr, text, enc)
	} else {
		t, err = newCSVTable(f, cr, text, enc)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return t, nil
}

// DetectFormat guesses a file's format from its first bytes and name: a
// ZIP is a spreadsheet, a pipe-separated header naming HOSPCODE is a 43 file.
func DetectFormat(path string) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", rowErr(0, "", "import.read_failed", nil)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, _ := io.ReadFull(f, buf)
	buf = buf[:n]
	if strings.HasPrefix(string(buf), "PK\x03\x04") {
		return XLSX, nil
	}
	if t := strings.TrimLeft(strings.TrimPrefix(string(buf), "\xEF\xBB\xBF"), " \t\r\n"); strings.HasPrefix(t, "{") {
		return FHIR, nil // JSON: a FHIR bundle is the only JSON Termtem imports
	}
	first, _, _ := strings.Cut(string(buf), "\n")
	if strings.Contains(first, "|") && strings.Contains(strings.ToUpper(first), "HOSPCODE") {
		return MOPH43, nil
	}
	return CSV, nil
}

type csvTable struct {
	f      *os.File
	cr     *countingReader
	r      *csv.Reader
	enc    string
	header []string
}

func newCSVTable(f *os.File, cr *countingReader, text io.Reader, enc string) (*csvTable, error) {
	br := bufio.NewReader(text)
	comma := ','
	// A roster saved by a Thai Excel is sometimes separated by semicolons or
	// tabs: the header line decides.
	if line, err := br.Peek(4096); err == nil || len(line) > 0 {
		first, _, _ := strings.Cut(string(line), "\n")
		switch {
		case strings.Count(first, "\t") > strings.Count(first, ","):
			comma = '\t'
		case strings.Count(first, ";") > strings.Count(first, ","):
			comma = ';'
		}
	}
	r := csv.NewReader(br)
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	t := &csvTable{f: f, cr: cr, r: r, enc: enc}
	_, header, err := t.read()
	if err == io.EOF {
		return nil, rowErr(1, "", "import.empty_file", nil)
	}
	if err != nil {
		return nil, err
	}
	t.header = append([]string(nil), header...)
	return t, nil
}

func (t *csvTable) read() (int, []string, error) {
	rec, err := t.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			id := "import.csv_quote"
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				id = "import.columns"
			}
			return pe.StartLine, nil, rowErr(pe.StartLine, "", id, map[string]any{"Line": pe.Line})
		}
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		return 0, nil, rowErr(0, "", "import.read_failed", nil)
	}
	line, _ := t.r.FieldPos(0)
	for i, c := range rec {
		if rerr := checkText(line, columnName(t.header, i), c); rerr != nil {
			return line, nil, rerr
		}
	}
	return line, rec, nil
}

func (t *csvTable) Header() []string { return t.header }

func (t *csvTable) Next() (int, []string, error) { return t.read() }

func (t *csvTable) Encoding() string { return t.enc }
func (t *csvTable) Offset() int64    { return t.cr.n }
func (t *csvTable) Close() error     { return t.f.Close() }

// columnName names column i for messages: its header, else its number.
func columnName(header []string, i int) string {
	if i < len(header) && strings.TrimSpace(header[i]) != "" {
		return strings.TrimSpace(header[i])
	}
	return "#" + itoa(i+1)
}

// pipeTable reads the 43 files: one record a line, fields separated by
// "|", no quoting (the standard has none, so a quote is just a character).
type pipeTable struct {
	f      *os.File
	cr     *countingReader
	sc     *bufio.Scanner
	enc    string
	header []string
	line   int
	cells  []string
}

func newPipeTable(f *os.File, cr *countingReader, text io.Reader, enc string) (*pipeTable, error) {
	sc := bufio.NewScanner(text)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	t := &pipeTable{f: f, cr: cr, sc: sc, enc: enc}
	line, header, err := t.Next()
	if err == io.EOF {
		return nil, rowErr(1, "", "import.empty_file", nil)
	}
	if err != nil {
		return nil, err
	}
	_ = line
	t.header = make([]string, len(header))
	for i, h := range header {
		t.header[i] = strings.ToUpper(strings.TrimSpace(h))
	}
	return t, nil
}

func (t *pipeTable) Header() []string { return t.header }

func (t *pipeTable) Next() (int, []string, error) {
	for t.sc.Scan() {
		t.line++
		s := strings.TrimRight(t.sc.Text(), "\r")
		if strings.TrimSpace(s) == "" {
			continue
		}
		t.cells = t.cells[:0]
		for i, c := range strings.Split(s, "|") {
			if rerr := checkText(t.line, columnName(t.header, i), c); rerr != nil {
				return t.line, nil, rerr
			}
			t.cells = append(t.cells, c)
		}
		return t.line, t.cells, nil
	}
	if err := t.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return t.line + 1, nil, rowErr(t.line+1, "", "import.line_too_long", nil)
		}
		return t.line, nil, rowErr(t.line, "", "import.read_failed", nil)
	}
	return 0, nil, io.EOF
}

func (t *pipeTable) Encoding() string { return t.enc }
func (t *pipeTable) Offset() int64    { return t.cr.n }
func (t *pipeTable) Close() error     { return t.f.Close() }

// xlsxTable streams a worksheet's rows. excelize keeps the shared strings in
// memory and spills a large sheet's XML to a temporary file, so memory stays
// bounded by the sheet's distinct strings, not its rows.
type xlsxTable struct {
	f      *excelize.File
	rows   *excelize.Rows
	header []string
	line   int
}

func openXLSX(path, sheet string) (Table, error) {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, rowErr(0, "", "import.not_xlsx", nil)
	}
	if sheet == "" {
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			f.Close()
			return nil, rowErr(0, "", "import.empty_file", nil)
		}
		sheet = sheets[0]
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, rowErr(0, "", "import.sheet_missing", map[string]any{"Sheet": sheet})
	}
	t := &xlsxTable{f: f, rows: rows}
	_, header, err := t.Next()
	if err == io.EOF {
		t.Close()
		return nil, rowErr(1, "", "import.empty_file", nil)
	}
	if err != nil {
		t.Close()
		return nil, err
	}
	t.header = append([]string(nil), header...)
	return t, nil
}

func (t *xlsxTable) Header() []string { return t.header }

func (t *xlsxTable) Next() (int, []string, error) {
	for t.rows.Next() {
		t.line++
		cells, err := t.rows.Columns()
		if err != nil {
			return t.line, nil, rowErr(t.line, "", "import.not_xlsx", nil)
		}
		empty := true
		for _, c := range cells {
			empty = empty && strings.TrimSpace(c) == ""
		}
		if empty {
			continue
		}
		for i, c := range cells {
			if rerr := checkText(t.line, columnName(t.header, i), c); rerr != nil {
				return t.line, nil, rerr
			}
		}
		return t.line, cells, nil
	}
	if err := t.rows.Error(); err != nil {
		return t.line, nil, rowErr(t.line, "", "import.not_xlsx", nil)
	}
	return 0, nil, io.EOF
}

func (t *xlsxTable) Encoding() string { return "" }
func (t *xlsxTable) Offset() int64    { return 0 }
func (t *xlsxTable) Close() error {
	if t.rows != nil {
		t.rows.Close()
	}
	return t.f.Close()
}
