// Package config reads Termtem's one typed configuration from command-line
// flags and TERMTEM_* environment variables. A flag given on the command line
// wins over the variable; a variable ending in _FILE names a file holding a
// secret, so that secrets never need to sit in the environment or in argv.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything the process needs to know about its surroundings.
type Config struct {
	Addr        string // where the web app and API listen
	MetricsAddr string // where /metrics listens; empty = served on Addr behind the metrics permission
	DataDir     string // SQLite file and other local state
	DatabaseURL string // postgres://… selects PostgreSQL; empty selects embedded SQLite in DataDir
	PublicURL   string // the URL users type; https:// turns on Secure __Host- cookies
	Demo        bool   // load demo data into an empty database on start
	LogFormat   string // json or text
	LogLevel    string // debug, info, warn, error

	SessionIdle     time.Duration
	SessionAbsolute time.Duration

	// Deadlines of early-warning alerts: an alert not acknowledged in time
	// escalates to the unit's supervisor, then to the district committee.
	AlertUrgent time.Duration // a red indicator marked urgent
	AlertRed    time.Duration // another red dimension
	AlertReview time.Duration // a dimension newly yellow

	// RequireMFA confines users whose roles see sensitive categories to
	// enrolling a second factor until they have one.
	RequireMFA bool

	// AuditKey keys the audit chain (TERMTEM_AUDIT_KEY or _FILE only, never
	// a flag); empty means a key file in the data directory.
	AuditKey string
	// DataKey encrypts sensitive records (TERMTEM_DATA_KEY or _FILE only);
	// empty means a key file beside the SQLite database. Required with
	// PostgreSQL.
	DataKey string

	// DatabaseReplicaURL is a PostgreSQL streaming replica that serves
	// reads which may lag the primary a little (dashboards, exports,
	// search); empty: every read goes to the primary.
	DatabaseReplicaURL string
	// ReplicaMaxLag: dashboards and their exports read the replica only
	// while its replay is at most this far behind; further, the primary.
	ReplicaMaxLag time.Duration

	// Load shedding: at most MaxConcurrent requests are served at once; a
	// request waits up to QueueTimeout for a slot, then gets 503 with
	// Retry-After. Each request's work is cancelled after RequestTimeout.
	MaxConcurrent  int
	QueueTimeout   time.Duration
	RequestTimeout time.Duration
	// Per-client rate limit: each session or token (or address without
	// one) may make ClientRate requests a second, bursts of ClientBurst;
	// more get 429 with Retry-After. 0 turns it off (the default).
	ClientRate  float64
	ClientBurst int

	// Notification channels; each is off while its address is empty.
	SMTPAddr      string // host:port of the mail relay
	SMTPFrom      string // sender address
	SMTPUsername  string // for SMTP AUTH (only over TLS, or to localhost)
	SMTPPassword  string
	WebhookURL    string // the operator's LINE or SMS gateway
	WebhookSecret string // signs each call (HMAC-SHA256)

	// Chromium prints the committee report as PDF (Debian: package
	// chromium, /usr/bin/chromium); when it is missing the PDF is refused
	// with a message saying so.
	Chromium string
	// MinistryContact is the code (or ID) of the organisation that
	// receives system constraints passed on beyond Bangkok's
	// child-protection committee; empty: Bangkok is the top.
	MinistryContact string
	Mobile          // push and offline home visits (mobile.go)
}

// Defaults returns the configuration of a developer's laptop.
func Defaults() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DataDir:         "./termtem-data",
		LogFormat:       "json",
		LogLevel:        "info",
		SessionIdle:     30 * time.Minute,
		SessionAbsolute: 12 * time.Hour,
		AlertUrgent:     24 * time.Hour,
		AlertRed:        7 * 24 * time.Hour,
		AlertReview:     30 * 24 * time.Hour,
		RequireMFA:      true,
		MaxConcurrent:   64,
		QueueTimeout:    250 * time.Millisecond,
		ClientBurst:     60,
		ReplicaMaxLag:   time.Minute,
		RequestTimeout:  60 * time.Second,
		Chromium:        "/usr/bin/chromium",
		Mobile:          Mobile{OfflineKeyLife: 24 * time.Hour},
	}
}

// Getenv looks a variable up; tests pass a map instead of the real environment.
type Getenv func(string) string

