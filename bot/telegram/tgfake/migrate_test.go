package tgfake_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/piket-id/piket/bot/telegram/tgfake"
)

func TestMigrateGroup(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{Limits: tgfake.NoLimits()})
	s.MigrateGroup(-4001, -1001234567890, 7, true)

	code, env := call(t, s.URL(), s.Token(), "sendMessage", map[string]any{"chat_id": -4001, "text": "x"})
	if code != http.StatusBadRequest || env.OK || env.Parameters.MigrateToChatID != -1001234567890 ||
		env.Description != "Bad Request: group chat was upgraded to a supergroup chat" {
		t.Errorf("send to the old group: got %d %+v, want 400 with migrate_to_chat_id", code, env)
	}
	if code, env := call(t, s.URL(), s.Token(), "sendMessage", map[string]any{"chat_id": -1001234567890, "text": "x"}); code != http.StatusOK || !env.OK {
		t.Errorf("send to the supergroup: got %d %+v", code, env)
	}

	_, env = call(t, s.URL(), s.Token(), "getUpdates", map[string]any{})
	var ups []models.Update
	if err := json.Unmarshal(env.Result, &ups); err != nil {
		t.Fatal(err)
	}
	if len(ups) != 2 || ups[0].Message.Chat.ID != -4001 || ups[0].Message.MigrateToChatID != -1001234567890 ||
		ups[1].Message.Chat.ID != -1001234567890 || ups[1].Message.MigrateFromChatID != -4001 ||
		ups[1].Message.Chat.Type != models.ChatTypeSupergroup {
		t.Errorf("service messages: got %+v", ups)
	}
}

func TestImmediatePoll(t *testing.T) {
	// The long poll would hold for an hour; Immediate answers at once.
	s := tgfake.New(t, tgfake.Options{Immediate: true, MaxPoll: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/bot"+s.Token()+"/getUpdates", strings.NewReader(`{"timeout":50}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("getUpdates: %v (want an answer at once)", err)
	}
	defer resp.Body.Close()
	var env envelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || !env.OK || string(env.Result) != "[]" {
		t.Errorf("got %+v, %v; want ok and no updates", env, err)
	}
}
