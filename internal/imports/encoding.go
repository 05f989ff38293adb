package imports

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// Encodings a text file is read in.
const (
	UTF8       = "utf-8"
	UTF8BOM    = "utf-8-bom"
	Windows874 = "windows-874" // TIS-620 plus a few symbols: what Thai Windows and Excel save
)

// sniffSize is how much of a file decides its encoding: Thai text appears in
// the first rows of any roster (names), so 64 KiB is plenty.
const sniffSize = 64 << 10

// Sniff decides how a text file is encoded from its first bytes, and
// refuses what is not a text table: a spreadsheet or PDF saved under the
// wrong name, UTF-16, or bytes no Thai encoding has.
func Sniff(prefix []byte) (string, *RowError) {
	switch {
	case bytes.HasPrefix(prefix, []byte{0xEF, 0xBB, 0xBF}):
		return UTF8BOM, nil
	case bytes.HasPrefix(prefix, []byte{0xFF, 0xFE}), bytes.HasPrefix(prefix, []byte{0xFE, 0xFF}):
		return "", rowErr(1, "", "import.encoding_utf16", nil)
	case bytes.HasPrefix(prefix, []byte("PK\x03\x04")):
		return "", rowErr(1, "", "import.not_csv_xlsx", nil)
	case bytes.HasPrefix(prefix, []byte("%PDF")), bytes.IndexByte(prefix, 0) >= 0:
		return "", rowErr(1, "", "import.not_csv", nil)
	}
	multibyte := false
	for i := 0; i < len(prefix); {
		r, size := utf8.DecodeRune(prefix[i:])
		if r == utf8.RuneError && size == 1 {
			if len(prefix)-i < utf8.UTFMax && !utf8.FullRune(prefix[i:]) {
				break // the sample ends in the middle of a character
			}
			if multibyte {
				// Thai in UTF-8 first, then a byte UTF-8 cannot have: the
				// file was pasted together from two encodings.
				return "", rowErr(lineAt(prefix, i), "", "import.encoding_changed", nil)
			}
			return sniffWindows874(prefix)
		}
		multibyte = multibyte || size > 1
		i += size
	}
	return UTF8, nil
}

func sniffWindows874(prefix []byte) (string, *RowError) {
	for i, b := range prefix {
		if b >= 0x80 && !windows874Defined(b) {
			return "", rowErr(lineAt(prefix, i), "", "import.encoding_unknown", nil)
		}
	}
	return Windows874, nil
}

// windows874Defined reports whether a high byte means a character in
// Windows-874 (TIS-620's letters and digits, plus the Windows symbols).
func windows874Defined(b byte) bool {
	switch {
	case b == 0x80 || b == 0x85 || (b >= 0x91 && b <= 0x97) || b == 0xA0:
		return true
	case b >= 0xA1 && b <= 0xDA, b >= 0xDF && b <= 0xFB:
		return true
	}
	return false
}

func lineAt(b []byte, i int) int { return bytes.Count(b[:i], []byte{'\n'}) + 1 }

// decoded returns a reader of the file's text as UTF-8, with the encoding
// it detected. Later bytes that break the encoding are caught row by row
// (checkText), with the line they are on.
func decoded(r io.Reader) (io.Reader, string, *RowError) {
	br := bufio.NewReaderSize(r, sniffSize)
	prefix, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", rowErr(1, "", "import.read_failed", nil)
	}
	if len(prefix) == 0 {
		return nil, "", rowErr(1, "", "import.empty_file", nil)
	}
	enc, rerr := Sniff(prefix)
	if rerr != nil {
		return nil, "", rerr
	}
	switch enc {
	case UTF8BOM:
		_, _ = br.Discard(3)
		return br, enc, nil
	case Windows874:
		return transform.NewReader(br, charmap.Windows874.NewDecoder()), enc, nil
	}
	return br, enc, nil
}

// checkText catches a cell that is not clean text: invalid UTF-8 in a file
// that began as UTF-8, or a byte Windows-874 has no letter for (decoded as
// U+FFFD), so that a file saved half in one encoding and half in another is
// refused at the line where it changes.
func checkText(line int, field, s string) *RowError {
	if !utf8.ValidString(s) {
		return rowErr(line, field, "import.encoding_changed", nil)
	}
	for _, r := range s {
		if r == utf8.RuneError {
			return rowErr(line, field, "import.encoding_changed", nil)
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return rowErr(line, field, "import.control_character", nil)
		}
	}
	return nil
}
