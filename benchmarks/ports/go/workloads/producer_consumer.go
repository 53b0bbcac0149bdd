// producer_consumer: a pipeline stage. The calling goroutine makes messages
// and pushes them through a bounded FIFO of 256 slots to a consumer
// goroutine, which digests and drops them: objects made on one goroutine die
// on another, and the collector has a second running goroutine to stop and
// scan. At each batch end the producer waits until the consumer has dropped
// the whole batch (the C++ arena's handshake, which every strategy runs).
// Consumption is FIFO, so neither checksum depends on the scheduling.
//
// The queue is the C++'s, line for line: a ring of 256 slots under a
// sync.Mutex with two sync.Conds (room for the producer, a message for the
// consumer) and the consumer's released count, which the batch handshake
// waits on. A buffered channel would be the idiomatic FIFO, but the
// handshake needs the released count under the same lock as the ring (a
// second channel would add one channel operation per message), and the
// same mutex and wake-ups keep the waits the C++ measures.
package workloads

import (
	"fmt"
	"sync"

	"memstrat/work"
)

// ProducerConsumer is docs/workloads.md's producer_consumer.
var ProducerConsumer work.Workload = &spec{
	name:       "producer_consumer",
	unit:       "message",
	paramNames: []string{"messages", "batch"},
	small:      []int64{5000, 100},
	defaults:   []int64{100000, 1000},
	run:        runProducerConsumer,
}

const (
	pcSeed          = 0x9c0d0ce500000001
	pcQueueCapacity = 256
	pcMaxPayload    = 16
	// A message is about a hundred nanoseconds: report every 32nd.
	pcMessagesPerUnit = 32
)

type pcMessage struct {
	// 64-bit words as in the C++ (each holds one 32-bit draw).
	payload []uint64
	id      uint64
}

func pcDigest(m *pcMessage) uint32 {
	h := uint32(m.id)
	for _, v := range m.payload {
		h = work.Fnv1a32Word(h, uint32(v))
	}
	return h
}

// pcQueue is the C++'s Queue: a bounded FIFO of messages.
type pcQueue struct {
	mu       sync.Mutex
	producer sync.Cond // room in the ring, or more released
	consumer sync.Cond // a message in the ring, or closed
	ring     []*pcMessage
	head     int
	count    int
	released uint64
	closed   bool // the producer stopped: the consumer returns
	failed   bool // the consumer stopped: the producer returns
}

func newPcQueue() *pcQueue {
	q := &pcQueue{ring: make([]*pcMessage, pcQueueCapacity)}
	q.producer.L = &q.mu
	q.consumer.L = &q.mu
	return q
}

// push is the producer's: it waits while the queue is full. False when the
// consumer has failed.
func (q *pcQueue) push(m *pcMessage) bool {
	q.mu.Lock()
	for q.count == len(q.ring) && !q.failed {
		q.producer.Wait()
	}
	if q.failed {
		q.mu.Unlock()
		return false
	}
	q.ring[(q.head+q.count)%len(q.ring)] = m
	q.count++
	q.mu.Unlock()
	q.consumer.Signal()
	return true
}

// pop is the consumer's: it records that it has released `released`
// messages, then waits for the next one; nil once the queue is closed.
func (q *pcQueue) pop(released uint64) *pcMessage {
	q.mu.Lock()
	q.released = released
	// Wakes a producer waiting for room or for the end of a batch; it takes
	// the lock only after this pop has made room.
	q.producer.Signal()
	for q.count == 0 && !q.closed {
		q.consumer.Wait()
	}
	if q.closed {
		q.mu.Unlock()
		return nil
	}
	m := q.ring[q.head]
	q.ring[q.head] = nil
	q.head = (q.head + 1) % len(q.ring)
	q.count--
	q.mu.Unlock()
	return m
}

// finish is the consumer's, after its last release (or its failure).
func (q *pcQueue) finish(released uint64, failed bool) {
	q.mu.Lock()
	q.released = released
	q.failed = q.failed || failed
	q.mu.Unlock()
	q.producer.Signal()
}

// waitReleased is the producer's: it waits until the consumer has released
// n messages. False when the consumer has failed.
func (q *pcQueue) waitReleased(n uint64) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.released < n && !q.failed {
		q.producer.Wait()
	}
	return !q.failed
}

// close is the producer's when it fails: the consumer returns instead of
// waiting for messages that will never come, so the join cannot hang.
func (q *pcQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.consumer.Signal()
}

func pcMakeMessage(rng *work.Rng, id uint64) *pcMessage {
	payload := make([]uint64, rng.Between(1, pcMaxPayload))
	for i := range payload {
		payload[i] = uint64(rng.Next())
	}
	return &pcMessage{payload: payload, id: id}
}

func runProducerConsumer(params []int64, obs work.Observer, counts *work.Counts) (sum uint64, err error) {
	if err := work.CheckParams("producer_consumer", params,
		work.Param{Name: "messages", Min: 1, Max: 1000000000},
		work.Param{Name: "batch", Min: 1, Max: 1 << 62}); err != nil {
		return 0, err
	}
	if params[1] > params[0] {
		return 0, work.Usagef("producer_consumer: batch must be in [1, messages]")
	}
	messages, batch := uint64(params[0]), uint64(params[1])
	produced := work.NewChecksum()
	consumed := work.NewChecksum()
	queue := newPcQueue()
	counts.Buffers++

	var failure interface{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var i uint64
		defer func() {
			// A panic on the consumer reaches the producer as an error, never
			// as a crash of the process.
			if r := recover(); r != nil {
				failure = r
				queue.finish(i, true)
			}
		}()
		for ; i < messages; i++ {
			m := queue.pop(i)
			if m == nil {
				return
			}
			consumed.Add32(pcDigest(m))
		}
		queue.finish(messages, false)
	}()
	// The producer's panic stops the consumer first, then goes on.
	defer func() {
		if r := recover(); r != nil {
			queue.close()
			<-done
			panic(r)
		}
	}()

	rng := work.NewRng(pcSeed)
	ok := true
	for id := uint64(0); id < messages && ok; {
		end := id + batch
		if end > messages {
			end = messages
		}
		for ; id < end && ok; id++ {
			m := pcMakeMessage(&rng, id)
			counts.Objects++
			counts.Buffers++
			produced.Add32(pcDigest(m))
			ok = queue.push(m)
			if (id+1)%pcMessagesPerUnit == 0 {
				obs.UnitDone()
			}
		}
		// The arena may rewind only when the whole batch is dead.
		ok = ok && queue.waitReleased(end)
	}
	if !ok {
		queue.close()
	}
	<-done
	if failure != nil {
		return 0, fmt.Errorf("producer_consumer: the consumer failed: %v", failure)
	}
	total := work.NewChecksum()
	total.Add(produced.Value())
	total.Add(consumed.Value())
	return total.Value(), nil
}
