package config

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const dbPassword = "s3cr3t-Passw0rd"

// load runs Register, Parse and Finish as main does, with env as the environment.
func load(env map[string]string, args ...string) (Config, *flag.FlagSet, error) {
	c := Defaults()
	fs := flag.NewFlagSet("termtem", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := c.Register(fs, func(k string) string { return env[k] }); err != nil {
		return c, fs, err
	}
	if err := fs.Parse(args); err != nil {
		return c, fs, err
	}
	return c, fs, c.Finish()
}

func TestDefaults(t *testing.T) {
	c, _, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Addr: "127.0.0.1:8080", DataDir: "termtem-data", PublicURL: "http://127.0.0.1:8080",
		LogFormat: "json", LogLevel: "info", SessionIdle: 30 * time.Minute, SessionAbsolute: 12 * time.Hour,
		AlertUrgent: 24 * time.Hour, AlertRed: 7 * 24 * time.Hour, AlertReview: 30 * 24 * time.Hour, RequireMFA: true,
		MaxConcurrent: 64, QueueTimeout: 250 * time.Millisecond, ClientBurst: 60, ReplicaMaxLag: time.Minute, RequestTimeout: time.Minute,
		Chromium: "/usr/bin/chromium", Mobile: Mobile{OfflineKeyLife: 24 * time.Hour}}
	if c != want {
		t.Errorf("defaults\n got %+v\nwant %+v", c, want)
	}
	if c.UsesPostgres() || c.SecureCookies() {
		t.Error("a laptop default should use SQLite and plain-HTTP cookies")
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "db-url")
	if err := os.WriteFile(secretFile, []byte("postgres://termtem:"+dbPassword+"@db:5432/termtem\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		check func(t *testing.T, c Config)
	}{
		{"environment overrides defaults",
			map[string]string{"TERMTEM_ADDR": "0.0.0.0:9000", "TERMTEM_DATA": "/var/lib/termtem/", "TERMTEM_LOG_FORMAT": "text",
				"TERMTEM_LOG_LEVEL": "debug", "TERMTEM_DEMO": "yes", "TERMTEM_SESSION_IDLE": "15m", "TERMTEM_SESSION_ABSOLUTE": "8h",
				"TERMTEM_PUBLIC_URL": "https://termtem.example.go.th", "TERMTEM_METRICS_ADDR": "127.0.0.1:9090"}, nil,
			func(t *testing.T, c Config) {
				if c.Addr != "0.0.0.0:9000" || c.DataDir != "/var/lib/termtem" || c.LogFormat != "text" || c.LogLevel != "debug" ||
					!c.Demo || c.SessionIdle != 15*time.Minute || c.SessionAbsolute != 8*time.Hour ||
					c.PublicURL != "https://termtem.example.go.th" || c.MetricsAddr != "127.0.0.1:9090" {
					t.Errorf("%+v", c)
				}
			}},
		{"ministry contact from the environment, flag wins",
			map[string]string{"TERMTEM_MINISTRY_CONTACT": "DCY-MSDHS"}, nil,
			func(t *testing.T, c Config) {
				if c.MinistryContact != "DCY-MSDHS" {
					t.Errorf("ministry contact %q", c.MinistryContact)
				}
			}},
		{"ministry contact flag",
			map[string]string{"TERMTEM_MINISTRY_CONTACT": "DCY-MSDHS"}, []string{"--ministry-contact", "OTHER"},
			func(t *testing.T, c Config) {
				if c.MinistryContact != "OTHER" {
					t.Errorf("ministry contact %q", c.MinistryContact)
				}
			}},
		{"flag beats environment",
			map[string]string{"TERMTEM_ADDR": "0.0.0.0:9000", "TERMTEM_LOG_LEVEL": "debug", "TERMTEM_SESSION_IDLE": "15m", "TERMTEM_DEMO": "1"},
			[]string{"--addr", "127.0.0.1:7000", "--log-level=warn", "--session-idle=5m", "--demo=false"},
			func(t *testing.T, c Config) {
				if c.Addr != "127.0.0.1:7000" || c.LogLevel != "warn" || c.SessionIdle != 5*time.Minute || c.Demo {
					t.Errorf("%+v", c)
				}
			}},
		{"secret from a _FILE",
			map[string]string{"TERMTEM_DATABASE_URL_FILE": secretFile}, nil,
			func(t *testing.T, c Config) {
				if c.DatabaseURL != "postgres://termtem:"+dbPassword+"@db:5432/termtem" || !c.UsesPostgres() {
					t.Errorf("DatabaseURL = %q", c.DatabaseURL)
				}
			}},
		{"postgresql:// scheme", map[string]string{"TERMTEM_DATABASE_URL": "postgresql://db/termtem"}, nil,
			func(t *testing.T, c Config) {
				if !c.UsesPostgres() {
					t.Error("not PostgreSQL")
				}
			}},
		{"public URL defaults to the address", nil, []string{"--addr", "127.0.0.1:8181"},
			func(t *testing.T, c Config) {
				if c.PublicURL != "http://127.0.0.1:8181" {
					t.Errorf("PublicURL = %q", c.PublicURL)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := load(tt.env, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "db-url")
	if err := os.WriteFile(secretFile, []byte("postgres://u:"+dbPassword+"@db/x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // a part of the error message
	}{
		{"both a variable and its _FILE", map[string]string{"TERMTEM_DATABASE_URL": "postgres://u:" + dbPassword + "@db/x", "TERMTEM_DATABASE_URL_FILE": secretFile}, nil,
			"TERMTEM_DATABASE_URL or TERMTEM_DATABASE_URL_FILE"},
		{"missing _FILE", map[string]string{"TERMTEM_DATABASE_URL_FILE": filepath.Join(dir, "nope")}, nil, "TERMTEM_DATABASE_URL_FILE"},
		{"bad address", nil, []string{"--addr", "8080"}, `--addr "8080" is not host:port`},
		{"bad metrics address", map[string]string{"TERMTEM_METRICS_ADDR": "metrics"}, nil, "--metrics-addr"},
		{"bad log format", map[string]string{"TERMTEM_LOG_FORMAT": "xml"}, nil, `--log-format "xml" must be json or text`},
		{"bad log level", nil, []string{"--log-level", "loud"}, "--log-level"},
		{"bad duration in environment", map[string]string{"TERMTEM_SESSION_IDLE": "half an hour"}, nil, `TERMTEM_SESSION_IDLE: "half an hour" is not a duration`},
		{"bad duration flag", nil, []string{"--session-absolute", "forever"}, "session-absolute"},
		{"idle longer than absolute", map[string]string{"TERMTEM_SESSION_IDLE": "13h"}, nil, "session timeouts"},
		{"zero idle", nil, []string{"--session-idle=0s"}, "session timeouts"},
		{"bad demo flag", map[string]string{"TERMTEM_DEMO": "maybe"}, nil, "TERMTEM_DEMO"},
		{"not a postgres URL", map[string]string{"TERMTEM_DATABASE_URL": "mysql://root:" + dbPassword + "@db/x"}, nil, "--database-url must be a postgres:// URL"},
		{"unparseable postgres URL", map[string]string{"TERMTEM_DATABASE_URL": "postgres://u:" + dbPassword + "%zz@db/x"}, nil, "--database-url must be a postgres:// URL"},
		{"keyword/value DSN", nil, []string{"--database-url", "host=db password=" + dbPassword}, "--database-url must be a postgres:// URL"},
		{"bad public URL", map[string]string{"TERMTEM_PUBLIC_URL": "ftp://x"}, nil, "--public-url"},
		{"no data directory", nil, []string{"--data", ""}, "--data must name a directory"},
		{"several problems at once", map[string]string{"TERMTEM_LOG_FORMAT": "xml", "TERMTEM_LOG_LEVEL": "loud"}, nil, "--log-format \"xml\" must be json or text; --log-level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := load(tt.env, tt.args...)
			if err == nil {
				t.Fatalf("no error, want one mentioning %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if strings.Contains(err.Error(), dbPassword) {
				t.Errorf("error %q shows the database password", err)
			}
		})
	}
}

// Usage text is printed on a mistyped flag: it must not show the password
// that came from the environment as the flag's default.
func TestUsageHidesDatabasePassword(t *testing.T) {
	env := map[string]string{"TERMTEM_DATABASE_URL": "postgres://termtem:" + dbPassword + "@db:5432/termtem"}
	c := Defaults()
	fs := flag.NewFlagSet("termtem", flag.ContinueOnError)
	var out bytes.Buffer
	fs.SetOutput(&out)
	if err := c.Register(fs, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse([]string{"--no-such-flag"}); err == nil {
		t.Fatal("unknown flag accepted")
	}
	fs.PrintDefaults()
	if strings.Contains(out.String(), dbPassword) {
		t.Errorf("usage shows the database password:\n%s", out.String())
	}
	if !strings.Contains(out.String(), `"postgres://termtem@db:5432/termtem"`) {
		t.Errorf("usage lacks --database-url:\n%s", out.String())
	}
	// The value itself is intact.
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Finish(); err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != env["TERMTEM_DATABASE_URL"] {
		t.Errorf("DatabaseURL = %q", c.DatabaseURL)
	}
}

func TestSecureCookies(t *testing.T) {
	tests := []struct {
		url    string
		secure bool
	}{
		{"http://127.0.0.1", false},
		{"http://127.0.0.1:8080", false},
		{"http://localhost", false},
		{"http://localhost:8080", false},
		{"http://LOCALHOST:8080", false},
		{"http://[::1]:8080", false},
		{"https://x", true},
		{"https://localhost", true},
		{"http://10.0.0.5", true},
		{"http://termtem.example.go.th", true},
		{"http://localhost.example.com", true},
	}
	for _, tt := range tests {
		c := Config{PublicURL: tt.url}
		if got := c.SecureCookies(); got != tt.secure {
			t.Errorf("SecureCookies(%s) = %v, want %v", tt.url, got, tt.secure)
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://termtem:" + dbPassword + "@db:5432/termtem?sslmode=disable", "postgres://termtem@db:5432/termtem"},
		{"postgres://db/termtem?password=" + dbPassword, "postgres://db/termtem"},
		{"host=db password=" + dbPassword, "(hidden)"},
		{"postgres://u:" + dbPassword + "%zz@db/x", "(hidden)"},
	}
	for _, tt := range tests {
		if got := redactURL(tt.in); got != tt.want {
			t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPublicURLFromAllInterfaces(t *testing.T) {
	for addr, want := range map[string]string{
		":8080":          "http://localhost:8080",
		"0.0.0.0:9000":   "http://localhost:9000",
		"[::]:9000":      "http://localhost:9000",
		"10.1.2.3:8080":  "http://10.1.2.3:8080",
		"127.0.0.1:8080": "http://127.0.0.1:8080",
	} {
		c, _, err := load(nil, "--addr", addr)
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		if c.PublicURL != want {
			t.Errorf("--addr %s: public URL %q, want %q", addr, c.PublicURL, want)
		}
	}
}

func TestAlertDeadlines(t *testing.T) {
	c, _, err := load(map[string]string{"TERMTEM_ALERT_URGENT": "6h"}, "--alert-red", "72h")
	if err != nil || c.AlertUrgent != 6*time.Hour || c.AlertRed != 72*time.Hour || c.AlertReview != 30*24*time.Hour {
		t.Fatalf("%+v %v", c, err)
	}
	if _, _, err := load(nil, "--alert-review", "30s"); err == nil || !strings.Contains(err.Error(), "--alert-review") {
		t.Fatalf("a 30 s deadline: %v", err)
	}
	if _, _, err := load(map[string]string{"TERMTEM_ALERT_RED": "soon"}); err == nil || !strings.Contains(err.Error(), "TERMTEM_ALERT_RED") {
		t.Fatalf("a deadline that is not a duration: %v", err)
	}
}

func TestLoadSheddingAndReplicaSettings(t *testing.T) {
	c, _, err := load(map[string]string{"TERMTEM_MAX_CONCURRENT": "8", "TERMTEM_QUEUE_TIMEOUT": "10ms", "TERMTEM_REQUEST_TIMEOUT": "5s",
		"TERMTEM_DATABASE_URL": "postgres://db/t", "TERMTEM_DATABASE_REPLICA_URL": "postgres://replica/t"})
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxConcurrent != 8 || c.QueueTimeout != 10*time.Millisecond || c.RequestTimeout != 5*time.Second || c.DatabaseReplicaURL != "postgres://replica/t" {
		t.Errorf("settings %+v", c)
	}
	c, _, err = load(map[string]string{"TERMTEM_CLIENT_RATE": "2.5", "TERMTEM_CLIENT_BURST": "10"})
	if err != nil || c.ClientRate != 2.5 || c.ClientBurst != 10 {
		t.Errorf("client rate: %+v %v", c, err)
	}
	for _, bad := range []map[string]string{
		{"TERMTEM_MAX_CONCURRENT": "many"},
		{"TERMTEM_CLIENT_RATE": "fast"},
		{"TERMTEM_CLIENT_RATE": "-1"},
		{"TERMTEM_CLIENT_BURST": "0"},
		{"TERMTEM_MAX_CONCURRENT": "0"},
		{"TERMTEM_REQUEST_TIMEOUT": "1ms"},
		{"TERMTEM_QUEUE_TIMEOUT": "-1s"},
		{"TERMTEM_DATABASE_REPLICA_URL": "postgres://replica/t"}, // a replica without a primary
		{"TERMTEM_DATABASE_URL": "postgres://db/t", "TERMTEM_DATABASE_REPLICA_URL": "mysql://replica/t"},
	} {
		if _, _, err := load(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
