package whatsapp

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"

	waLog "go.mau.fi/whatsmeow/util/log"
)

// NewLogger adapts a *slog.Logger to whatsmeow's waLog.Logger.
//
// whatsmeow is chatty at info level (every connection step, every app-state
// sync), so its Infof goes to slog's debug level. Its warnings and errors
// often name the JID they are about, which is a phone number or a LID: at
// those levels long digit runs are masked, keeping the last three digits
// for correlation. Debug output is passed through unchanged.
func NewLogger(log *slog.Logger) waLog.Logger {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &waLogger{log: log}
}

type waLogger struct {
	log    *slog.Logger
	module string
}

var _ waLog.Logger = (*waLogger)(nil)

func (l *waLogger) Debugf(msg string, args ...any) { l.logf(slog.LevelDebug, false, msg, args) }
func (l *waLogger) Infof(msg string, args ...any)  { l.logf(slog.LevelDebug, false, msg, args) }
func (l *waLogger) Warnf(msg string, args ...any)  { l.logf(slog.LevelWarn, true, msg, args) }
func (l *waLogger) Errorf(msg string, args ...any) { l.logf(slog.LevelError, true, msg, args) }

func (l *waLogger) Sub(module string) waLog.Logger {
	if l.module != "" {
		module = l.module + "/" + module
	}
	return &waLogger{log: l.log, module: module}
}

func (l *waLogger) logf(level slog.Level, redact bool, msg string, args []any) {
	ctx := context.Background()
	if !l.log.Enabled(ctx, level) {
		return
	}
	text := fmt.Sprintf(msg, args...)
	if redact {
		text = redactDigits(text)
	}
	if l.module != "" {
		l.log.Log(ctx, level, "whatsmeow: "+text, "module", l.module)
		return
	}
	l.log.Log(ctx, level, "whatsmeow: "+text)
}

// longDigits matches digit runs long enough to be a phone number or a LID.
var longDigits = regexp.MustCompile(`[0-9]{7,}`)

// redactDigits masks phone numbers and LIDs in s, keeping the last three
// digits of each.
func redactDigits(s string) string {
	return longDigits.ReplaceAllStringFunc(s, func(d string) string {
		return "***" + d[len(d)-3:]
	})
}
