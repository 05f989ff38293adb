package main

import (
	"fmt"

	"termtem/internal/errs"
	"termtem/internal/locale"
)

// describe turns an errs.Error into an English sentence for the console,
// naming the field it is about.
func describe(err error) error {
	e := errs.As(err)
	if e.Code == errs.Internal {
		return err
	}
	cat, lerr := locale.Load()
	if lerr != nil {
		return err
	}
	msg := cat.T("en", e.MessageID, e.Data)
	if e.Field != "" {
		return fmt.Errorf("%s: %s", e.Field, msg)
	}
	return fmt.Errorf("%s", msg)
}
