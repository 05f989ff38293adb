package web

import (
	"net/http"
	"strconv"

	"termtem/internal/account"
	"termtem/internal/httpx"
	"termtem/internal/places"
	"termtem/internal/store"
)

type placeForm struct {
	Place   places.Place
	Parent  places.Place
	Parents []places.Place // where it may hang (e.g. the zones, to regroup a district)
	New     bool
	// Lat and Lon: a community's location as typed (see readLocation).
	Lat, Lon string
}

// PlaceNew shows the form for a new community under a sub-district.
func (h *Handler) PlaceNew(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PlacesManage) == nil {
		return
	}
	parent, err := h.DB.GetPlace(r.Context(), r.URL.Query().Get("parent"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := placeForm{New: true, Parent: parent, Place: places.Place{Kind: places.Community, ParentID: parent.ID, Code: parent.Code + "-"}}
	h.render(w, r, http.StatusOK, "place_form", h.view(r, "place.new", f))
}

// PlaceEdit shows the form to rename a place or move it under another parent.
func (h *Handler) PlaceEdit(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PlacesManage) == nil {
		return
	}
	pl, err := h.DB.GetPlace(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := h.placeFormFor(r, pl)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "place_form", h.view(r, "place.edit", f))
}

func (h *Handler) placeFormFor(r *http.Request, pl places.Place) (placeForm, error) {
	f := placeForm{Place: pl, New: pl.ID == "", Lat: locationText(pl, pl.Lat), Lon: locationText(pl, pl.Lon)}
	if pl.ParentID != "" {
		parent, err := h.DB.GetPlace(r.Context(), pl.ParentID)
		if err != nil {
			return f, err
		}
		f.Parent = parent
		if parentKind, ok := places.ParentKind[pl.Kind]; ok && !f.New {
			siblings, err := h.DB.ListPlaces(r.Context(), store.PlaceFilter{Kind: parentKind})
			if err != nil {
				return f, err
			}
			// Choosing among all sub-districts of Bangkok is unwieldy; moving
			// is offered for districts (regrouping zones) and below only
			// within the current parent's siblings when they are few.
			if len(siblings) <= 60 {
				f.Parents = siblings
			}
		}
	}
	return f, nil
}

// PlaceSave creates or updates a place from the form.
func (h *Handler) PlaceSave(w http.ResponseWriter, r *http.Request) {
	if h.require(w, r, account.PlacesManage) == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	pl := places.Place{
		ID:       r.PathValue("id"),
		Code:     r.PostFormValue("code"),
		NameTH:   r.PostFormValue("name_th"),
		NameEN:   r.PostFormValue("name_en"),
		ParentID: r.PostFormValue("parent_id"),
		Kind:     places.Community,
	}
	if pl.ID != "" {
		old, err := h.DB.GetPlace(r.Context(), pl.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		pl.Kind, pl.Postcode = old.Kind, old.Postcode
		pl.Version, _ = strconv.Atoi(r.PostFormValue("version"))
		if pl.ParentID == "" {
			pl.ParentID = old.ParentID
		}
	}
	err := readLocation(&pl, r.PostFormValue("latitude"), r.PostFormValue("longitude"))
	// An edit carries the place's version; a new place the form's nonce,
	// so that the same form sent again goes to the first one, not to
	// "this code is taken".
	ctx := r.Context()
	if err == nil && pl.ID == "" {
		ctx, err = h.formSending(r, "place:new")
	}
	var saved places.Place
	if err == nil {
		saved, err = h.DB.SavePlace(ctx, pl, httpx.Actor(r))
	}
	if h.sentBefore(w, r, err, "flash.resend_saved", func(id string) string { return "/places/" + id }) {
		return
	}
	if err != nil {
		fe, status, ok := h.formError(r, err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		f, ferr := h.placeFormFor(r, pl)
		if ferr != nil {
			h.fail(w, r, ferr)
			return
		}
		f.Lat, f.Lon = r.PostFormValue("latitude"), r.PostFormValue("longitude")
		title := "place.edit"
		if f.New {
			title = "place.new"
		}
		v := h.view(r, title, f)
		v.Error = fe
		h.render(w, r, status, "place_form", v)
		return
	}
	h.redirectWithFlash(w, r, "/places/"+saved.ID, "flash.saved")
}
