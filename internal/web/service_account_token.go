package web

import (
	"context"
	"net/http"
	"time"

	"termtem/internal/httpx"
	"termtem/internal/store"
)

// ServiceTokenIssue gives the account another token (POST
// /service-accounts/{id}/tokens with the account's version seen) and
// shows it once.
func (h *Handler) ServiceTokenIssue(w http.ResponseWriter, r *http.Request) {
	h.newServiceToken(w, r, false, func(ctx context.Context, sa store.ServiceAccount, lifetime time.Duration) (string, error) {
		secret, _, err := h.DB.IssueServiceToken(ctx, sa.ID, formVersion(r), r.PostFormValue("name"), lifetime, httpx.Actor(r))
		return secret, err
	})
}
