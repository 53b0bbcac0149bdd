// lru_cache: a long-lived cache under steady churn, as in front of a database
// or a remote service: a hit moves its entry to the front, a miss makes an
// entry and, once the cache is full, evicts the least recently used one. A
// large live set with continuous death of old objects: the collector traces
// the whole cache to find the few evicted entries.
//
// Where Go differs from the C++'s HashMap<uint64_t, Owner<Entry>> with an
// intrusive doubly linked list through the entries: the list is the C++'s
// own (prev/next fields of the entries); the map is map[uint32]*lruEntry,
// presized for capacity + 1 entries as the C++'s reserve, whose buckets
// hold key and pointer inline (no node per entry, unlike the C++'s map);
// a value is a []uint64 of its words (the C++'s byte vector of the same
// size), one counted buffer.
package workloads

import "memstrat/work"

// LruCache is docs/workloads.md's lru_cache.
var LruCache work.Workload = &spec{
	name:       "lru_cache",
	unit:       "request",
	paramNames: []string{"capacity", "requests"},
	small:      []int64{1000, 10000},
	defaults:   []int64{20000, 400000},
	run:        runLruCache,
}

const (
	lruSeed           = 0x6c727563
	lruKeySpaceFactor = 2
	lruMinValueWords  = 4
	lruMaxValueWords  = 64
)

// prev and next link the LRU list: prev points towards the head.
type lruEntry struct {
	key        uint32
	value      []uint64
	prev, next *lruEntry
}

// lruList is the list's ends.
type lruList struct {
	head *lruEntry // most recently used
	tail *lruEntry // next to evict
}

func (l *lruList) unlink(e *lruEntry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		l.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		l.tail = e.prev
	}
}

func (l *lruList) pushFront(e *lruEntry) {
	e.prev = nil
	e.next = l.head
	if l.head != nil {
		l.head.prev = e
	} else {
		l.tail = e
	}
	l.head = e
}

// lruDigest is FNV over the words' low halves, from the value's byte size.
func lruDigest(value []uint64) uint32 {
	h := uint32(len(value) * 8)
	for _, w := range value {
		h = work.Fnv1a32Word(h, uint32(w))
	}
	return h
}

func runLruCache(params []int64, obs work.Observer, counts *work.Counts) (uint64, error) {
	if err := work.CheckParams("lru_cache", params,
		work.Param{Name: "capacity", Min: 1, Max: 100000000},
		work.Param{Name: "requests", Min: 1, Max: 10000000000}); err != nil {
		return 0, err
	}
	capacity, requests := int(params[0]), params[1]
	sum := work.NewChecksum()
	cache := make(map[uint32]*lruEntry, capacity+1)
	counts.Buffers++
	var lru lruList
	rng := work.NewRng(lruSeed)
	keySpace := uint32(lruKeySpaceFactor * capacity)
	var hits uint64
	for r := int64(0); r < requests; r++ {
		obs.RequestBegin()
		// The odd multiplier, a bijection mod 2^32, scatters popular ranks.
		key := rng.Skewed(keySpace, 3) * 0x9e3779b9
		if e := cache[key]; e != nil {
			lru.unlink(e)
			lru.pushFront(e)
			sum.Add32(lruDigest(e.value))
			hits++
		} else {
			words := rng.Between(lruMinValueWords, lruMaxValueWords)
			value := make([]uint64, words)
			counts.Buffers++
			for j := range value {
				value[j] = uint64(key * uint32(j+1))
			}
			e = &lruEntry{key: key, value: value}
			counts.Objects++
			cache[key] = e
			lru.pushFront(e)
			if len(cache) > capacity {
				victim := lru.tail
				lru.unlink(victim)
				victim.prev, victim.next = nil, nil
				sum.Add32(victim.key)
				delete(cache, victim.key)
			}
		}
		obs.RequestEnd()
		obs.UnitDone()
	}
	sum.Add(hits)
	sum.Add(uint64(len(cache)))
	return sum.Value(), nil
}
