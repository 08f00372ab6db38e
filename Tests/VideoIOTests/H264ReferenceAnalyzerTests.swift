import CFFmpeg
import Foundation
import TestSupport
import XCTest
@testable import VideoIO

/// `H264ReferenceAnalyzer` on x264 fixtures (Fixtures/video/make-video-fixtures.sh): per-picture facts
/// against FFmpeg's trace_headers bitstream filter, verdicts against what a decoder that skips B pictures
/// (`skip_frame = AVDISCARD_BIDIR`) actually produces.
final class H264ReferenceAnalyzerTests: XCTestCase {
    /// Pictures in decode order as `ffmpeg -bsf:v trace_headers` lists them (slice_type, nal_ref_idc):
    /// upper case for reference pictures, lower case for non-reference ones. veryfast and medium make the
    /// same frame types (ffprobe's pict_type in display order: IBBPBPBBPPBBPBBBPBBBPBBPBPBBPBBBPBBPBPBBPBPPPBPBPPPPPPPBPPPP),
    /// with the middle B of each run of three a reference (B-pyramid).
    private static let bPyramidOrder = "IPBbPbPBbPPBbPBbbPBbbPBbPbPBbPBbbPBbPbPBbPbPPPbPbPPPPPPPbPPP"
    private static let noBOrder = "I" + String(repeating: "P", count: 59)

    private static func facts(_ order: String) -> [H264PictureFacts] {
        order.map { H264PictureFacts(isReference: $0.isUppercase, isBidirectional: $0 == "B" || $0 == "b") }
    }

    /// A fixture's video packets in decode order (bytes and pts) and its extradata, as FFmpeg demuxes them.
    private static func packets(_ name: String) throws -> (extradata: [UInt8], packets: [(bytes: [UInt8], pts: Int64)]) {
        let input = try MediaInput(url: TestPaths.fixture("video/\(name)"), threads: 1)
        let parameters = input.stream.pointee.codecpar.pointee
        let extradata = parameters.extradata.map { [UInt8](UnsafeBufferPointer(start: $0, count: Int(parameters.extradata_size))) } ?? []
        var packets: [(bytes: [UInt8], pts: Int64)] = []
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        while av_read_frame(input.format, packet) >= 0 {
            defer { av_packet_unref(packet) }
            guard let packet, packet.pointee.stream_index == input.streamIndex else { continue }
            packets.append(([UInt8](UnsafeBufferPointer(start: packet.pointee.data, count: Int(packet.pointee.size))),
                            packet.pointee.pts))
        }
        return (extradata, packets)
    }

    /// Runs the analyzer over a fixture: each packet's facts (nil ones left out) and the verdict.
    private static func analyse(_ name: String) throws -> (facts: [H264PictureFacts], pts: [Int64], unsafeReason: String?) {
        let (extradata, packets) = try packets(name)
        var analyzer = H264ReferenceAnalyzer(extradata: extradata)
        var facts: [H264PictureFacts] = []
        var pts: [Int64] = []
        for packet in packets {
            if let picture = packet.bytes.withUnsafeBytes({ analyzer.add(packet: $0) }) {
                facts.append(picture)
                pts.append(packet.pts)
            }
        }
        return (facts, pts, analyzer.unsafeReason)
    }

    /// The luma plane of every frame FFmpeg's H.264 decoder (one thread) outputs, by pts.
    private static func decodeLuma(_ name: String, skipFrame: AVDiscard) throws -> [Int64: [UInt8]] {
        let input = try MediaInput(url: TestPaths.fixture("video/\(name)"), threads: 1)
        input.decoder.pointee.skip_frame = skipFrame
        var planes: [Int64: [UInt8]] = [:]
        var packet = av_packet_alloc()
        var frame = av_frame_alloc()
        defer { av_packet_free(&packet); av_frame_free(&frame) }
        func receive() {
            while avcodec_receive_frame(input.decoder, frame) >= 0, let frame {
                let width = Int(frame.pointee.width), height = Int(frame.pointee.height)
                let stride = Int(frame.pointee.linesize.0)
                var luma: [UInt8] = []
                for row in 0..<height {
                    luma += UnsafeBufferPointer(start: frame.pointee.data.0! + row * stride, count: width)
                }
                planes[frame.pointee.pts] = luma
                av_frame_unref(frame)
            }
        }
        while av_read_frame(input.format, packet) >= 0 {
            if packet?.pointee.stream_index == input.streamIndex {
                XCTAssertEqual(avcodec_send_packet(input.decoder, packet), 0)
            }
            av_packet_unref(packet)
            receive()
        }
        avcodec_send_packet(input.decoder, nil)
        receive()
        return planes
    }

    func testPictureFactsMatchTraceHeaders() throws {
        for (name, order) in [("h264-veryfast.mp4", Self.bPyramidOrder), ("h264-medium.mp4", Self.bPyramidOrder),
                              ("h264-no-b.mp4", Self.noBOrder), ("h264-veryfast.h264", Self.bPyramidOrder)] {
            XCTAssertEqual(try Self.analyse(name).facts, Self.facts(order), name)
        }
    }

