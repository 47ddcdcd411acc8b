package crm

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Money is integer minor units of a currency plus its ISO 4217 code: no
// floats anywhere. These helpers read and write amounts for people and APIs.

// zeroDecimal and threeDecimal are the ISO 4217 currencies whose minor unit
// is not a hundredth.
var (
	zeroDecimal  = map[string]bool{"BIF": true, "CLP": true, "DJF": true, "GNF": true, "ISK": true, "JPY": true, "KMF": true, "KRW": true, "PYG": true, "RWF": true, "UGX": true, "UYI": true, "VND": true, "VUV": true, "XAF": true, "XOF": true, "XPF": true}
	threeDecimal = map[string]bool{"BHD": true, "IQD": true, "JOD": true, "KWD": true, "LYD": true, "OMR": true, "TND": true}
	currencyRE   = regexp.MustCompile(`^[A-Z]{3}$`)
	decimalRE    = regexp.MustCompile(`^(\d{1,13})(?:\.(\d+))?$`)
)

// CurrencyDecimals is the number of decimals of a currency's major unit.
func CurrencyDecimals(currency string) int {
	switch {
	case zeroDecimal[currency]:
		return 0
	case threeDecimal[currency]:
		return 3
	}
	return 2
}

// ValidCurrency reports whether c looks like an ISO 4217 code (upper case).
func ValidCurrency(c string) bool { return currencyRE.MatchString(c) }

// ParseAmount reads a non-negative decimal amount in major units ("1250.50",
// "1250", "1,250.50") into minor units of currency. More decimals than the
// currency has is an error, never a silent rounding.
func ParseAmount(s, currency string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	m := decimalRE.FindStringSubmatch(s)
	dec := CurrencyDecimals(currency)
	if m == nil {
		return 0, fmt.Errorf("use a non-negative amount like 1250.50")
	}
	frac := m[2]
	if len(frac) > dec {
		if strings.Trim(frac[dec:], "0") != "" {
			return 0, fmt.Errorf("%s has %d decimals", currency, dec)
		}
		frac = frac[:dec]
	}
	frac += strings.Repeat("0", dec-len(frac))
	n, err := strconv.ParseInt(m[1]+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("the amount is too large")
	}
	return n, nil
}

// FormatAmount writes minor units as a plain decimal in major units:
// 125050 USD → "1250.50", 1250 JPY → "1250".
func FormatAmount(minor int64, currency string) string {
	dec := CurrencyDecimals(currency)
	neg := minor < 0
	if neg {
		minor = -minor
	}
	s := strconv.FormatInt(minor, 10)
	if dec > 0 {
		s = strings.Repeat("0", max(0, dec+1-len(s))) + s
		s = s[:len(s)-dec] + "." + s[len(s)-dec:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// FormatMoney writes an amount for people: "USD 1,250.50".
func FormatMoney(minor int64, currency string) string {
	s := FormatAmount(minor, currency)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 && r != '-' && whole[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return currency + " " + b.String()
}
