package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"termtem/internal/account"
	"termtem/internal/store"
)

// serviceAccount runs "termtem service-account": agency systems' accounts,
// one organisation and one role each, with bearer tokens only.
func (e env) serviceAccount(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New("service-account needs a sub-command: add, list, token, rotate or disable")
	}
	var username, org, role, name, tokenName, expires, tokenID string
	cfg, err := e.parse("service-account "+args[0], args[1:], func(fs *flag.FlagSet) {
		switch args[0] {
		case "add":
			fs.StringVar(&username, "username", "", "the account's username, e.g. moe.dmc")
			fs.StringVar(&org, "org", "", "organisation code")
			fs.StringVar(&role, "role", "", "role code, e.g. data_officer (not an administrator's)")
			fs.StringVar(&name, "name", "", "what system it is (default: the username)")
		case "list":
			fs.StringVar(&org, "org", "", "only this organisation's (code)")
		case "token", "rotate", "disable":
			fs.StringVar(&username, "username", "", "the service account")
		}
		if args[0] == "token" {
			fs.StringVar(&tokenName, "name", "", "what the token is for")
		}
		if args[0] == "token" || args[0] == "rotate" {
			fs.StringVar(&expires, "expires", "90d", "lifetime, e.g. 90d, 12h")
		}
		if args[0] == "rotate" {
			fs.StringVar(&tokenID, "id", "", "the token to replace")
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
	case "add":
		o, err := db.GetOrganisationByCode(ctx, org)
		if err != nil {
			return fmt.Errorf("--org %q: no such organisation", org)
		}
		if name == "" {
			name = username
		}
		u, err := db.CreateServiceAccount(ctx, account.User{Username: username, DisplayName: name, Lang: "th",
			Memberships: []account.Membership{{OrganisationID: o.ID, RoleCode: role}}}, cliActor)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "service account %s (%s) in %s as %s\n", u.Username, u.ID, o.Code, role)
	case "list":
		var orgs []string
		if org != "" {
			o, err := db.GetOrganisationByCode(ctx, org)
			if err != nil {
				return fmt.Errorf("--org %q: no such organisation", org)
			}
			orgs = []string{o.ID}
		}
		sas, err := db.ServiceAccounts(ctx, orgs)
		if err != nil {
			return err
		}
		now := db.Now()
		for _, sa := range sas {
			m := sa.Organisation()
			state := "active"
			if sa.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(e.stdout, "%s  %s  %s  %s  %s\n", sa.Username, sa.ID, m.OrganisationCode, m.RoleCode, state)
			for _, tk := range sa.Tokens {
				st := "valid until " + tk.ExpiresAt.Format(time.DateOnly)
				if tk.RevokedAt != nil {
					st = "revoked"
				} else if !tk.Usable(now) {
					st = "expired"
				}
				fmt.Fprintf(e.stdout, "    token %s  %q  %s\n", tk.ID, tk.Name, st)
			}
		}
	case "token", "rotate":
		sa, err := serviceAccountByName(ctx, db, username)
		if err != nil {
			return err
		}
		lifetime, err := parseLifetime(expires)
		if err != nil {
			return err
		}
		var secret string
		var tk account.APIToken
		if args[0] == "token" {
			secret, tk, err = db.IssueServiceToken(ctx, sa.ID, 0, tokenName, lifetime, cliActor)
		} else {
			if tokenID == "" {
				return errors.New("--id is required")
			}
			secret, tk, err = db.RotateServiceToken(ctx, sa.ID, 0, tokenID, lifetime, cliActor)
		}
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stderr, "token %s for %s, valid until %s. It is shown once; keep it secret.\n", tk.ID, sa.Username, tk.ExpiresAt.Format(time.RFC3339))
		fmt.Fprintln(e.stdout, secret)
	case "disable":
		sa, err := serviceAccountByName(ctx, db, username)
		if err != nil {
			return err
		}
		if err := db.DisableServiceAccount(ctx, sa.ID, 0, cliActor); err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "service account %s disabled, its tokens revoked\n", sa.Username)
	default:
		return fmt.Errorf("unknown service-account sub-command %q: use add, list, token, rotate or disable", args[0])
	}
	return nil
}

func serviceAccountByName(ctx context.Context, db *store.DB, username string) (store.ServiceAccount, error) {
	if username == "" {
		return store.ServiceAccount{}, errors.New("--username is required")
	}
	u, err := db.GetUserByUsername(ctx, username)
	if err != nil || u.Kind != account.ServiceAccount {
		return store.ServiceAccount{}, fmt.Errorf("--username %q: no such service account", username)
	}
	return db.GetServiceAccount(ctx, u.ID)
}
