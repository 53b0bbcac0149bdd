// doc_tree: parse-and-discard of generated JSON documents, the
// request-scoped tree of mixed node types a service builds for every request
// (a parsed body, a config, an RPC payload) and drops when it answers: many
// small objects of different sizes made together and dead together.
//
// Where Go differs from the C++'s Value (one struct for every kind, with a
// String, a vector of members and a vector of items): a member's key is a
// field of its value, so an object's members and an array's items are one
// slice of children, grown by append (each growth is counted as a buffer:
// the workload sees cap change); a string or key is its bytes copied out of
// the text (Go has no inline short strings: every one is a buffer, where
// the C++ allocates only those beyond 15 bytes). The text is one byte slice
// sized for the largest document, as the C++'s reserved string.
package workloads

import "memstrat/work"

// DocTree is docs/workloads.md's doc_tree.
var DocTree work.Workload = &spec{
	name:       "doc_tree",
	unit:       "document",
	paramNames: []string{"documents", "nodes"},
	small:      []int64{20, 200},
	defaults:   []int64{500, 1000},
	run:        runDocTree,
}

const (
	dtSeed              = 0x6a736f6e
	dtMaxDepth          = 8
	dtMaxFanout         = 8
	dtContainerPercent  = 20
	dtStringPercent     = 45
	dtLongStringPercent = 40
	dtMaxStringLength   = 120
	dtMaxKeyLength      = 20
	dtMaxMagnitude      = 999999999
	// A comma, a key with its quotes and colon, the longest quoted string.
	dtMaxValueBytes = 1 + (dtMaxKeyLength + 3) + (dtMaxStringLength + 2)
	dtAlphabet      = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
	dtArrayTag      = 1 << 30
	dtObjectTag     = 2 << 30
)

const (
	dtNumber uint8 = iota
	dtString
	dtArray
	dtObject
)

// One struct for every kind, as tagged-union DOMs do; only its kind's
// fields are set.
type dtValue struct {
	kind     uint8
	number   int64
	text     []byte
	key      []byte // its key in the object holding it
	children []*dtValue
}

func (v *dtValue) add(child *dtValue, counts *work.Counts) {
	if len(v.children) == cap(v.children) {
		counts.Buffers++ // append makes a new backing array
	}
	v.children = append(v.children, child)
}

// dtDoc is the run's scratch: the text, the generator, the generation
// budget and the parser's position.
type dtDoc struct {
	text   []byte
	length int
	rng    work.Rng
	budget int64
	pos    int
}

func (d *dtDoc) put(c byte) {
	d.text[d.length] = c
	d.length++
}

// Generation: exactly nodes values, the root an object.
func (d *dtDoc) generate(nodes int64) {
	d.budget = nodes - 1
	d.put('{')
	for first := true; d.budget > 0; first = false {
		if !first {
			d.put(',')
		}
		d.appendKey()
		d.generateValue(1)
	}
	d.put('}')
}

func (d *dtDoc) generateValue(depth int) {
	rng := &d.rng
	d.budget--
	r := rng.Below(100)
	switch {
	case r < dtContainerPercent && depth < dtMaxDepth:
		object := r < dtContainerPercent/2
		if object {
			d.put('{')
		} else {
			d.put('[')
		}
		fanout := rng.Between(1, dtMaxFanout)
		for i := int64(0); i < fanout && d.budget > 0; i++ {
			if i > 0 {
				d.put(',')
			}
			if object {
				d.appendKey()
			}
			d.generateValue(depth + 1)
		}
		if object {
			d.put('}')
		} else {
			d.put(']')
		}
	case r < dtContainerPercent+dtStringPercent:
		var length int64
		if rng.Chance(dtLongStringPercent, 100) {
			length = rng.Between(16, dtMaxStringLength)
		} else {
			length = rng.Between(1, 15)
		}
		d.appendString(length)
	default:
		var n int64
		if rng.Chance(1, 2) {
			n = rng.Between(0, 999)
		} else {
			n = rng.Between(-dtMaxMagnitude, dtMaxMagnitude)
		}
		d.appendInteger(n)
	}
}

func (d *dtDoc) appendKey() {
	d.appendString(d.rng.Between(2, dtMaxKeyLength))
	d.put(':')
}