    func testVerdicts() throws {
        XCTAssertNil(try Self.analyse("h264-veryfast.mp4").unsafeReason)
        XCTAssertNil(try Self.analyse("h264-no-b.mp4").unsafeReason)
        // The same stream in Annex B (parameter sets in-band, no avcC) gets the same verdict.
        XCTAssertNil(try Self.analyse("h264-veryfast.h264").unsafeReason)
        let medium = try Self.analyse("h264-medium.mp4").unsafeReason
        XCTAssertNotNil(medium)
        XCTAssertTrue(medium?.contains("references a B picture") ?? false, medium ?? "nil")
    }

    /// The first P picture after the first reference B picture of the medium preset (frame_num 3, decode
    /// order I P B b P, see `bPyramidOrder`) has that B picture (frame_num 2) first in its list 0.
    func testMediumPresetReasonNamesThePictures() throws {
        XCTAssertEqual(try Self.analyse("h264-medium.mp4").unsafeReason,
                       "a P picture (frame_num 3) references a B picture (frame_num 2)")
    }

    /// Streams cut or damaged in ways the analyzer refuses: facts are still given for each picture.
    func testMissingPicturesMakeTheStreamUnsafe() throws {
        let (extradata, packets) = try Self.packets("h264-veryfast.mp4")
        func analyse(_ kept: [(bytes: [UInt8], pts: Int64)]) -> (count: Int, reason: String?) {
            var analyzer = H264ReferenceAnalyzer(extradata: extradata)
            let count = kept.compactMap { packet in packet.bytes.withUnsafeBytes { analyzer.add(packet: $0) } }.count
            return (count, analyzer.unsafeReason)
        }
        // Without its IDR picture: decoding would start from a P picture.
        let noIDR = analyse(Array(packets.dropFirst()))
        XCTAssertEqual(noIDR.count, packets.count - 1)
        XCTAssertEqual(noIDR.reason, "the stream does not start with an IDR picture")
        // Without the P picture with frame_num 1 (decode order I P B …): the B picture's frame_num 2 follows 0.
        var gap = packets
        gap.remove(at: 1)
        XCTAssertEqual(analyse(gap).reason, "frame_num gap (0 to 2)")
    }

    /// Packets without slices give no facts; a packet whose NAL lengths do not fit gives none and a reason.
    func testPacketsWithoutPicturesAndBrokenPackets() throws {
        let (extradata, packets) = try Self.packets("h264-veryfast.mp4")
        var analyzer = H264ReferenceAnalyzer(extradata: extradata)
        // A 4-byte length prefix and an access unit delimiter (type 9, primary_pic_type 7 + stop bit).
        XCTAssertNil(([0, 0, 0, 2, 0x09, 0xF0] as [UInt8]).withUnsafeBytes { analyzer.add(packet: $0) })
        XCTAssertNil(analyzer.unsafeReason)
        XCTAssertEqual(packets[0].bytes.withUnsafeBytes { analyzer.add(packet: $0) },
                       H264PictureFacts(isReference: true, isBidirectional: false))
        XCTAssertNil(Array(packets[1].bytes.dropLast()).withUnsafeBytes { analyzer.add(packet: $0) })
        XCTAssertEqual(analyzer.unsafeReason, "a NAL unit is longer than the rest of its packet")
    }

    /// Where the analyzer says safe, decoding without B (and non-reference) pictures gives every I/P
    /// reference picture bit-exactly; for the medium preset, which it calls unsafe, it does not.
    func testSkippingBPicturesKeepsIAndPPicturesExactWhenSafe() throws {
        for name in ["h264-veryfast.mp4", "h264-no-b.mp4", "h264-medium.mp4"] {
            let analysis = try Self.analyse(name)
            let kept = Set(zip(analysis.facts, analysis.pts).filter { $0.0.isReference && !$0.0.isBidirectional }.map(\.1))
            let full = try Self.decodeLuma(name, skipFrame: AVDISCARD_DEFAULT)
            let skipping = try Self.decodeLuma(name, skipFrame: AVDISCARD_BIDIR)
            XCTAssertEqual(full.count, analysis.facts.count, name)
            XCTAssertEqual(Set(skipping.keys), kept, "\(name): the skipping decode outputs the I/P reference pictures")
            let differing = kept.filter { full[$0] != skipping[$0] }.count
            if analysis.unsafeReason == nil {
                XCTAssertEqual(differing, 0, "\(name): \(differing) of \(kept.count) I/P pictures differ")
            } else {
                XCTAssertGreaterThan(differing, 0, "\(name): called unsafe, yet skipping B pictures changed nothing")
            }
        }
        XCTAssertNotNil(try Self.analyse("h264-medium.mp4").unsafeReason)
    }
}
