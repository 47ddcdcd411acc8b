package view

import "strconv"

func statusText(status int) string { return strconv.Itoa(status) }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
