package web

import (
	"context"
	"net/http"
	"time"

	"termtem/internal/httpx"
	"termtem/internal/store"
)

// ServiceTokenRotate replaces a token by a new one of the same name (POST
// /service-accounts/{id}/tokens/{token_id}/rotate with the account's
// version seen): the old one stops working in the same transaction.
func (h *Handler) ServiceTokenRotate(w http.ResponseWriter, r *http.Request) {
	h.newServiceToken(w, r, true, func(ctx context.Context, sa store.ServiceAccount, lifetime time.Duration) (string, error) {
		secret, _, err := h.DB.RotateServiceToken(ctx, sa.ID, formVersion(r), r.PathValue("token_id"), lifetime, httpx.Actor(r))
		return secret, err
	})
}
