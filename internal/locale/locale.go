// Package locale holds the user-facing text of Termtem in Thai (the default)
// and English, as go-i18n catalogues in files, so that translators edit text
// without touching code.
package locale

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The catalogue of each language is messages.<lang>.toml plus any
// <feature>.<lang>.toml beside it: a feature's text lives in a file of its
// own so that features built in parallel do not edit the same lines.
//
//go:embed *.toml
var files embed.FS

// Langs are the supported languages; the first is the default.
var Langs = []string{"th", "en"}

// Default is the language used when nothing else is known.
const Default = "th"

// Catalogue translates message IDs.
type Catalogue struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	ids        map[string]map[string]bool
}

// Load parses the embedded catalogues.
func Load() (*Catalogue, error) {
	b := i18n.NewBundle(language.Thai)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalogue{bundle: b, localizers: map[string]*i18n.Localizer{}, ids: map[string]map[string]bool{}}
	for _, lang := range Langs {
		names, err := fs.Glob(files, "*."+lang+".toml")
		if err != nil {
			return nil, err
		}
		c.ids[lang] = map[string]bool{}
		for _, name := range names {
			data, err := files.ReadFile(name)
			if err != nil {
				return nil, err
			}
			mf, err := b.ParseMessageFileBytes(data, name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			for _, m := range mf.Messages {
				if c.ids[lang][m.ID] {
					return nil, fmt.Errorf("%s: message %q is defined twice", name, m.ID)
				}
				c.ids[lang][m.ID] = true
			}
		}
		c.localizers[lang] = i18n.NewLocalizer(b, lang)
	}
	return c, nil
}

// T returns message id in lang, filled with data. A missing message shows
// its ID rather than failing the page; a test keeps the catalogues complete.
func (c *Catalogue) T(lang, id string, data map[string]any) string {
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers[Default]
	}
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}

// IDs returns the message IDs of one language (tests).
func (c *Catalogue) IDs(lang string) map[string]bool { return c.ids[lang] }

// Supported returns lang if Termtem speaks it, else "".
func Supported(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	for _, l := range Langs {
		if lang == l {
			return l
		}
	}
	return ""
}

var matcher = language.NewMatcher([]language.Tag{language.Thai, language.English})

// FromAcceptLanguage picks a language from a browser's Accept-Language,
// defaulting to Thai.
func FromAcceptLanguage(header string) string {
	if header == "" {
		return Default
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Langs[i]
}
