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

    /// BlazeFace short range as `analyze` configures it (smallest face a tenth of the frame height, as a Haar
    /// box; `LoadedDetector.blazeFaceConfiguration`), looking
    /// through the letterboxed whole frame and every tile (`BlazeFaceDetector.faces(in:)`); with `wholeOnly`,
    /// through the letterboxed whole frame alone (the view `analyze` runs on every sample).
    static func blazeFace(wholeOnly: Bool) throws -> BlazeFaceBench {
        try BlazeFaceBench(network: BlazeFaceWeights.load(BlazeFaceWeights.locate()), wholeOnly: wholeOnly)
    }
}

/// Holds one BlazeFace network per minimum face size (the tiles depend on it).
final class BlazeFaceBench {
    let network: BlazeFaceNetwork
    let wholeOnly: Bool

    init(network: BlazeFaceNetwork, wholeOnly: Bool) {
        self.network = network
        self.wholeOnly = wholeOnly
    }

    /// Detectors by frame height (their smallest face, and so their tiles, follow it).
    private var detectors: [Int: BlazeFaceDetector] = [:]

    private func detector(height: Int) -> BlazeFaceDetector {
        if let detector = detectors[height] { return detector }
        let detector = BlazeFaceDetector(network: network,
                                         configuration: BlazeFaceConfiguration(minimumFaceSide: FaceFraming.blazeFace.boxSide(
                                            Double(max(1, height / 10)), convertedFrom: .haar)))
        detectors[height] = detector
        return detector
    }

    var detector: BenchDetector {
        BenchDetector(name: wholeOnly ? "blazeface (whole frame only)" : "blazeface") { [self] pixels, width, height in
            let detector = detector(height: height)
            return pixels.withUnsafeBufferPointer { buffer in
                wholeOnly
                    ? detector.faces(in: buffer, width: width, height: height, views: [.letterbox(width: width, height: height)])
                    : detector.faces(in: buffer, width: width, height: height)
            }.map(\.box)
        }
    }
}
