package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mdp/qrterminal/v3"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store/sqlstore"
)

// ErrPairTimeout is returned by Pair when no QR code or pairing code was
// used in time (WhatsApp closes the pairing session after about 2½ min).
var ErrPairTimeout = errors.New("whatsapp: pairing timed out: no code was scanned or entered in time")

// pairClient is the part of *whatsmeow.Client pairing needs.
type pairClient interface {
	GetQRChannel(ctx context.Context) (<-chan whatsmeow.QRChannelItem, error)
	ConnectContext(ctx context.Context) error
	Disconnect()
	IsLoggedIn() bool
	PairPhone(ctx context.Context, phone string, showPushNotification bool, clientType whatsmeow.PairClientType, clientDisplayName string) (string, error)
}

var _ pairClient = (*whatsmeow.Client)(nil)

// Pair links the session store to a WhatsApp account, for
// `piket whatsapp pair`. If a device is already linked it says so and
// returns. Otherwise it shows a QR code in the terminal (refreshed as
// WhatsApp rotates it) or, when phone is given, an 8-character pairing code
// to type on the phone. It returns nil once pairing succeeded, ErrPairTimeout
// if nothing was scanned in time, or an error when ctx ends or WhatsApp
// refuses.
func Pair(ctx context.Context, container *sqlstore.Container, out io.Writer, phone string, opts ...PairOption) error {
	var o pairOptions
	for _, f := range opts {
		f(&o)
	}
	device, err := container.GetFirstDevice(ctx)
	if err != nil {
		return fmt.Errorf("whatsapp: pair: load device: %w", err)
	}
	if jid := device.GetJID(); !jid.IsEmpty() {
		fmt.Fprintf(out, "WhatsApp sudah tertaut ke nomor %s.\n"+
			"Untuk menautkan ulang: hapus perangkat ini di WhatsApp → Perangkat tertaut,\n"+
			"hentikan Piket, hapus file sesi WhatsApp, lalu jalankan perintah ini lagi.\n", phoneOf(jid))
		return nil
	}
	cli := NewClient(device, nil)
	cli.EnableAutoReconnect = false // a pairing attempt that fails is over
	return pair(ctx, cli, out, phone, time.Second, o.onQR)
}

// PairOption tunes Pair.
type PairOption func(*pairOptions)

type pairOptions struct {
	onQR func(code string)
}

// OnQR makes Pair also hand each QR code's payload to f as it is shown
// in the terminal (the end-to-end tests scan it with the emulator's
// phone). f runs on Pair's goroutine and must not block.
func OnQR(f func(code string)) PairOption {
	return func(o *pairOptions) { o.onQR = f }
}

// pair runs the pairing conversation on cli. poll is how often it checks
// for the login that follows a successful pairing; onQR, if set, gets
// each QR code shown.
func pair(ctx context.Context, cli pairClient, out io.Writer, phone string, poll time.Duration, onQR func(string)) error {
	if phone != "" {
		var err error
		if phone, err = pairingPhone(phone); err != nil {
			return err
		}
	}
	qrs, err := cli.GetQRChannel(ctx)
	if err != nil {
		return fmt.Errorf("whatsapp: pair: %w", err)
	}
	if err := cli.ConnectContext(ctx); err != nil {
		return fmt.Errorf("whatsapp: pair: connect: %w", err)
	}
	defer cli.Disconnect()

	shown := 0
	for {
		var item whatsmeow.QRChannelItem
		var open bool
		select {
		case <-ctx.Done():
			return fmt.Errorf("whatsapp: pair: %w", ctx.Err())
		case item, open = <-qrs:
		}
		if !open {
			if ctx.Err() != nil {
				return fmt.Errorf("whatsapp: pair: %w", ctx.Err())
			}
			return ErrPairTimeout
		}
		switch item.Event {
		case whatsmeow.QRChannelEventCode:
			if phone != "" {
				if shown == 0 {
					code, err := cli.PairPhone(ctx, phone, true, whatsmeow.PairClientChrome, "Chrome (Linux)")
					if err != nil {
						return fmt.Errorf("whatsapp: pair: request pairing code: %w", err)
					}
					printPairingCode(out, code)
				}
				shown++
				continue
			}
			printQR(out, item.Code, shown == 0)
			if onQR != nil {
				onQR(item.Code)
			}
			shown++
		case whatsmeow.QRChannelSuccess.Event:
			fmt.Fprintln(out, "Berhasil! WhatsApp Piket sudah tertaut. Menyelesaikan login…")
			waitLoggedIn(ctx, cli, poll, 30*time.Second)
			fmt.Fprintln(out, "Selesai. Jalankan Piket seperti biasa.")
			return nil
		case whatsmeow.QRChannelTimeout.Event:
			return ErrPairTimeout
		case whatsmeow.QRChannelEventError:
			return fmt.Errorf("whatsapp: pair: rejected: %w", item.Error)
		case whatsmeow.QRChannelClientOutdated.Event:
			return errors.New("whatsapp: pair: WhatsApp rejected this client version; update Piket")
		case whatsmeow.QRChannelScannedWithoutMultidevice.Event:
			fmt.Fprintln(out, "Ponsel ini belum mendukung perangkat tertaut; perbarui WhatsApp lalu pindai lagi.")
		default:
			return fmt.Errorf("whatsapp: pair: unexpected pairing state %q", item.Event)
		}
	}
}

// pairingPhone normalizes a phone number for PairPhone: digits only, in
// international form. A leading 0 is taken as an Indonesian number.
func pairingPhone(s string) (string, error) {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if strings.HasPrefix(digits, "0") {
		digits = "62" + digits[1:]
	}
	if !validPhoneDigits(digits) {
		return "", errors.New("whatsapp: pair: phone must be an international number such as +6281234567890")
	}
	return digits, nil
}

func printQR(out io.Writer, code string, first bool) {
	if first {
		fmt.Fprint(out, "Tautkan WhatsApp Piket:\n"+
			"  1. Buka WhatsApp di ponsel nomor Piket.\n"+
			"  2. Ketuk ⋮ (Android) atau Setelan (iPhone) → Perangkat tertaut → Tautkan perangkat.\n"+
			"  3. Arahkan kamera ke kode QR di bawah ini.\n"+
			"Kode berganti setiap 20 detik; setelah sekitar 2 menit, jalankan perintah ini lagi.\n\n")
	} else {
		fmt.Fprint(out, "\nKode QR baru:\n\n")
	}
	qrterminal.GenerateHalfBlock(code, qrterminal.L, out)
}

func printPairingCode(out io.Writer, code string) {
	fmt.Fprintf(out, "Kode penautan: %s\n\n"+
		"  1. Buka WhatsApp di ponsel nomor Piket (akan muncul pemberitahuan).\n"+
		"  2. Ketuk ⋮ (Android) atau Setelan (iPhone) → Perangkat tertaut → Tautkan perangkat.\n"+
		"  3. Pilih \"Tautkan dengan nomor telepon saja\" dan ketik kode di atas.\n"+
		"Kode berlaku sekitar 2 menit.\n", code)
}

// waitLoggedIn gives whatsmeow time to finish the login that follows a
// pairing (it reconnects by itself), so the first real run starts clean.
func waitLoggedIn(ctx context.Context, cli pairClient, poll, limit time.Duration) {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for !cli.IsLoggedIn() {
		select {
		case <-ctx.Done():
			return
		case <-deadline.C:
			return
		case <-tick.C:
		}
	}
}
