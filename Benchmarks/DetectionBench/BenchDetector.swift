import FaceDetection
import Foundation

/// A detector as the benchmark runs it: a name and whole-frame detection on an 8-bit gray frame.
struct BenchDetector {
    let name: String
    let detect: ([UInt8], Int, Int) -> [FaceBox]

    /// An OpenCV cascade with `analyze`'s settings: scale factor 1.1, 5 neighbours, smallest face a tenth
    /// of the frame height, one thread.
    static func cascade(name: String, url: URL) throws -> BenchDetector {
        let detector = CascadeDetector(cascade: try Cascade(contentsOf: url), threadCount: 1)
        return BenchDetector(name: name) { pixels, width, height in
            let side = max(1, height / 10)
            let parameters = try! DetectionParameters(scaleFactor: 1.1, minNeighbors: 5,
                                                      minSize: PixelSize(width: side, height: side))
            return detector.detect(pixels: pixels, width: width, height: height, parameters: parameters).map(\.box)
        }
    }
}
