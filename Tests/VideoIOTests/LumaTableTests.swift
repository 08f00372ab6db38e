import CFFmpeg
@testable import VideoIO
import XCTest

/// The equal-size gray conversion table is swscale's own, and the common formats get the vector kernels
/// (whose output the rotation and full-range fixtures compare with the ffmpeg CLI byte for byte).
final class LumaTableTests: XCTestCase {
    /// Limited-range 4:2:0 (most video) is stretched 16…235 → 0…255 with swscale's rounding. Expected values:
    /// `ffmpeg -f rawvideo -pix_fmt yuv420p -s 256x2 -i RAMP -pix_fmt gray` on a 0…255 luma ramp.
    func testLimitedRangeUsesTheStretchKernel() throws {
        let table = try XCTUnwrap(LumaTable(format: AV_PIX_FMT_YUV420P, range: AVCOL_RANGE_UNSPECIFIED))
        XCTAssertEqual(table.kernel, .limitedToFull)
        XCTAssertEqual(table.values[0], 0)
        XCTAssertEqual(table.values[16], 0)
        XCTAssertEqual(table.values[17], 1)
        XCTAssertEqual(table.values[128], 130)
        XCTAssertEqual(table.values[235], 255)
        XCTAssertEqual(table.values[255], 255)
    }

    /// Full range, by pixel format (yuvj420p, gray, NV12 tagged pc) or by tag, is copied unchanged.
    func testFullRangeIsIdentity() throws {
        for (format, range) in [(AV_PIX_FMT_YUVJ420P, AVCOL_RANGE_UNSPECIFIED), (AV_PIX_FMT_GRAY8, AVCOL_RANGE_UNSPECIFIED),
                                (AV_PIX_FMT_YUV420P, AVCOL_RANGE_JPEG), (AV_PIX_FMT_NV12, AVCOL_RANGE_JPEG)] {
            let table = try XCTUnwrap(LumaTable(format: format, range: range))
            XCTAssertEqual(table.kernel, .identity, "\(format) \(range)")
        }
    }

    /// Formats without an 8-bit luma plane go through swscale instead.
    func testRGBAndHighBitDepthHaveNoTable() {
        XCTAssertNil(LumaTable(format: AV_PIX_FMT_RGB24, range: AVCOL_RANGE_UNSPECIFIED))
        XCTAssertNil(LumaTable(format: AV_PIX_FMT_YUV420P10LE, range: AVCOL_RANGE_UNSPECIFIED))
        XCTAssertNil(LumaTable(format: AV_PIX_FMT_YUYV422, range: AVCOL_RANGE_UNSPECIFIED))
    }

    /// The kernels give the table's values on a row of every luma value (including the scalar tail).
    func testApplyMatchesTheTable() throws {
        let table = try XCTUnwrap(LumaTable(format: AV_PIX_FMT_YUV420P, range: AVCOL_RANGE_UNSPECIFIED))
        let source = (0..<259).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var output = [UInt8](repeating: 0, count: source.count)
        source.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                table.apply(source: src.baseAddress!, sourceStride: src.count, width: src.count, height: 1,
                            into: dst.baseAddress!)
            }
        }
        XCTAssertEqual(output, source.map { table.values[Int($0)] })
    }
}
