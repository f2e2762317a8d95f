package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// maxUpdateSize bounds a webhook request body.
const maxUpdateSize = 1 << 20

func hashSecret(s string) [32]byte { return sha256.Sum256([]byte(s)) }

// WebhookHandler returns the http.Handler Telegram posts updates to. It
// checks the secret token, and answers 200 only after the handler returned
// nil (500 otherwise, so Telegram redelivers). Updates the core does not
// handle are answered 200 at once.
func (a *Adapter) WebhookHandler() http.Handler {
	return http.HandlerFunc(a.serveWebhook)
}

func (a *Adapter) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// Compare hashes so that neither content nor length leaks by timing.
	got := hashSecret(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
	if a.opts.Webhook.Secret == "" || subtle.ConstantTimeCompare(got[:], a.secret[:]) != 1 {
		a.log.Warn("telegram: webhook request with a wrong secret", "remote", r.RemoteAddr)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateSize+1))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	if len(raw) > maxUpdateSize {
		a.log.Warn("telegram: webhook update too large, skipped", "bytes", len(raw))
		w.WriteHeader(http.StatusOK) // redelivering it would not help
		return
	}
	id, in, mv, ok := a.decode(raw)
	if mv != nil {
		if err := a.moveChat(r.Context(), *mv); err != nil {
			a.log.Warn("telegram: moving a migrated group failed, Telegram will redeliver", "update_id", id, "err", err)
			http.Error(w, "handler failed", http.StatusInternalServerError)
			return
		}
	}
	if !ok {
		w.WriteHeader(http.StatusOK)
		return
	}
	// One chat's messages are handled in the order they arrived.
	leave, err := a.chats.enter(r.Context(), in.ChatID)
	if err != nil {
		http.Error(w, "cancelled", http.StatusServiceUnavailable)
		return
	}
	err = a.opts.Handler.Handle(r.Context(), in)
	leave()
	if err != nil {
		a.log.Warn("telegram: handler failed, Telegram will redeliver", "update_id", id, "message_id", in.MessageID, "err", err)
		http.Error(w, "handler failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// maxConnections is the concurrency asked of Telegram.
func (a *Adapter) maxConnections() int {
	if n := a.opts.Webhook.MaxConnections; n > 0 {
		return min(n, 100)
	}
	return DefaultMaxConnections
}

// chatQueue lets concurrent deliveries for one chat in one at a time, in
// the order they arrived (first come, first served), and deliveries for
// different chats side by side.
type chatQueue struct {
	mu   sync.Mutex
	tail map[string]chan struct{} // closed when the chat's last arrival leaves
}

// enter waits until every earlier arrival for chat left, and returns the
// function that lets the next one in. It fails only when ctx ends first
// (the caller then must not handle the message).
func (q *chatQueue) enter(ctx context.Context, chat string) (leave func(), err error) {
	me := make(chan struct{})
	q.mu.Lock()
	if q.tail == nil {
		q.tail = make(map[string]chan struct{})
	}
	prev := q.tail[chat]
	q.tail[chat] = me
	q.mu.Unlock()
	out := func() {
		q.mu.Lock()
		if q.tail[chat] == me {
			delete(q.tail, chat)
		}
		q.mu.Unlock()
		close(me)
	}
	if prev != nil {
		select {
		case <-prev:
		case <-ctx.Done():
			// Those behind wait for prev through this one.
			go func() { <-prev; out() }()
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// runWebhook registers the webhook with Telegram and serves it until ctx
// is done.
func (a *Adapter) runWebhook(ctx context.Context) error {
	u, err := url.Parse(a.opts.Webhook.PublicURL)
	if err != nil {
		return fmt.Errorf("telegram: webhook URL: %w", err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.Handle("POST "+path, a.WebhookHandler())
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
	}
	ln, err := net.Listen("tcp", a.opts.Webhook.Listen)
	if err != nil {
		return fmt.Errorf("telegram: webhook listen: %w", err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	// Serve first, then tell Telegram: it may post at once.
	err = a.retry(ctx, "setWebhook", func() error {
		_, err := a.client.SetWebhook(ctx, &tgbot.SetWebhookParams{
			URL:            a.opts.Webhook.PublicURL,
			SecretToken:    a.opts.Webhook.Secret,
			MaxConnections: a.maxConnections(),
			AllowedUpdates: allowedUpdates,
		})
		a.observe(ctx, "setWebhook", err)
		return err
	})
	if err == nil && ctx.Err() == nil {
		a.log.Info("telegram: webhook set", "listen", ln.Addr().String())
	}
	if err == nil {
		select {
		case <-ctx.Done():
		case err = <-served:
			err = fmt.Errorf("telegram: webhook server: %w", err)
		}
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if serr := srv.Shutdown(shutdownCtx); serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		a.log.Warn("telegram: webhook shutdown", "err", serr)
	}
	return err
}
