package sysmail

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Sender delivers one message. messageID is stable per outbox row, so that a
// rare duplicate delivery can be recognised by the receiving side.
type Sender interface {
	Send(ctx context.Context, m Message, messageID string) error
}

// SMTP sends through the server named by TANDEM_SMTP_URL.
type SMTP struct {
	host   string
	from   string
	domain string // of the From address, for Message-IDs
	opts   []gomail.Option
}

// NewSMTP parses TANDEM_SMTP_URL:
//
//	smtp://USER:PASS@HOST:PORT   STARTTLS required (default port 587)
//	smtps://USER:PASS@HOST:PORT  TLS from the start (default port 465)
//
// with optional query parameters from=ADDRESS (default defaultFrom),
// tls=starttls|opportunistic|none (smtp:// only; "none" for a local relay)
// and auth=auto|plain|login|cram-md5|scram-sha-256 (default auto, which picks
// the strongest mechanism the server offers and never sends a plain password
// without TLS). Errors never repeat the URL, which holds the password.
func NewSMTP(rawURL, defaultFrom string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, errors.New("sysmail: TANDEM_SMTP_URL is not smtp://USER:PASS@HOST:PORT or smtps://…")
	}
	q := u.Query()
	s := &SMTP{host: u.Hostname(), from: defaultFrom}
	if v := q.Get("from"); v != "" {
		s.from = v
	}
	from, err := mail.ParseAddress(s.from)
	if err != nil {
		return nil, fmt.Errorf("sysmail: sender address %q: add ?from=tandem@your.domain to TANDEM_SMTP_URL", s.from)
	}
	s.domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	opts, err := connOptions(u, q)
	if err != nil {
		return nil, err
	}
	s.opts = append(opts, gomail.WithTimeout(30*time.Second))
	if u.User != nil && u.User.Username() != "" {
		auth, err := authType(q.Get("auth"))
		if err != nil {
			return nil, err
		}
		pass, _ := u.User.Password()
		s.opts = append(s.opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return s, nil
}

func connOptions(u *url.URL, q url.Values) ([]gomail.Option, error) {
	port := 587
	var opts []gomail.Option
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, gomail.WithSSL())
	} else {
		policy := map[string]gomail.TLSPolicy{"": gomail.TLSMandatory, "starttls": gomail.TLSMandatory,
			"opportunistic": gomail.TLSOpportunistic, "none": gomail.NoTLS}
		p, ok := policy[q.Get("tls")]
		if !ok {
			return nil, errors.New("sysmail: TANDEM_SMTP_URL tls= must be starttls, opportunistic or none")
		}
		opts = append(opts, gomail.WithTLSPolicy(p))
	}
	if v := u.Port(); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 65535 {
			return nil, errors.New("sysmail: TANDEM_SMTP_URL has an invalid port")
		}
		port = n
	}
	return append(opts, gomail.WithPort(port)), nil
}

func authType(v string) (gomail.SMTPAuthType, error) {
	switch strings.ToLower(v) {
	case "", "auto":
		return gomail.SMTPAuthAutoDiscover, nil
	case "plain":
		return gomail.SMTPAuthPlain, nil
	case "login":
		return gomail.SMTPAuthLogin, nil
	case "cram-md5":
		return gomail.SMTPAuthCramMD5, nil
	case "scram-sha-256":
		return gomail.SMTPAuthSCRAMSHA256, nil
	}
	return "", errors.New("sysmail: TANDEM_SMTP_URL auth= must be auto, plain, login, cram-md5 or scram-sha-256")
}

// String names the server without credentials.
func (s *SMTP) String() string { return "smtp server " + s.host }

// Send delivers m on a new connection: system mail is rare, and a fresh
// connection cannot be left half-broken by an earlier failure.
func (s *SMTP) Send(ctx context.Context, m Message, messageID string) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("sysmail: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("sysmail: to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageIDWithValue(messageID + "@" + s.domain)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if a := m.Attachment; a != nil {
		if err := msg.AttachReader(a.Name, strings.NewReader(a.Body), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return fmt.Errorf("sysmail: attachment: %w", err)
		}
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("sysmail: smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("sysmail: send via %s: %w", s.host, err)
	}
	return nil
}
