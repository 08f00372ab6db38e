import Foundation
import TestSupport
import VideoIO
import XCTest

/// Shared helpers for the VideoIO tests: expected values from the committed fixtures.
enum VideoFixtures {
    /// ffprobe's `best_effort_timestamp` list for a fixture (see Fixtures/video/make-video-fixtures.sh), in
    /// seconds, computed as `ticks × num / den` the way FFmpeg timestamps are converted.
    static func ffprobeTimestamps(_ name: String) throws -> [Double] {
        let text = try String(contentsOf: TestPaths.fixture("video/\(name).best_effort_timestamps"), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let base = lines.removeFirst().split(separator: "/").compactMap { Double($0) }
        XCTAssertEqual(base.count, 2, "time base line of \(name)")
        return lines.compactMap(Int64.init).map { seconds(ticks: $0, num: base[0], den: base[1]) }
    }

    /// `ticks` of a `num/den` time base in seconds.
    static func seconds(ticks: Int64, num: Double, den: Double) -> Double { Double(ticks) * num / den }

    /// Raw gray bytes of a fixture.
    static func gray(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestPaths.fixture("video/\(name)")))
    }

    /// Checks that `pixels` match the ffmpeg CLI's `reference` within two gray levels and within half a
    /// level on average: scaled frames are scaled as gray and range-converted afterwards (`GrayConverter`),
    /// where the CLI converts while scaling, so the stretch (×255/219) enlarges the scaler's rounding.
    static func assertCloseToCLI(_ pixels: [UInt8], _ reference: [UInt8], file: StaticString = #filePath,
                                 line: UInt = #line) {
        XCTAssertEqual(pixels.count, reference.count, file: file, line: line)
        let differences = zip(pixels, reference).map { abs(Int($0) - Int($1)) }
        XCTAssertLessThanOrEqual(differences.max() ?? 0, 2, file: file, line: line)
        XCTAssertLessThan(Double(differences.reduce(0, +)) / Double(max(1, differences.count)), 0.5, file: file, line: line)
    }

    /// Every delivered frame of `url`.
    static func readAll(_ url: URL, options: VideoReadOptions = .init()) throws -> (VideoReader, [VideoFrame]) {
        let reader = try VideoReader(url: url, options: options)
        var frames: [VideoFrame] = []
        while let frame = try reader.next() { frames.append(frame) }
        return (reader, frames)
    }
}
