import Foundation
import FaceDetection
import TestSupport

/// The golden data made by `Fixtures/faces/make_fixtures.py` with OpenCV 4.6.
enum FaceFixtures {
    /// Where an image comes from: a PGM file, or a canvas composed of pasted PGMs.
    struct ImageSource: Decodable {
        struct Canvas: Decodable {
            struct Paste: Decodable { let file: String; let x: Int; let y: Int }
            let width: Int
            let height: Int
            let fill: UInt8
            let pastes: [Paste]
            let fnv1a64: String
        }
        let file: String?
        let canvas: Canvas?
        let t: Double?

        /// Loads (or composes) the gray image; a composed canvas must hash to the script's value.
        func load() throws -> PGMImage {
            if let file { return try PGMImage(contentsOf: FaceFixtures.url(file)) }
            guard let canvas else { throw PGMImage.FormatError(description: "image source without file or canvas") }
            var image = PGMImage(width: canvas.width, height: canvas.height,
                                 pixels: [UInt8](repeating: canvas.fill, count: canvas.width * canvas.height))
            for paste in canvas.pastes {
                image.paste(try PGMImage(contentsOf: FaceFixtures.url(paste.file)), x: paste.x, y: paste.y)
            }
            guard image.fnv1a64 == canvas.fnv1a64 else {
                throw PGMImage.FormatError(description: "composed canvas hash \(image.fnv1a64) != \(canvas.fnv1a64)")
            }
            return image
        }
    }

    /// One image × cascade with OpenCV's grouped boxes (x, y, w, h, neighbours) and raw hits (x, y, w, h).
    struct ParityCase: Decodable {
        let name: String
        let image: ImageSource
        let cascade: String
        let boxes: [[Int]]
        let raw: [[Int]]

        var expectedFaces: [DetectedFace] {
            boxes.map { DetectedFace(box: FaceBox(x: $0[0], y: $0[1], width: $0[2], height: $0[3]), neighbors: $0[4]) }
        }
        var expectedRaw: [FaceBox] { raw.map { FaceBox(x: $0[0], y: $0[1], width: $0[2], height: $0[3]) } }
        var cascadeURL: URL { URL(fileURLWithPath: "/usr/share/opencv4/" + cascade) }
    }

    struct Parity: Decodable {
        let cases: [ParityCase]
    }

    /// Per-frame OpenCV Haar boxes for a whole video, plus the frames kept as PGM.
    struct TrackedVideo: Decodable {
        struct Frame: Decodable {
            let t: Double
            let boxes: [[Int]]
            var faces: [DetectedFace] {
                boxes.map { DetectedFace(box: FaceBox(x: $0[0], y: $0[1], width: $0[2], height: $0[3]), neighbors: $0[4]) }
            }
        }
        let pgm: [ImageSource]
        let frames: [Frame]
    }

    struct Tracks: Decodable {
        let videos: [String: TrackedVideo]
    }

    static func url(_ relative: String) -> URL { TestPaths.fixture("faces/" + relative) }

    static func parity() throws -> Parity {
        try JSONDecoder().decode(Parity.self, from: Data(contentsOf: url("parity.json")))
    }

    static func tracks() throws -> Tracks {
        try JSONDecoder().decode(Tracks.self, from: Data(contentsOf: url("tracks.json")))
    }
}
