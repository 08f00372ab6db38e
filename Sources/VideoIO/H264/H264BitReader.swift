/// Reads the raw byte sequence payload (RBSP) of one H.264 NAL unit bit by bit, most significant bit first,
/// dropping emulation-prevention bytes (the `03` of every `00 00 03`, §7.4.1) as it goes.
///
/// It reads straight from the caller's buffer, which must outlive the reader. Reading past the end throws.
struct H264BitReader {
    private let bytes: UnsafeRawBufferPointer
    /// Index of the next byte of `bytes` to load.
    private var next: Int
    /// How many zero bytes were loaded in a row just before `next` (emulation prevention follows two).
    private var zeroRun = 0
    private var current: UInt8 = 0
    /// Bits of `current` not yet read.
    private var bitsLeftInCurrent = 0

    /// A reader over `bytes` from `offset` on (for a NAL unit: 1, after its header byte).
    init(_ bytes: UnsafeRawBufferPointer, from offset: Int = 0) {
        self.bytes = bytes
        next = offset
    }

    /// One bit, `u(1)`.
    mutating func flag() throws -> Bool {
        if bitsLeftInCurrent == 0 { try loadByte() }
        bitsLeftInCurrent -= 1
        return (current >> bitsLeftInCurrent) & 1 == 1
    }

    /// `count` bits (0…32) as an unsigned number, `u(n)`.
    mutating func bits(_ count: Int) throws -> UInt32 {
        precondition((0...32).contains(count), "bit count out of range")
        var value: UInt32 = 0
        for _ in 0..<count { value = value << 1 | (try flag() ? 1 : 0) }
        return value
    }

    /// An unsigned Exp-Golomb number, `ue(v)` (§9.1); values above 2^32 − 2 are rejected.
    mutating func ue() throws -> UInt32 {
        var leadingZeros = 0
        while try !flag() {
            leadingZeros += 1
            if leadingZeros > 31 { throw H264StreamProblem("an Exp-Golomb code is longer than 32 bits") }
        }
        let suffix = try bits(leadingZeros)
        let value = (UInt64(1) << leadingZeros) - 1 + UInt64(suffix)
        guard value <= UInt64(UInt32.max - 1) else { throw H264StreamProblem("an Exp-Golomb code is out of range") }
        return UInt32(value)
    }

    /// `ue(v)` as an `Int`, rejected above `maximum` with a message naming `field`.
    mutating func ue(_ field: String, max maximum: Int) throws -> Int {
        let value = Int(try ue())
        guard value <= maximum else { throw H264StreamProblem("\(field) is \(value), above its maximum \(maximum)") }
        return value
    }

    /// A signed Exp-Golomb number, `se(v)` (§9.1.1): 1, −1, 2, −2, … for code numbers 1, 2, 3, 4, …
    mutating func se() throws -> Int {
        let code = Int(try ue())
        return code % 2 == 1 ? (code + 1) / 2 : -(code / 2)
    }

    /// Skips `count` bits.
    mutating func skip(_ count: Int) throws {
        for _ in 0..<count { _ = try flag() }
    }

    private mutating func loadByte() throws {
        guard next < bytes.count else { throw H264StreamProblem("a header ends early") }
        var byte = bytes[next]
        next += 1
        if zeroRun >= 2 && byte == 3 {
            zeroRun = 0
            guard next < bytes.count else { throw H264StreamProblem("a header ends early") }
            byte = bytes[next]
            next += 1
        }
        zeroRun = byte == 0 ? zeroRun + 1 : 0
        current = byte
        bitsLeftInCurrent = 8
    }
}
