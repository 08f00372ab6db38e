import XCTest
@testable import VideoIO

/// The H.264 byte-level readers under `H264ReferenceAnalyzer`: Exp-Golomb codes, emulation prevention,
/// NAL unit splitting and the avcC record, on hand-made bytes whose values were worked out by hand.
final class H264BitstreamTests: XCTestCase {
    private func reader<T>(_ bytes: [UInt8], _ body: (inout H264BitReader) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { buffer in
            var reader = H264BitReader(buffer)
            return try body(&reader)
        }
    }

    func testUnsignedExpGolombCodes() throws {
        // 1 | 010 | 011 | 00100 | 0000 (padding): ue 0, 1, 2, 3.
        let values = try reader([0xA6, 0x40]) { r in [try r.ue(), try r.ue(), try r.ue(), try r.ue()] }
        XCTAssertEqual(values, [0, 1, 2, 3])
        // 0000000 1 0000000 (7 zeros, 1, 7 bits of 0): 2^7 − 1 = 127; then 0000 1 1110: 2^4 − 1 + 14 = 29.
        let longer = try reader([0x01, 0x00, 0x1E]) { r in [try r.ue(), try r.ue()] }
        XCTAssertEqual(longer, [127, 29])
    }

    func testSignedExpGolombCodes() throws {
        // Code numbers 1, 2, 3, 4 (010 011 00100 00101) map to +1, −1, +2, −2.
        let values = try reader([0x4C, 0x85]) { r in [try r.se(), try r.se(), try r.se(), try r.se()] }
        XCTAssertEqual(values, [1, -1, 2, -2])
    }

    func testEmulationPreventionBytesAreDropped() throws {
        // 00 00 [03] 01 00 00 [03] 00 00 [03] 02: the RBSP is 00 00 01 00 00 00 00 02. A 03 after a
        // dropped 03 and two new zeros is dropped again.
        let values = try reader([0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x02]) { r in
            [try r.bits(24), try r.bits(32), try r.bits(8)]
        }
        XCTAssertEqual(values, [1, 0, 2])
        // A 03 after a single zero is data.
        XCTAssertEqual(try reader([0x00, 0x03, 0x03]) { r in try r.bits(24) }, 0x0303)
        // 00 00 [03] 00 00 01: 39 zero bits before the first one, too long for an Exp-Golomb code.
        XCTAssertThrowsError(try reader([0x00, 0x00, 0x03, 0x00, 0x00, 0x01]) { r in try r.ue() })
    }

    func testReadingPastTheEndThrows() throws {
        XCTAssertThrowsError(try reader([0xFF]) { r in try r.bits(9) })
        XCTAssertThrowsError(try reader([0x00]) { r in try r.ue() })
    }

    private func units(_ bytes: [UInt8], _ layout: H264PacketLayout) throws -> [[UInt8]] {
        try bytes.withUnsafeBytes { buffer in try layout.nalUnits(in: buffer).map { Array(buffer[$0]) } }
    }

    func testLengthPrefixedSplitting() throws {
        let packet: [UInt8] = [0, 0, 0, 2, 0x65, 0x88, 0, 0, 0, 1, 0x06]
        XCTAssertEqual(try units(packet, .lengthPrefixed(lengthSize: 4)), [[0x65, 0x88], [0x06]])
        XCTAssertEqual(try units([0, 3, 0x41, 0x9A, 0x00, 0, 1, 0x09], .lengthPrefixed(lengthSize: 2)),
                       [[0x41, 0x9A, 0x00], [0x09]])
        XCTAssertThrowsError(try units([0, 0, 0, 5, 0x65, 0x88], .lengthPrefixed(lengthSize: 4)))
        XCTAssertThrowsError(try units([0, 0, 0, 1, 0x65, 0, 0], .lengthPrefixed(lengthSize: 4)))
    }

    func testAnnexBSplitting() throws {
        // Four-byte and three-byte start codes; a trailing zero byte before the next start code and at the
        // end is not part of a unit.
        let stream: [UInt8] = [0, 0, 0, 1, 0x67, 0x42, 0, 0, 1, 0x68, 0xCE, 0x00, 0, 0, 0, 1, 0x65, 0x88, 0, 0]
        XCTAssertEqual(try units(stream, .annexB), [[0x67, 0x42], [0x68, 0xCE], [0x65, 0x88]])
        // Emulation prevention keeps 00 00 03 inside a unit.
        XCTAssertEqual(try units([0, 0, 1, 0x41, 0, 0, 3, 1, 0x80], .annexB), [[0x41, 0, 0, 3, 1, 0x80]])
        XCTAssertEqual(try units([0x12, 0x34], .annexB), [])
    }

