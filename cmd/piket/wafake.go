//go:build wafake

package main

import (
	"os"

	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

// This file is only in a binary built with -tags wafake, for the WhatsApp
// crash test (crashtest/wa_crash_test.go), which runs that binary against
// the emulator in the test process. The default build has none of it.
//
// PIKET_WAFAKE_ADDR (the emulator's loopback host:port) sends whatsmeow's
// dials of web.whatsapp.com to the emulator and makes whatsmeow trust the
// emulator's test certificate root instead of WhatsApp's. It runs as the
// package is initialised, before any whatsmeow client copies
// http.DefaultTransport.
func init() {
	if addr := os.Getenv("PIKET_WAFAKE_ADDR"); addr != "" {
		wafake.RouteTo(addr)
	}
}
