package records

import (
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Custom values travel in the API as natural JSON (a date-time is an RFC 3339
// string, a user is an id string) and are stored in the form the filter
// language reads (a date-time is Unix µs, a user an integer id).

// MergeCustom applies the values in patch to stored (a JSON merge patch: a
// null removes a value) after checking each against its definition, and
// returns the new stored map. Missing required fields are reported when
// creating.
func MergeCustom(defs []FieldDef, stored, patch map[string]any, creating bool) (map[string]any, crm.FieldErrors) {
	out := map[string]any{}
	for k, v := range stored {
		out[k] = v
	}
	fe := crm.FieldErrors{}
	byKey := map[string]FieldDef{}
	for _, d := range defs {
		byKey[d.Key] = d
	}
	for k, v := range patch {
		d, ok := byKey[k]
		name := "custom." + k
		switch {
		case !ok:
			fe.Add(name, "There is no custom field with this key.")
			continue
		case !d.RetiredAt.IsZero():
			fe.Add(name, "This field is retired; its values can no longer change.")
			continue
		case v == nil:
			delete(out, k)
			continue
		}
		sv, msg := storeValue(d, v)
		if msg != "" {
			fe.Add(name, msg)
			continue
		}
		out[k] = sv
	}
	if creating {
		for _, d := range defs {
			if _, has := out[d.Key]; d.Required && d.RetiredAt.IsZero() && !has {
				fe.Add("custom."+d.Key, d.Label+" is required.")
			}
		}
	}
	return out, fe
}

func storeValue(d FieldDef, v any) (any, string) {
	switch d.Type {
	case FieldNumber:
		return number(v)
	case FieldCurrency:
		n, msg := number(v)
		if msg == "" && n != math.Trunc(n) {
			return nil, "Give the amount in minor units (cents), as a whole number."
		}
		return n, msg
	case FieldBoolean:
		b, ok := v.(bool)
		if !ok {
			return nil, "Use true or false."
		}
		return b, ""
	case FieldDate:
		s, _ := v.(string)
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return nil, "Use a date like 2026-01-31."
		}
		return s, ""
	case FieldDateTime:
		s, _ := v.(string)
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, "Use a date and time like 2026-01-31T09:30:00Z."
		}
		return float64(store.Micros(t)), ""
	case FieldSelect:
		s, _ := v.(string)
		if !slices.Contains(d.Options, s) {
			return nil, "Choose one of: " + strings.Join(d.Options, ", ") + "."
		}
		return s, ""
	case FieldMultiSelect:
		return multi(d, v)
	case FieldUser:
		s, _ := v.(string)
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, "Give a user id (a string)."
		}
		return float64(id), ""
	}
	return text(d, v)
}

func text(d FieldDef, v any) (any, string) {
	s, ok := v.(string)
	s = strings.TrimSpace(s)
	limit := 1000
	if d.Type == FieldLongText {
		limit = 20000
	}
	switch {
	case !ok:
		return nil, "Use text."
	case len(s) > limit:
		return nil, fmt.Sprintf("Use at most %d characters.", limit)
	case d.Type == FieldURL:
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, "Use a web address starting with https://."
		}
	case d.Type == FieldEmail:
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
			return nil, "Use an email address like name@example.com."
		}
	case d.Type == FieldPhone:
		if n := len(crm.Digits(s)); n < 5 || n > 20 {
			return nil, "Use a phone number with 5 to 20 digits."
		}
	}
	return s, ""
}

func number(v any) (float64, string) {
	switch n := v.(type) {
	case float64:
		return n, ""
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		if err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, ""
		}
	}
	return 0, "Use a number."
}

func multi(d FieldDef, v any) (any, string) {
	list, ok := v.([]any)
	if !ok {
		return nil, "Use a list of options."
	}
	out := []any{}
	for _, x := range list {
		s, _ := x.(string)
		if !slices.Contains(d.Options, s) {
			return nil, "Choose from: " + strings.Join(d.Options, ", ") + "."
		}
		if !slices.Contains(out, any(s)) {
			out = append(out, s)
		}
	}
	return out, ""
}

// PresentCustom turns stored values into their API form, leaving out values
// of retired fields.
func PresentCustom(defs []FieldDef, stored map[string]any) map[string]any {
	out := map[string]any{}
	for _, d := range defs {
		v, ok := stored[d.Key]
		if !ok || !d.RetiredAt.IsZero() {
			continue
		}
		switch d.Type {
		case FieldDateTime:
			if f, ok := v.(float64); ok {
				v = store.FromMicros(int64(f)).Format(time.RFC3339)
			}
		case FieldUser:
			if f, ok := v.(float64); ok {
				v = strconv.FormatInt(int64(f), 10)
			}
		}
		out[d.Key] = v
	}
	return out
}
