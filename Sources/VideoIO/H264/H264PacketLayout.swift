/// How the NAL units of an H.264 packet are delimited: MP4/Matroska store each behind a big-endian length
/// (AVCC, the length's size given by the avcC record), transport streams and raw `.h264` files separate
/// them with start codes `00 00 01` / `00 00 00 01` (Annex B).
enum H264PacketLayout: Equatable {
    case annexB
    case lengthPrefixed(lengthSize: Int)

    /// The byte ranges of the NAL units in `bytes` (header byte first), empty units left out.
    /// A length-prefixed unit that runs past the end throws; in Annex B, bytes before the first start code
    /// are ignored and zero bytes before a start code (trailing_zero_8bits) are not part of a unit.
    func nalUnits(in bytes: UnsafeRawBufferPointer) throws -> [Range<Int>] {
        switch self {
        case .annexB: return Self.annexBUnits(bytes)
        case .lengthPrefixed(let lengthSize): return try Self.lengthPrefixedUnits(bytes, lengthSize: lengthSize)
        }
    }

    private static func lengthPrefixedUnits(_ bytes: UnsafeRawBufferPointer, lengthSize: Int) throws -> [Range<Int>] {
        precondition((1...4).contains(lengthSize), "NAL length size must be 1 to 4 bytes")
        var units: [Range<Int>] = []
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= lengthSize else {
                throw H264StreamProblem("a packet ends inside a NAL unit length")
            }
            var length = 0
            for i in 0..<lengthSize { length = length << 8 | Int(bytes[offset + i]) }
            offset += lengthSize
            guard length <= bytes.count - offset else {
                throw H264StreamProblem("a NAL unit is longer than the rest of its packet")
            }
            if length > 0 { units.append(offset..<(offset + length)) }
            offset += length
        }
        return units
    }

    private static func annexBUnits(_ bytes: UnsafeRawBufferPointer) -> [Range<Int>] {
        // Positions just after each three-byte start code 00 00 01.
        var starts: [Int] = []
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i + 2] > 1 {
                i += 3
            } else if bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 1 {
                starts.append(i + 3)
                i += 3
            } else {
                i += 1
            }
        }
        var units: [Range<Int>] = []
        for (k, start) in starts.enumerated() {
            var end = k + 1 < starts.count ? starts[k + 1] - 3 : bytes.count
            while end > start && bytes[end - 1] == 0 { end -= 1 }
            if end > start { units.append(start..<end) }
        }
        return units
    }
}
