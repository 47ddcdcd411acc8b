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
	node, holder, gen, err := db.lease(ctx)
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

// reclaim replaces a lost lease with a new number (from renew, which owns l).
func (db *DB) reclaim(l *nodeLease) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	node, holder, gen, err := db.lease(ctx)
	if err != nil {
		return err
	}
	db.mu.Lock()
	l.node, l.holder, db.ids = node, holder, gen
	db.mu.Unlock()
	return nil
}

// lease takes the lowest node number whose lease has run out.
func (db *DB) lease(ctx context.Context) (int, string, *ids.Generator, error) {
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
		return 0, "", nil, fmt.Errorf("store: claim node: %w", err)
	}
	gen, err := ids.New(node, db.clock)
	return node, holder, gen, err
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
			db.renewOnce(l)
		}
	}
}

// renewOnce extends the lease, or replaces it when it was lost.
func (db *DB) renewOnce(l *nodeLease) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	var held int64
	err := db.Write(ctx, func(tx *Tx) (err error) {
		held, err = tx.Exec(`UPDATE nodes SET expires_at = ? WHERE id = ? AND holder = ?`,
			Micros(tx.Now)+leaseFor.Microseconds(), l.node, l.holder)
		return err
	})
	cancel()
	switch {
	case err != nil:
		// A long write transaction (a bulk import, a seed) can hold
		// the writer past the timeout; the next tick tries again.
		db.log.Warn("renew node lease", "node", l.node, "err", err)
	case held == 0:
		// The lease ran out before a renewal got through and another
		// process took the number: stop using it and lease another,
		// so two live processes never make ids with the same node.
		db.log.Warn("node lease lost; leasing another number", "node", l.node)
		if err := db.reclaim(l); err != nil {
			db.log.Error("lease a new node number", "err", err)
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
