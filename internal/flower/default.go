package flower

import (
	"embed"
	"sync"
)

//go:embed instruments/*.json
var instrumentFS embed.FS

// DefaultFile is the shipped default instrument's file name.
const DefaultFile = "instruments/termtem-default-v1.json"

var defaultOnce = sync.OnceValues(func() (*Instrument, error) {
	b, err := instrumentFS.ReadFile(DefaultFile)
	if err != nil {
		return nil, err
	}
	return Parse(b)
})

// Default returns the shipped default instrument (termtem-default v1),
// parsed once. It panics if the embedded file is invalid, which the tests
// rule out.
func Default() *Instrument {
	in, err := defaultOnce()
	if err != nil {
		panic("flower: default instrument: " + err.Error())
	}
	return in
}

// DefaultFileBytes returns the default instrument file as shipped, for
// loading it into the store as version 1.
func DefaultFileBytes() []byte {
	b, _ := instrumentFS.ReadFile(DefaultFile)
	return b
}