// Register adds the common flags to fs, their defaults taken from the
// environment. Call Finish after fs.Parse.
func (c *Config) Register(fs *flag.FlagSet, getenv Getenv) error {
	env := func(name, def string) (string, error) {
		v, err := secret(getenv, name)
		if err != nil {
			return "", err
		}
		if v == "" {
			return def, nil
		}
		return v, nil
	}
	var err error
	str := func(p *string, flagName, envName, usage string) {
		if err != nil {
			return
		}
		var v string
		v, err = env(envName, *p)
		fs.StringVar(p, flagName, v, usage+" ("+envName+")")
	}
	str(&c.Addr, "addr", "TERMTEM_ADDR", "address to listen on")
	str(&c.MetricsAddr, "metrics-addr", "TERMTEM_METRICS_ADDR", "separate address for /metrics")
	str(&c.DataDir, "data", "TERMTEM_DATA", "data directory for the embedded database")
	str(&c.DatabaseURL, "database-url", "TERMTEM_DATABASE_URL", "postgres:// URL; empty uses embedded SQLite")
	str(&c.DatabaseReplicaURL, "database-replica-url", "TERMTEM_DATABASE_REPLICA_URL", "postgres:// URL of a streaming replica for dashboards, exports and search; empty: all reads from the primary")
	// Usage text shows each flag's default, and is printed on any mistyped
	// flag: it must not show a database password taken from the environment.
	for _, name := range []string{"database-url", "database-replica-url"} {
		if f := fs.Lookup(name); f != nil && f.DefValue != "" {
			f.DefValue = redactURL(f.DefValue)
		}
	}
	str(&c.PublicURL, "public-url", "TERMTEM_PUBLIC_URL", "URL users reach Termtem at")
	str(&c.LogFormat, "log-format", "TERMTEM_LOG_FORMAT", "json or text")
	str(&c.LogLevel, "log-level", "TERMTEM_LOG_LEVEL", "debug, info, warn or error")
	str(&c.SMTPAddr, "smtp-addr", "TERMTEM_SMTP_ADDR", "host:port of the SMTP relay for e-mail notifications; empty: no e-mail")
	str(&c.SMTPFrom, "smtp-from", "TERMTEM_SMTP_FROM", "sender address of e-mail notifications")
	str(&c.SMTPUsername, "smtp-username", "TERMTEM_SMTP_USERNAME", "SMTP AUTH user name")
	str(&c.SMTPPassword, "smtp-password", "TERMTEM_SMTP_PASSWORD", "SMTP AUTH password; prefer TERMTEM_SMTP_PASSWORD_FILE")
	str(&c.WebhookURL, "webhook-url", "TERMTEM_WEBHOOK_URL", "URL that receives signed notification calls; empty: no webhook")
	str(&c.WebhookSecret, "webhook-secret", "TERMTEM_WEBHOOK_SECRET", "key signing webhook calls; prefer TERMTEM_WEBHOOK_SECRET_FILE")
	str(&c.Chromium, "chromium", "TERMTEM_CHROMIUM", "Chromium binary that prints reports as PDF")
	str(&c.MinistryContact, "ministry-contact", "TERMTEM_MINISTRY_CONTACT", "code of the organisation that receives system constraints passed on beyond Bangkok's child-protection committee; empty: Bangkok is the top")
	// As with the database URL: usage text must not show a secret taken
	// from the environment.
	for _, name := range []string{"smtp-password", "webhook-secret"} {
		if f := fs.Lookup(name); f != nil && f.DefValue != "" {
			f.DefValue = "(hidden)"
		}
	}
	if err != nil {
		return err
	}
	if c.AuditKey, err = secret(getenv, "TERMTEM_AUDIT_KEY"); err != nil {
		return err
	}
	if c.AuditKey != "" && len(c.AuditKey) < 32 {
		return errors.New("TERMTEM_AUDIT_KEY: at least 32 characters")
	}
	if c.DataKey, err = secret(getenv, "TERMTEM_DATA_KEY"); err != nil {
		return err
	}
	if c.DataKey != "" && len(c.DataKey) < 32 {
		return errors.New("TERMTEM_DATA_KEY: at least 32 characters")
	}
	if err := c.registerMobile(fs, getenv); err != nil {
		return err
	}
	demo, derr := parseBool(getenv("TERMTEM_DEMO"))
	if derr != nil {
		return fmt.Errorf("TERMTEM_DEMO: %w", derr)
	}
	fs.BoolVar(&c.Demo, "demo", demo || c.Demo, "load demo data into an empty database (TERMTEM_DEMO)")
	if s := getenv("TERMTEM_REQUIRE_MFA"); s != "" {
		v, err := parseBool(s)
		if err != nil {
			return fmt.Errorf("TERMTEM_REQUIRE_MFA: %w", err)
		}
		c.RequireMFA = v
	}
	fs.BoolVar(&c.RequireMFA, "require-mfa", c.RequireMFA, "users whose roles see health or safety notes must enrol a second factor (TERMTEM_REQUIRE_MFA)")
	dur := func(p *time.Duration, flagName, envName, usage string) error {
		if s := getenv(envName); s != "" {
			d, err := time.ParseDuration(s)
			if err != nil {
				return fmt.Errorf("%s: %q is not a duration such as 30m or 12h", envName, s)
			}
			*p = d
		}
		fs.DurationVar(p, flagName, *p, usage+" ("+envName+")")
		return nil
	}
	if s := getenv("TERMTEM_MAX_CONCURRENT"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("TERMTEM_MAX_CONCURRENT: %q is not a whole number", s)
		}
		c.MaxConcurrent = n
	}
	fs.IntVar(&c.MaxConcurrent, "max-concurrent", c.MaxConcurrent, "requests served at once; more wait --queue-timeout, then get 503 (TERMTEM_MAX_CONCURRENT)")
	if s := getenv("TERMTEM_CLIENT_RATE"); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("TERMTEM_CLIENT_RATE: %q is not a number", s)
		}
		c.ClientRate = f
	}
	fs.Float64Var(&c.ClientRate, "client-rate", c.ClientRate, "requests a second each session or token may make on average; more get 429 (0: no limit) (TERMTEM_CLIENT_RATE)")
	if s := getenv("TERMTEM_CLIENT_BURST"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("TERMTEM_CLIENT_BURST: %q is not a whole number", s)
		}
		c.ClientBurst = n
	}
	fs.IntVar(&c.ClientBurst, "client-burst", c.ClientBurst, "requests a session or token may make at once above --client-rate (TERMTEM_CLIENT_BURST)")
	if err := dur(&c.QueueTimeout, "queue-timeout", "TERMTEM_QUEUE_TIMEOUT", "how long a request waits for a free slot before 503"); err != nil {
		return err
	}
	if err := dur(&c.RequestTimeout, "request-timeout", "TERMTEM_REQUEST_TIMEOUT", "a request's work is cancelled after this"); err != nil {
		return err
	}
	if err := dur(&c.ReplicaMaxLag, "database-replica-max-lag", "TERMTEM_DATABASE_REPLICA_MAX_LAG", "dashboards read the replica only while it is at most this far behind the primary"); err != nil {
		return err
	}
	if err := dur(&c.SessionIdle, "session-idle", "TERMTEM_SESSION_IDLE", "idle timeout of a login"); err != nil {
		return err
	}
	if err := dur(&c.SessionAbsolute, "session-absolute", "TERMTEM_SESSION_ABSOLUTE", "absolute lifetime of a login"); err != nil {
		return err
	}
	if err := dur(&c.AlertUrgent, "alert-urgent", "TERMTEM_ALERT_URGENT", "deadline of an urgent alert"); err != nil {
		return err
	}
	if err := dur(&c.AlertRed, "alert-red", "TERMTEM_ALERT_RED", "deadline of a red alert"); err != nil {
		return err
	}
	return dur(&c.AlertReview, "alert-review", "TERMTEM_ALERT_REVIEW", "deadline to review a dimension newly yellow")
}

