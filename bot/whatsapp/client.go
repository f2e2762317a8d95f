package whatsapp

import (
	"context"
	"fmt"
	"log/slog"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types/events"
)

// NewClient returns a whatsmeow client for device (from the container's
// GetFirstDevice), set up the way the adapter relies on:
//
//   - SynchronousAck and EnableDecryptedEventBuffer: a message is only
//     acknowledged after Piket's handler succeeded, and a redelivered
//     message can still be decrypted;
//   - EnableAutoReconnect and InitialAutoReconnect: connection drops,
//     including a failed first connect, are retried in the background.
func NewClient(device *store.Device, log *slog.Logger) *whatsmeow.Client {
	cli := whatsmeow.NewClient(device, NewLogger(log).Sub("Client"))
	cli.SynchronousAck = true
	cli.EnableDecryptedEventBuffer = true
	cli.EnableAutoReconnect = true
	cli.InitialAutoReconnect = true
	return cli
}

// Connect connects cli and waits until WhatsApp has accepted the session,
// for one-off commands such as `piket whatsapp groups`. The caller
// disconnects. It returns ErrNotPaired if the store holds no linked device.
func Connect(ctx context.Context, cli *whatsmeow.Client) error {
	if cli.Store.GetJID().IsEmpty() {
		return ErrNotPaired
	}
	done := make(chan error, 1)
	report := func(err error) {
		select {
		case done <- err:
		default:
		}
	}
	id := cli.AddEventHandler(func(evt any) {
		switch evt := evt.(type) {
		case *events.Connected:
			report(nil)
		case *events.LoggedOut:
			report(fmt.Errorf("whatsapp: session logged out; run `piket whatsapp pair` again"))
		case *events.TemporaryBan:
			report(fmt.Errorf("whatsapp: number temporarily banned: %s", evt.String()))
		case *events.ConnectFailure:
			report(fmt.Errorf("whatsapp: connection refused: %s", evt.Reason.String()))
		case *events.ClientOutdated:
			report(fmt.Errorf("whatsapp: client version rejected; update Piket"))
		}
	})
	defer cli.RemoveEventHandler(id)
	if err := cli.ConnectContext(ctx); err != nil {
		return fmt.Errorf("whatsapp: connect: %w", err)
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("whatsapp: connect: %w", ctx.Err())
	}
}
