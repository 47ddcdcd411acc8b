// Package sso signs people in through an OpenID Connect provider (Google,
// Microsoft, Okta, Keycloak, …): the authorisation-code flow with a state and
// a nonce, and an ID token verified against the provider's keys. It returns
// who the provider says the person is; package account decides whether that
// is one of our users (by verified email only).
package sso

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Identity is what a provider vouches for.
type Identity struct {
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// Provider is one configured OpenID Connect provider. Discovery happens on
// first use, so Tandem starts even while the provider is unreachable.
type Provider struct {
	Issuer, ClientID, ClientSecret, RedirectURL string

	mu       sync.Mutex
	config   *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func (p *Provider) setup(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.config != nil {
		return p.config, p.verifier, nil
	}
	op, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("sso: discover %s: %w", p.Issuer, err)
	}
	p.config = &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: p.RedirectURL,
		Endpoint: op.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
	p.verifier = op.Verifier(&oidc.Config{ClientID: p.ClientID})
	return p.config, p.verifier, nil
}

// AuthURL is where to send the browser, carrying state and nonce.
func (p *Provider) AuthURL(ctx context.Context, state, nonce string) (string, error) {
	c, _, err := p.setup(ctx)
	if err != nil {
		return "", err
	}
	return c.AuthCodeURL(state, oidc.Nonce(nonce)), nil
}

// Exchange trades the code for tokens, verifies the ID token (signature,
// issuer, audience, expiry, nonce) and returns the identity.
func (p *Provider) Exchange(ctx context.Context, code, nonce string) (Identity, error) {
	c, v, err := p.setup(ctx)
	if err != nil {
		return Identity{}, err
	}
	tok, err := c.Exchange(ctx, code)
	if err != nil {
		return Identity{}, fmt.Errorf("sso: exchange code: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return Identity{}, errors.New("sso: the provider sent no ID token")
	}
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("sso: verify ID token: %w", err)
	}
	if idt.Nonce != nonce {
		return Identity{}, errors.New("sso: the ID token's nonce does not match this sign-in")
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified any    `json:"email_verified"` // some providers send "true"
		Name          string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("sso: claims: %w", err)
	}
	verified := claims.EmailVerified == true || claims.EmailVerified == "true"
	return Identity{Subject: idt.Subject, Email: claims.Email, EmailVerified: verified, Name: claims.Name}, nil
}