// Finish validates the parsed configuration and fills derived values.
func (c *Config) Finish() error {
	var problems []string
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		problems = append(problems, fmt.Sprintf("--addr %q is not host:port", c.Addr))
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			problems = append(problems, fmt.Sprintf("--metrics-addr %q is not host:port", c.MetricsAddr))
		}
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			// The URL may hold a password: never echo it.
			problems = append(problems, "--database-url must be a postgres:// URL")
		}
	} else if c.DataDir == "" {
		problems = append(problems, "--data must name a directory")
	}
	if c.DatabaseReplicaURL != "" {
		u, err := url.Parse(c.DatabaseReplicaURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || c.DatabaseURL == "" {
			problems = append(problems, "--database-replica-url must be a postgres:// URL, used with --database-url")
		}
	}
	if c.MaxConcurrent < 1 || c.MaxConcurrent > 100000 {
		problems = append(problems, fmt.Sprintf("--max-concurrent %d must be between 1 and 100000", c.MaxConcurrent))
	}
	if c.ClientRate < 0 || c.ClientRate > 100000 || c.ClientBurst < 1 || c.ClientBurst > 100000 {
		problems = append(problems, fmt.Sprintf("--client-rate %g must be between 0 and 100000 and --client-burst %d between 1 and 100000", c.ClientRate, c.ClientBurst))
	}
	if c.QueueTimeout < 0 || c.QueueTimeout > time.Minute {
		problems = append(problems, fmt.Sprintf("--queue-timeout %s must be between 0 and 1m", c.QueueTimeout))
	}
	if c.RequestTimeout < time.Second || c.RequestTimeout > time.Hour {
		problems = append(problems, fmt.Sprintf("--request-timeout %s must be between 1s and 1h", c.RequestTimeout))
	}
	if c.PublicURL == "" {
		// Listening on all interfaces (":8080", "0.0.0.0:8080") says nothing
		// of the name users type; a developer's browser uses localhost.
		host, port, err := net.SplitHostPort(c.Addr)
		if err == nil && (host == "" || net.ParseIP(host) != nil && net.ParseIP(host).IsUnspecified()) {
			c.PublicURL = "http://localhost:" + port
		} else {
			c.PublicURL = "http://" + c.Addr
		}
	}
	for _, a := range []struct {
		name string
		d    time.Duration
	}{{"--alert-urgent", c.AlertUrgent}, {"--alert-red", c.AlertRed}, {"--alert-review", c.AlertReview}} {
		if a.d < time.Minute || a.d > 365*24*time.Hour {
			problems = append(problems, fmt.Sprintf("%s %s must be between 1m and 8760h (a year)", a.name, a.d))
		}
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, fmt.Sprintf("--public-url %q must be an http:// or https:// URL", c.PublicURL))
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		problems = append(problems, fmt.Sprintf("--log-format %q must be json or text", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		problems = append(problems, fmt.Sprintf("--log-level %q must be debug, info, warn or error", c.LogLevel))
	}
	if c.SessionIdle <= 0 || c.SessionAbsolute < c.SessionIdle {
		problems = append(problems, "session timeouts must be positive and the absolute one at least the idle one")
	}
	problems = append(problems, c.notificationProblems()...)
	problems = append(problems, c.mobileProblems()...)
	if len(problems) > 0 {
		return errors.New("configuration: " + strings.Join(problems, "; "))
	}
	if c.DataDir != "" {
		c.DataDir = filepath.Clean(c.DataDir)
	}
	return nil
}

// SecureCookies reports whether cookies must carry Secure and the __Host-
// prefix: always, except when Termtem is reached over plain HTTP on loopback
// during development (browsers refuse Secure cookies over plain HTTP).
func (c *Config) SecureCookies() bool {
	u, err := url.Parse(c.PublicURL)
	if err != nil || u.Scheme == "https" {
		return true
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// redactURL shows where a database URL points, without its password (in the
// user part or in the query) or anything it cannot parse.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(hidden)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String()
}

// UsesPostgres reports whether the PostgreSQL store is selected.
func (c *Config) UsesPostgres() bool { return c.DatabaseURL != "" }

// secret reads NAME, or the file named by NAME_FILE. Setting both is an
// error, because one of them would be silently ignored.
func secret(getenv Getenv, name string) (string, error) {
	v, file := getenv(name), getenv(name+"_FILE")
	if file == "" {
		return v, nil
	}
	if v != "" {
		return "", fmt.Errorf("set %s or %s_FILE, not both", name, name)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false", "no", "off":
		return false, nil
	case "1", "true", "yes", "on":
		return true, nil
	}
	return false, fmt.Errorf("%q is not true or false", s)
}
