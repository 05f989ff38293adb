package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"termtem/internal/account"
	"termtem/internal/audit"
	"termtem/internal/store"
)

// cliActor marks audit events of the command line: no user, a fixed request ID.
var cliActor = audit.Event{RequestID: "cli"}

func (e env) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New("user needs a sub-command: add, passwd, disable or mfa-reset")
	}
	var username, role, org, name, kind, email string
	var passwordStdin bool
	cfg, err := e.parse("user "+args[0], args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "username")
		if args[0] == "add" {
			fs.StringVar(&role, "role", "", "role code, e.g. case_manager")
			fs.StringVar(&org, "org", "", "organisation code")
			fs.StringVar(&name, "name", "", "display name (default: the username)")
			fs.StringVar(&kind, "kind", "", "staff or family (default: the role's kind)")
			fs.StringVar(&email, "email", "", "address for e-mail notifications (optional)")
		}
		if args[0] != "disable" && args[0] != "mfa-reset" {
			fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input")
		}
	})
	if err != nil {
		return err
	}
	if username == "" {
		return errors.New("--username is required")
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := newAuth(db, cfg)
	if err != nil {
		return err
	}
	switch args[0] {
	case "add":
		if !passwordStdin {
			return errors.New("--password-stdin is required: passwords never go on the command line")
		}
		password, err := readSecret(e.stdin)
		if err != nil {
			return err
		}
		o, err := db.GetOrganisationByCode(ctx, org)
		if err != nil {
			return fmt.Errorf("--org %q: no such organisation", org)
		}
		r, err := findRole(ctx, db, role)
		if err != nil {
			return err
		}
		if kind == "" {
			kind = string(r.Kind)
		}
		if name == "" {
			name = username
		}
		u, err := a.CreateUser(ctx, account.User{Username: username, DisplayName: name, Kind: account.AccountKind(kind), Lang: "th", Email: email,
			Memberships: []account.Membership{{OrganisationID: o.ID, RoleCode: r.Code}}}, password, cliActor)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "user %s created (%s at %s)\n", u.Username, r.Code, o.Code)
	case "passwd":
		if !passwordStdin {
			return errors.New("--password-stdin is required: passwords never go on the command line")
		}
		password, err := readSecret(e.stdin)
		if err != nil {
			return err
		}
		u, err := db.GetUserByUsername(ctx, username)
		if err != nil {
			return fmt.Errorf("no user %q", username)
		}
		if err := a.SetPassword(ctx, u, password, "", cliActor); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "password of %s changed; their sessions were ended\n", u.Username)
	case "disable":
		u, err := db.GetUserByUsername(ctx, username)
		if err != nil {
			return fmt.Errorf("no user %q", username)
		}
		u.Disabled = true
		if _, err := db.SaveUser(ctx, u, cliActor); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "user %s disabled; their sessions were ended\n", u.Username)
	case "mfa-reset":
		// For a lost phone with its recovery codes: the person proves who
		// they are to an administrator, who removes the second factor; a
		// role that requires one enrols again at the next login.
		u, err := db.GetUserByUsername(ctx, username)
		if err != nil {
			return fmt.Errorf("no user %q", username)
		}
		if err := db.RemoveTOTP(ctx, u.ID, cliActor); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "second factor of %s removed; they set up a new one at their next login\n", u.Username)
	default:
		return fmt.Errorf("unknown user sub-command %q: use add, passwd, disable or mfa-reset", args[0])
	}
	return nil
}

func findRole(ctx context.Context, db *store.DB, code string) (account.Role, error) {
	roles, err := db.ListRoles(ctx)
	if err != nil {
		return account.Role{}, err
	}
	var codes []string
	for _, r := range roles {
		if r.Code == code {
			return r, nil
		}
		codes = append(codes, r.Code)
	}
	return account.Role{}, fmt.Errorf("--role %q: unknown role; roles are %s", code, strings.Join(codes, ", "))
}

func (e env) token(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New("token needs a sub-command: create or revoke")
	}
	var username, expires, name, id string
	cfg, err := e.parse("token "+args[0], args[1:], func(fs *flag.FlagSet) {
		if args[0] == "create" {
			fs.StringVar(&username, "user", "", "username the token acts as")
			fs.StringVar(&expires, "expires", "90d", "lifetime, e.g. 90d, 12h")
			fs.StringVar(&name, "name", "", "what the token is for")
		} else {
			fs.StringVar(&id, "id", "", "the token's ID (printed when it was made)")
		}
	})
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "create":
		lifetime, err := parseLifetime(expires)
		if err != nil {
			return err
		}
		u, err := db.GetUserByUsername(ctx, username)
		if err != nil {
			return fmt.Errorf("--user %q: no such user", username)
		}
		if u.Disabled {
			return fmt.Errorf("--user %q is disabled", username)
		}
		token, tk, err := db.CreateAPIToken(ctx, u.ID, name, lifetime, cliActor)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "token %s for %s, valid until %s. It is shown once; keep it secret.\n",
			tk.ID, u.Username, tk.ExpiresAt.Format(time.RFC3339))
		fmt.Fprintln(e.stdout, token)
	case "revoke":
		if id == "" {
			return errors.New("--id is required")
		}
		if err := db.RevokeAPIToken(ctx, id, cliActor); err != nil {
			return fmt.Errorf("token %s: no such active token", id)
		}
		fmt.Fprintf(e.stdout, "token %s revoked\n", id)
	default:
		return fmt.Errorf("unknown token sub-command %q: use create or revoke", args[0])
	}
	return nil
}

// parseLifetime reads durations like 90d as well as Go's 12h30m.
func parseLifetime(s string) (time.Duration, error) {
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 || d > 5*365*24*time.Hour {
		return 0, fmt.Errorf("--expires %q: give a positive lifetime up to 5 years, such as 90d or 12h", s)
	}
	return d, nil
}