// 6 bits a character, 5 characters per draw, low bits first.
func (d *dtDoc) appendString(length int64) {
	d.put('"')
	var bits uint32
	for i := int64(0); i < length; i++ {
		if i%5 == 0 {
			bits = d.rng.Next()
		}
		d.put(dtAlphabet[bits&63])
		bits >>= 6
	}
	d.put('"')
}

// Decimal, written in place.
func (d *dtDoc) appendInteger(n int64) {
	if n < 0 {
		d.put('-')
		n = -n
	}
	scale := int64(1)
	for scale*10 <= n {
		scale *= 10
	}
	for ; scale > 0; scale /= 10 {
		d.put(byte('0' + n/scale%10))
	}
}

// Parsing: the generator's output is well formed by construction, so the
// parser checks nothing: the allocation pattern of a DOM parser.
func (d *dtDoc) parseValue(counts *work.Counts) *dtValue {
	text := d.text
	switch text[d.pos] {
	case '{':
		d.pos++
		v := dtMake(dtObject, 0, nil, counts)
		for text[d.pos] != '}' {
			key := d.parseString(counts)
			d.pos++ // ':'
			child := d.parseValue(counts)
			child.key = key
			v.add(child, counts)
			if text[d.pos] == ',' {
				d.pos++
			}
		}
		d.pos++
		return v
	case '[':
		d.pos++
		v := dtMake(dtArray, 0, nil, counts)
		for text[d.pos] != ']' {
			v.add(d.parseValue(counts), counts)
			if text[d.pos] == ',' {
				d.pos++
			}
		}
		d.pos++
		return v
	case '"':
		return dtMake(dtString, 0, d.parseString(counts), counts)
	default:
		negative := text[d.pos] == '-'
		if negative {
			d.pos++
		}
		var n int64
		for text[d.pos] >= '0' && text[d.pos] <= '9' {
			n = 10*n + int64(text[d.pos]-'0')
			d.pos++
		}
		if negative {
			n = -n
		}
		return dtMake(dtNumber, n, nil, counts)
	}
}

// parseString copies the bytes between the quotes at pos, leaving pos
// after them.
func (d *dtDoc) parseString(counts *work.Counts) []byte {
	begin := d.pos + 1
	end := begin
	for d.text[end] != '"' {
		end++
	}
	d.pos = end + 1
	counts.Buffers++
	return append([]byte(nil), d.text[begin:end]...)
}

func dtMake(kind uint8, number int64, text []byte, counts *work.Counts) *dtValue {
	counts.Objects++
	return &dtValue{kind: kind, number: number, text: text}
}

// Walking: every value in document order, one 32-bit word each: an integer
// as its two's complement, a string or key as its FNV-1a, an array or
// object as a tag in the top two bits over its child count.
func dtWalk(v *dtValue, sum *work.Checksum) {
	switch v.kind {
	case dtNumber:
		sum.Add32(uint32(v.number))
	case dtString:
		sum.Add32(work.Fnv1a32Bytes(v.text))
	case dtArray:
		sum.Add32(dtArrayTag | uint32(len(v.children)))
		for _, c := range v.children {
			dtWalk(c, sum)
		}
	default:
		sum.Add32(dtObjectTag | uint32(len(v.children)))
		for _, c := range v.children {
			sum.Add32(work.Fnv1a32Bytes(c.key))
			dtWalk(c, sum)
		}
	}
}

func runDocTree(params []int64, obs work.Observer, counts *work.Counts) (uint64, error) {
	if err := work.CheckParams("doc_tree", params,
		work.Param{Name: "documents", Min: 1, Max: 100000000},
		work.Param{Name: "nodes", Min: 1, Max: 1000000}); err != nil {
		return 0, err
	}
	documents, nodes := params[0], params[1]
	sum := work.NewChecksum()
	doc := dtDoc{text: make([]byte, nodes*dtMaxValueBytes)}
	counts.Buffers++
	for i := int64(0); i < documents; i++ {
		doc.length = 0
		doc.rng.Reseed(uint64(dtSeed + i))
		doc.generate(nodes)
		obs.RequestBegin()
		doc.pos = 0
		root := doc.parseValue(counts)
		dtWalk(root, &sum)
		// The C++ releases the tree here: root is dead past its last use.
		obs.RequestEnd()
		obs.UnitDone()
	}
	return sum.Value(), nil
}