    func testAvcCRecord() throws {
        // version 1, profile/compatibility/level, 0xFF (4-byte lengths), 0xE1 (one SPS), SPS of 2 bytes,
        // one PPS of 2 bytes.
        let record: [UInt8] = [1, 0x42, 0xC0, 0x1E, 0xFF, 0xE1, 0, 2, 0x67, 0x42, 1, 0, 2, 0x68, 0xCE]
        let configuration = try H264DecoderConfiguration(extradata: record)
        XCTAssertEqual(configuration.layout, .lengthPrefixed(lengthSize: 4))
        XCTAssertEqual(configuration.parameterSets, [[0x67, 0x42], [0x68, 0xCE]])
        var twoByteLengths = record
        twoByteLengths[4] = 0xFD
        XCTAssertEqual(try H264DecoderConfiguration(extradata: twoByteLengths).layout, .lengthPrefixed(lengthSize: 2))
        XCTAssertThrowsError(try H264DecoderConfiguration(extradata: Array(record.prefix(10))))
        let annexB = try H264DecoderConfiguration(extradata: [0, 0, 0, 1, 0x67, 0x42, 0, 0, 1, 0x68, 0xCE])
        XCTAssertEqual(annexB.layout, .annexB)
        XCTAssertEqual(annexB.parameterSets, [[0x67, 0x42], [0x68, 0xCE]])
        XCTAssertEqual(try H264DecoderConfiguration(extradata: []).parameterSets, [])
    }

    /// A High-profile SPS with scaling matrices: list 0 stops early (deltas 8, −16 make nextScale 0),
    /// list 2 codes 16 zero deltas, list 6 (8×8) codes 64 deltas alternating +1/−1; then POC type 1 with
    /// a two-entry cycle. The bytes (`highProfileSPS`) read back in FFmpeg's trace_headers bitstream filter
    /// with exactly these values (log2_max_frame_num_minus4 5, max_num_ref_frames 3, 6×4 macroblocks).
    func testSequenceParameterSetWithScalingLists() throws {
        let sps = try Self.highProfileSPS.withUnsafeBytes { try H264SequenceParameterSet(nal: $0) }
        XCTAssertEqual(sps.profileIDC, 100)
        XCTAssertEqual(sps.id, 0)
        XCTAssertEqual(sps.chromaFormatIDC, 1)
        XCTAssertEqual(sps.log2MaxFrameNum, 9)
        XCTAssertEqual(sps.picOrderCountType, 1)
        XCTAssertFalse(sps.deltaPicOrderAlwaysZero)
        XCTAssertEqual(sps.maxNumRefFrames, 3)
        XCTAssertFalse(sps.gapsInFrameNumAllowed)
        XCTAssertEqual(sps.widthInMacroblocks, 6)
        XCTAssertEqual(sps.heightInMapUnits, 4)
        XCTAssertTrue(sps.frameMacroblocksOnly)
    }

    /// The SPS NAL unit of `testSequenceParameterSetWithScalingLists`, written with `BitWriter`.
    static let highProfileSPS: [UInt8] = {
        var w = BitWriter()
        w.u(0x67, 8)                     // NAL header: nal_ref_idc 3, type 7
        w.u(100, 8); w.u(0, 8); w.u(30, 8)  // profile_idc, constraint flags, level_idc
        w.ue(0)                          // seq_parameter_set_id
        w.ue(1); w.ue(0); w.ue(0); w.u(0, 1)  // chroma_format_idc, bit depths, qpprime flag
        w.u(1, 1)                        // seq_scaling_matrix_present_flag
        w.u(1, 1); w.se(8); w.se(-16)    // list 0: 8 → 16 → 0 (stop)
        w.u(0, 1)                        // list 1 absent
        w.u(1, 1); for _ in 0..<16 { w.se(0) }  // list 2: flat
        w.u(0, 1); w.u(0, 1); w.u(0, 1)  // lists 3–5 absent
        w.u(1, 1); for j in 0..<64 { w.se(j % 2 == 0 ? 1 : -1) }  // list 6
        w.u(0, 1)                        // list 7 absent
        w.ue(5)                          // log2_max_frame_num_minus4
        w.ue(1); w.u(0, 1); w.se(-2); w.se(1); w.ue(2); w.se(3); w.se(-4)  // POC type 1
        w.ue(3); w.u(0, 1)               // max_num_ref_frames, gaps_in_frame_num_value_allowed_flag
        w.ue(5); w.ue(3); w.u(1, 1)      // width/height in macroblocks − 1, frame_mbs_only_flag
        w.u(1, 1); w.u(0, 1); w.u(0, 1)  // direct_8x8_inference_flag, frame_cropping_flag, vui flag
        return w.nalUnit()
    }()
}

/// Writes bits for hand-made H.264 test units.
struct BitWriter {
    private var bits: [Bool] = []

    mutating func u(_ value: Int, _ count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
    }

    mutating func ue(_ value: Int) {
        let code = value + 1
        let length = Int.bitWidth - code.leadingZeroBitCount
        u(0, length - 1)
        u(code, length)
    }

    mutating func se(_ value: Int) { ue(value > 0 ? 2 * value - 1 : -2 * value) }

    /// The bits with the RBSP stop bit and alignment, emulation prevention inserted (after the header).
    func nalUnit() -> [UInt8] {
        var all = bits + [true]
        while all.count % 8 != 0 { all.append(false) }
        var bytes: [UInt8] = []
        var zeros = 0
        for index in stride(from: 0, to: all.count, by: 8) {
            let byte = all[index..<(index + 8)].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
            if index > 0 && zeros >= 2 && byte <= 3 {
                bytes.append(3)
                zeros = 0
            }
            bytes.append(byte)
            zeros = byte == 0 ? zeros + 1 : 0
        }
        return bytes
    }
}
