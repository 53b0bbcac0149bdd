// request_server: an RPC/HTTP service loop over a large table of long-lived
// sessions, each request making short-lived temporaries (its text, a list of
// parsed fields, their hashes, the reply) that die when it ends: the
// workload for tail latency, since a collection lands inside whichever
// request triggers it. The session table is the live set every full
// collection marks.
//
// Where Go differs from the C++: the text and the reply are byte slices
// grown by append (Go's growth policy, invisible to Counts: each counts as
// one buffer); a field's name and value are strings copied out of the text
// (Go has no inline short strings, so every non-empty one is an allocation,
// where the C++ keeps up to 15 characters inline).
package workloads

import (
	"strconv"

	"memstrat/work"
)

// RequestServer is docs/workloads.md's request_server.
var RequestServer work.Workload = &spec{
	name:       "request_server",
	unit:       "request",
	paramNames: []string{"requests", "sessions"},
	small:      []int64{1000, 1000},
	defaults:   []int64{50000, 200000},
	run:        runRequestServer,
}

const (
	rsSeed           = 0x5e5510f5eed50001
	rsHistoryLength  = 48
	rsRecent         = 16
	rsMinFields      = 1
	rsMaxFields      = 10
	rsMaxValueLength = 40
	// Base32: one draw yields 6 characters, low bits first.
	rsAlphabet     = "abcdefghijklmnopqrstuvwxyz234567"
	rsCharBits     = 5
	rsCharsPerDraw = 32 / rsCharBits
)

var (
	rsVerbs = [...]string{"get", "put", "list", "delete", "watch", "patch", "head", "post"}
	rsNames = [...]string{"user", "path", "lang", "q", "ref", "ua", "cookie", "ts", "page", "sort"}
)

// Long-lived per-client state, all of it in place except the history
// buffer made with the session: a request only overwrites it.
type rsSession struct {
	history    []uint32
	recent     [rsRecent]uint32
	id         uint64
	requests   uint64
	bytesIn    uint64
	digest     uint32
	nextRecent uint32
}

// One name=value pair of a parsed request, linked in request order.
type rsField struct {
	name  string
	value string
	hash  uint32
	next  *rsField
}

// rsSynthesize is the request as it arrives off the wire, grown by appends.
func rsSynthesize(rng *work.Rng, sid uint64) []byte {
	var text []byte
	text = append(text, "sid="...)
	text = strconv.AppendUint(text, sid, 10)
	text = append(text, "&op="...)
	text = append(text, rsVerbs[rng.Below(uint32(len(rsVerbs)))]...)
	fields := rng.Between(rsMinFields, rsMaxFields)
	for i := int64(0); i < fields; i++ {
		text = append(text, '&')
		text = append(text, rsNames[rng.Below(uint32(len(rsNames)))]...)
		text = append(text, '=')
		length := rng.Between(1, rsMaxValueLength)
		var bits uint32
		for j := int64(0); j < length; j++ {
			if j%rsCharsPerDraw == 0 {
				bits = rng.Next()
			}
			text = append(text, rsAlphabet[bits%uint32(len(rsAlphabet))])
			bits >>= rsCharBits
		}
	}
	return text
}

func rsIndex(text []byte, c byte, from, to int) int {
	for i := from; i < to; i++ {
		if text[i] == c {
			return i
		}
	}
	return to
}

// rsParse splits "a=b&c=d" into a list of fields in request order.
func rsParse(text []byte, counts *work.Counts) *rsField {
	var head, tail *rsField
	start, end := 0, len(text)
	for start < end {
		amp := rsIndex(text, '&', start, end)
		eq := rsIndex(text, '=', start, amp)
		name := string(text[start:eq])
		value := ""
		if eq < amp {
			value = string(text[eq+1 : amp])
		}
		f := &rsField{name: name, value: value, hash: work.Fnv1a32(value)}
		counts.Objects++
		if len(name) > 0 {
			counts.Buffers++
		}
		if len(value) > 0 {
			counts.Buffers++
		}
		if tail == nil {
			head = f
		} else {
			tail.next = f
		}
		tail = f
		start = amp + 1
	}
	return head
}

func rsServe(rng *work.Rng, sessions []*rsSession, counts *work.Counts) uint32 {
	text := rsSynthesize(rng, uint64(rng.Below(uint32(len(sessions)))))
	fields := rsParse(text, counts)

	count := 0
	for f := fields; f != nil; f = f.next {
		count++
	}
	hashes := make([]uint32, 0, count)
	counts.Buffers += 2 // the text and the hashes
	for f := fields; f != nil; f = f.next {
		hashes = append(hashes, f.hash)
	}

	// The first field is sid=<index>, as rsSynthesize wrote it.
	sid, err := strconv.ParseUint(fields.value, 10, 64)
	if err != nil {
		panic("request_server: unparsable sid " + fields.value)
	}
	session := sessions[sid]
	session.requests++
	session.bytesIn += uint64(len(text))
	for _, h := range hashes {
		session.recent[session.nextRecent%rsRecent] = h
		session.nextRecent++
		session.history[h%rsHistoryLength] += h
		session.digest = work.Fnv1a32Word(session.digest, h)
	}

	var reply []byte
	counts.Buffers++
	reply = append(reply, "ok sid="...)
	reply = strconv.AppendUint(reply, session.id, 10)
	reply = append(reply, " n="...)
	reply = strconv.AppendUint(reply, session.requests, 10)
	// Every field after sid, echoed with its hash in lowercase hex.
	for f := fields.next; f != nil; f = f.next {
		reply = append(reply, ' ')
		reply = append(reply, f.name...)
		reply = append(reply, '=')
		reply = strconv.AppendUint(reply, uint64(f.hash), 16)
	}
	return work.Fnv1a32Bytes(reply) ^ session.digest
}

func runRequestServer(params []int64, obs work.Observer, counts *work.Counts) (uint64, error) {
	if err := work.CheckParams("request_server", params,
		work.Param{Name: "requests", Min: 1, Max: 100000000},
		work.Param{Name: "sessions", Min: 1, Max: 10000000}); err != nil {
		return 0, err
	}
	requests, sessionCount := params[0], params[1]
	sum := work.NewChecksum()
	rng := work.NewRng(rsSeed)
	sessions := make([]*rsSession, sessionCount)
	counts.Buffers++
	for i := range sessions {
		history := make([]uint32, rsHistoryLength)
		for j := range history {
			history[j] = rng.Next()
		}
		sessions[i] = &rsSession{history: history, id: uint64(i)}
		counts.Objects++
		counts.Buffers++
	}
	for r := int64(0); r < requests; r++ {
		obs.RequestBegin()
		sum.Add32(rsServe(&rng, sessions, counts))
		obs.RequestEnd()
		obs.UnitDone()
	}
	for i, session := range sessions {
		var history uint32
		for _, h := range session.history {
			history ^= h
		}
		sum.Add32(session.digest)
		sum.Add(session.requests)
		sum.Add(session.bytesIn)
		sum.Add32(history)
		sum.Add32(session.recent[session.nextRecent%rsRecent])
		sessions[i] = nil
	}
	return sum.Value(), nil
}
