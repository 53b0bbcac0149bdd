// list_churn: a FIFO message queue (broker, mailbox): small fixed-size
// messages pushed at the tail and popped from the head a short while later,
// so every object lives a short first-in-first-out span. As in the C++ the
// queue is a singly linked list through the messages themselves; a popped
// message is unlinked and left to the collector.
package workloads

import "memstrat/work"

// ListChurn is docs/workloads.md's list_churn.
var ListChurn work.Workload = &spec{
	name:       "list_churn",
	unit:       "message",
	paramNames: []string{"messages", "queue"},
	small:      []int64{2000, 100},
	defaults:   []int64{200000, 1000},
	run:        runListChurn,
}

const (
	lcSeed    = 0x6c6973745f636875
	lcBatches = 10
	// A message is tens of nanoseconds: report every 64th.
	lcMessagesPerUnit = 64
)

// The payload is an array in the message, as the C++'s std::array: one
// message is one object. 64-bit words as in the C++ (each one 32-bit draw).
type lcMessage struct {
	next    *lcMessage
	id      uint64
	payload [4]uint64
}

func lcDigest(m *lcMessage) uint32 {
	d := work.Fnv1a32Word(work.FnvOffsetBasis, uint32(m.id))
	for _, w := range m.payload {
		d = work.Fnv1a32Word(d, uint32(w))
	}
	return d
}

func runListChurn(params []int64, obs work.Observer, counts *work.Counts) (uint64, error) {
	if err := work.CheckParams("list_churn", params,
		work.Param{Name: "messages", Min: 1, Max: 100000000},
		work.Param{Name: "queue", Min: 0, Max: 1 << 62}); err != nil {
		return 0, err
	}
	if params[1] > params[0] {
		return 0, work.Usagef("list_churn: queue must be in [0, messages]")
	}
	messages, queue := params[0], params[1]
	sum := work.NewChecksum()
	rng := work.NewRng(lcSeed)
	var nextID uint64
	for batch := 0; batch < lcBatches; batch++ {
		var head, tail *lcMessage
		var length int64
		for i := int64(0); i < messages; i++ {
			m := &lcMessage{id: nextID}
			for j := range m.payload {
				m.payload[j] = uint64(rng.Next())
			}
			nextID++
			counts.Objects++
			if tail == nil {
				head = m
			} else {
				tail.next = m
			}
			tail = m
			length++
			if length > queue {
				// Pop: unlink the head (the C++'s take()), digest it, drop it.
				popped := head
				head = popped.next
				popped.next = nil
				if head == nil {
					tail = nil
				}
				length--
				sum.Add32(lcDigest(popped))
			}
			if nextID%lcMessagesPerUnit == 0 {
				obs.UnitDone()
			}
		}
		for length > 0 {
			popped := head
			head = popped.next
			popped.next = nil
			length--
			sum.Add32(lcDigest(popped))
		}
		tail = nil
	}
	sum.Add(nextID)
	return sum.Value(), nil
}
