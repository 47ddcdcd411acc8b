package store

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/tandemcrm/tandem/internal/ids"
)

// Every process that creates records leases a node number (0..1023) from the
// nodes table and puts it into its ids. The lease is renewed while the
// process lives; a process killed without releasing it frees its number when
// the lease runs out. Two live processes can therefore never share a node
// number, and ids never collide without any global sequence.

const leaseFor = 2 * time.Minute

type nodeLease struct {
	node   int
	holder string
	stop   chan struct{}
	done   chan struct{}
}

// ClaimNode leases a node number for this process and starts renewing it.
func (db *DB) ClaimNode(ctx context.Context) error {
	host, _ := os.Hostname()
	holder := fmt.Sprintf("%s/%d/%s", host, os.Getpid(), ids.Token(6))
	node := -1
	err := db.Write(ctx, func(tx *Tx) error {
		now := Micros(tx.Now)
		rows, err := tx.Query(`SELECT id, expires_at FROM nodes ORDER BY id`)
		if err != nil {
			return err
		}
		taken := map[int]bool{}
		for rows.Next() {
			var id int
			var exp int64
			if err := rows.Scan(&id, &exp); err != nil {
				rows.Close()
				return err
			}
			taken[id] = exp > now
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for id := 0; id <= ids.MaxNode; id++ {
			if !taken[id] {
				node = id
				break
			}
		}
		if node < 0 {
			return fmt.Errorf("store: all %d node numbers are leased", ids.MaxNode+1)
		}
		_, err = tx.Exec(`INSERT INTO nodes (id, holder, expires_at) VALUES (?, ?, ?)`+
			tx.Dialect().Upsert("id", "holder = excluded.holder, expires_at = excluded.expires_at"),
			node, holder, now+leaseFor.Microseconds())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: claim node: %w", err)
	}
	gen, err := ids.New(node, db.clock)
	if err != nil {
		return err
	}
	l := &nodeLease{node: node, holder: holder, stop: make(chan struct{}), done: make(chan struct{})}
	db.mu.Lock()
	db.ids, db.node = gen, l
	db.mu.Unlock()
	go db.renew(l)
	return nil
}

// Node is the node number this process holds, or -1.
func (db *DB) Node() int {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.node == nil {
		return -1
	}
	return db.node.node
}

func (db *DB) renew(l *nodeLease) {
	defer close(l.done)
	t := time.NewTicker(leaseFor / 4)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := db.Write(ctx, func(tx *Tx) error {
				_, err := tx.Exec(`UPDATE nodes SET expires_at = ? WHERE id = ? AND holder = ?`,
					Micros(tx.Now)+leaseFor.Microseconds(), l.node, l.holder)
				return err
			})
			cancel()
			if err != nil {
				db.log.Warn("renew node lease", "node", l.node, "err", err)
			}
		}
	}
}

func (db *DB) releaseNode() {
	db.mu.Lock()
	l := db.node
	db.node = nil
	db.mu.Unlock()
	if l == nil {
		return
	}
	close(l.stop)
	<-l.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = db.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`DELETE FROM nodes WHERE id = ? AND holder = ?`, l.node, l.holder)
		return err
	})
}
