package whatsapp

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
)

// Group is a WhatsApp group the bot's number belongs to.
type Group struct {
	JID          string // the chat ID to put in Piket's config
	Name         string
	Participants int
}

// GroupLister is the part of *whatsmeow.Client ListGroups needs.
type GroupLister interface {
	GetJoinedGroups(ctx context.Context) ([]*types.GroupInfo, error)
}

var _ GroupLister = (*whatsmeow.Client)(nil)

// ListGroups returns the groups the connected number belongs to, sorted by
// name.
func ListGroups(ctx context.Context, client GroupLister) ([]Group, error) {
	infos, err := client.GetJoinedGroups(ctx)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: list groups: %w", err)
	}
	groups := make([]Group, 0, len(infos))
	for _, g := range infos {
		if g == nil {
			continue
		}
		groups = append(groups, Group{
			JID:          chatID(g.JID),
			Name:         g.Name,
			Participants: max(len(g.Participants), g.ParticipantCount),
		})
	}
	slices.SortFunc(groups, func(a, b Group) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.JID, b.JID))
	})
	return groups, nil
}

// PrintGroups writes groups as a table for `piket whatsapp groups`.
func PrintGroups(w io.Writer, groups []Group) error {
	if len(groups) == 0 {
		_, err := fmt.Fprintln(w, "Nomor ini belum tergabung di grup WhatsApp mana pun.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID GRUP\tANGGOTA\tNAMA")
	for _, g := range groups {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", g.JID, g.Participants, printable(g.Name))
	}
	return tw.Flush()
}

// printable replaces control characters (tabs, newlines) in a group name so
// it cannot break the table.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
