import Foundation
import TestSupport

/// The ffmpeg/ffprobe CLI as a reference for what the Evidence code wrote.
enum MediaProbe {
    /// Runs a tool from PATH and returns its standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    /// `ffprobe -show_entries ENTRIES` of one stream (`v:0`, `a:0`) or the format, as key=value pairs.
    static func entries(_ path: String, stream: String?, _ entries: String) throws -> [String: String] {
        var arguments = ["-v", "error"]
        if let stream { arguments += ["-select_streams", stream] }
        arguments += ["-show_entries", entries, "-of", "default=nw=1", path]
        let text = String(decoding: try run("ffprobe", arguments), as: UTF8.self)
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { result[parts[0].replacingOccurrences(of: "TAG:", with: "")] = parts[1] }
        }
        return result
    }

    /// The presentation times (seconds) of the video frames ffprobe decodes.
    static func frameTimes(_ path: String) throws -> [Double] {
        let text = String(decoding: try run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                       "frame=best_effort_timestamp_time", "-of", "csv=p=0", path]), as: UTF8.self)
        return text.split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: ", "))) }
    }

    /// Frame `index` of the video at `path` decoded by the ffmpeg CLI as packed RGB24.
    static func rgbFrame(_ path: String, index: Int) throws -> [UInt8] {
        [UInt8](try run("ffmpeg", ["-v", "error", "-i", path, "-vf", "select=eq(n\\,\(index))", "-frames:v", "1",
                                   "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]))
    }
}
