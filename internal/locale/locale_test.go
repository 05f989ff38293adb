package locale

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"termtem/internal/account"
	"termtem/internal/organisations"
	"termtem/internal/people"
	"termtem/internal/places"
)

func TestCataloguesHaveTheSameMessages(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	th, en := c.IDs("th"), c.IDs("en")
	if len(th) < 100 {
		t.Fatalf("only %d Thai messages", len(th))
	}
	for id := range th {
		if !en[id] {
			t.Errorf("%s has Thai text but no English", id)
		}
	}
	for id := range en {
		if !th[id] {
			t.Errorf("%s has English text but no Thai", id)
		}
	}
}

// Message IDs appear in Go code as errs.New/Field/Wrap arguments and in
// templates as .T "id". Each must be in the catalogues; dynamic IDs
// (org.kind.%s, place.kind.%s) are checked through their values.
var (
	goIDs   = regexp.MustCompile(`errs\.(?:New|Wrap)\([^,"]+,\s*"([^"]+)"`)
	goFld   = regexp.MustCompile(`errs\.Field\("[^"]*",\s*"([^"]+)"`)
	goField = regexp.MustCompile(`MessageID:\s*"([a-z_]+\.[a-z_.]+)"`)
	tmplIDs = regexp.MustCompile(`\.T "([a-z_]+\.[a-z_.]+)"`)
	keyIDs  = regexp.MustCompile(`"((?:nav|home|flash|error)\.[a-z_.]+)"`)
	// Page titles and texts the web handlers translate themselves.
	// (A quoted prefix joined to a code, "record.kind."+kind, is not an ID.)
	webView  = regexp.MustCompile(`\.view\(r, "([a-z_]+\.[a-z_.]*[a-z_])"`)
	webCatT  = regexp.MustCompile(`Cat\.T\([^,()]+,\s*"([a-z_]+\.[a-z_.]*[a-z_])"`)
	webField = regexp.MustCompile(`fieldError\(r, "[^"]*", "([a-z_]+\.[a-z_.]*[a-z_])"`)
)

func TestEveryUsedMessageExists(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..")
	seen := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		isGo := strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go")
		if !isGo && !strings.HasSuffix(path, ".html") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		res := []*regexp.Regexp{tmplIDs}
		if isGo {
			res = []*regexp.Regexp{goIDs, goFld, goField}
			if strings.Contains(path, filepath.Join("internal", "web")) {
				res = append(res, keyIDs, webView, webCatT, webField)
			}
		}
		for _, re := range res {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				seen++
				if !c.IDs("th")[m[1]] {
					t.Errorf("%s uses message %q, which the catalogues lack", path, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 100 {
		t.Fatalf("found only %d message uses; the scan is broken", seen)
	}
}

func TestLanguageChoice(t *testing.T) {
	for header, want := range map[string]string{
		"":                        "th",
		"en-US,en;q=0.9":          "en",
		"th-TH,th;q=0.9,en;q=0.5": "th",
		"fr-FR":                   "th",
		"garbage;;;":              "th",
	} {
		if got := FromAcceptLanguage(header); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", header, got, want)
		}
	}
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T("th", "password.too_short", map[string]any{"Min": 8}); got != "รหัสผ่านต้องยาวอย่างน้อย 8 ตัวอักษร" {
		t.Errorf("template data not filled: %q", got)
	}
	if got := c.T("xx", "nav.home", nil); got != "หน้าแรก" {
		t.Errorf("unknown language should fall back to Thai, got %q", got)
	}
}

func TestKindsHaveNames(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, k := range organisations.Kinds {
		ids = append(ids, "org.kind."+string(k))
	}
	for _, k := range places.Kinds {
		ids = append(ids, "place.kind."+string(k))
	}
	for _, p := range account.Catalogue {
		ids = append(ids, "perm."+string(p))
	}
	for _, v := range people.Nationalities {
		ids = append(ids, "nationality."+string(v))
	}
	for _, v := range people.Relationships {
		ids = append(ids, "relationship."+string(v))
	}
	for _, v := range people.LifeStages {
		ids = append(ids, "stage."+string(v))
	}
	for _, v := range people.Dimensions {
		ids = append(ids, "dimension."+string(v))
	}
	for _, v := range people.RecordKinds {
		ids = append(ids, "record.kind."+string(v))
	}
	for _, v := range people.IdentifierKinds {
		ids = append(ids, "identifier."+string(v))
	}
	for _, group := range []struct {
		prefix string
		values []string
	}{{"condition.", people.Conditions}, {"grant.", people.Grants}, {"grade.", people.Grades},
		{"dspm.", []string{people.DSPMPass, people.DSPMSuspected, people.DSPMDelayed}}} {
		for _, v := range group.values {
			ids = append(ids, group.prefix+v)
		}
	}
	for _, id := range ids {
		if !c.IDs("th")[id] || !c.IDs("en")[id] {
			t.Errorf("no name for %s", id)
		}
	}
}
