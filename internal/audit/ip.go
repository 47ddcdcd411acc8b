package audit

import (
	"net/netip"
	"strings"
)

// TruncateIP keeps the network part of an address: /24 for IPv4, /48 for
// IPv6. That still tells an operator "sign-in attempts from this network"
// while no longer pointing at one household. It accepts "host:port" (as in
// http.Request.RemoteAddr) and returns "" for anything that is not an IP.
func TruncateIP(s string) string {
	s = strings.TrimSpace(s)
	addr, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return ""
		}
		addr = ap.Addr()
	}
	addr = addr.Unmap().WithZone("")
	bits := 48
	if addr.Is4() {
		bits = 24
	}
	p, err := addr.Prefix(bits)
	if err != nil {
		return ""
	}
	return p.Addr().String()
}
