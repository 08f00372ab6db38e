/// What an H.264 stream's extradata says: the packet layout and the parameter sets stored there.
///
/// Extradata starting with byte 1 is an AVCDecoderConfigurationRecord (avcC, ISO/IEC 14496-15 §5.3.3):
/// packets are length-prefixed with `lengthSizeMinusOne + 1` bytes, and the record lists SPS and PPS units.
/// Anything else is Annex B: packets use start codes and the extradata, if any, holds parameter sets the
/// same way.
struct H264DecoderConfiguration {
    let layout: H264PacketLayout
    /// The parameter-set NAL units (header byte first) in the order stored.
    let parameterSets: [[UInt8]]

    init(extradata: [UInt8]) throws {
        guard extradata.first == 1 else {
            layout = .annexB
            parameterSets = try extradata.withUnsafeBytes { buffer in
                try H264PacketLayout.annexB.nalUnits(in: buffer).map { Array(buffer[$0]) }
            }
            return
        }
        guard extradata.count >= 7 else { throw H264StreamProblem("the avcC record is shorter than 7 bytes") }
        let lengthSize = Int(extradata[4] & 3) + 1
        var sets: [[UInt8]] = []
        var offset = 6
        func readSets(count: Int) throws {
            for _ in 0..<count {
                guard offset + 2 <= extradata.count else { throw H264StreamProblem("the avcC record ends early") }
                let length = Int(extradata[offset]) << 8 | Int(extradata[offset + 1])
                offset += 2
                guard offset + length <= extradata.count else { throw H264StreamProblem("the avcC record ends early") }
                if length > 0 { sets.append(Array(extradata[offset..<(offset + length)])) }
                offset += length
            }
        }
        try readSets(count: Int(extradata[5] & 0x1F))
        guard offset < extradata.count else { throw H264StreamProblem("the avcC record ends early") }
        let ppsCount = Int(extradata[offset])
        offset += 1
        try readSets(count: ppsCount)
        layout = .lengthPrefixed(lengthSize: lengthSize)
        parameterSets = sets
    }
}
