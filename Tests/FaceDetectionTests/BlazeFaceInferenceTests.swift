import XCTest
import NeuralNet
@testable import FaceDetection
import TestSupport

/// BlazeFace's buffered forward pass (`BlazeFaceInference`) against the layer-by-layer one, and its own kernels
/// (stem columns, shortcut) by hand.
final class BlazeFaceInferenceTests: XCTestCase {
    private var inputs: Tensor!
    private var network: BlazeFaceNetwork!

    override func setUpWithError() throws {
        inputs = try SafetensorsFile(contentsOf: TestPaths.fixture("blazeface/golden.safetensors")).tensors["inputs"]!
        let weights = TestPaths.repoRoot.appendingPathComponent("Sources/FaceDetection/Models/blazeface-short-range.safetensors")
        network = try BlazeFaceNetwork(contentsOf: weights)
    }

    /// NHWC `[N, 128, 128, 3]` → channel-major `[3, N, 128, 128]`.
    private func planar(_ images: Tensor) -> Tensor {
        let n = images.shape[0], plane = 128 * 128
        var x = Tensor(shape: [3, n, 128, 128])
        for b in 0..<n { for p in 0..<plane { for c in 0..<3 { x.storage[(c * n + b) * plane + p] = images.storage[(b * plane + p) * 3 + c] } } }
        return x
    }

    func testBufferedPassMatchesTheLayerByLayerPassBitForBit() {
        let x = planar(inputs)
        let want = network.layerForward(planar: x)
        // Twice (the second run reuses the buffers), then a smaller batch in the larger buffers.
        for _ in 0..<2 {
            let got = network.forward(planar: x)
            XCTAssertEqual(got.regressors.storage, want.regressors.storage)
            XCTAssertEqual(got.classificators.storage, want.classificators.storage)
        }
        var image1: [Float] = []
        for c in 0..<3 { image1 += x.storage[((c * 3 + 1) * 128 * 128)..<((c * 3 + 2) * 128 * 128)] }
        let single = Tensor(shape: [3, 1, 128, 128], storage: image1)
        XCTAssertEqual(network.forward(planar: single).classificators.storage, network.layerForward(planar: single).classificators.storage)
    }

    /// Gray images through the one-plane stem give the RGB pass's outputs on the same images with R = G = B, up to
    /// rounding carried through 17 layers (largest difference 3.3e-5 of the value on these images: an order of
    /// magnitude inside the TFLite golden tolerance, 1e-3).
    func testGrayPassMatchesTheRGBPass() {
        let n = inputs.shape[0], plane = 128 * 128
        var gray = [Float](repeating: 0, count: n * plane)
        for b in 0..<n {
            for p in 0..<plane {
                let px = (b * plane + p) * 3
                gray[b * plane + p] = (inputs.storage[px] + inputs.storage[px + 1] + inputs.storage[px + 2]) / 3
            }
        }
        let rgb = Tensor(shape: [3, n, 128, 128], storage: gray + gray + gray)
        let want = network.layerForward(planar: rgb)
        let got = network.forward(grayBatch: n) { $0.update(from: gray, count: gray.count) }
        for (name, g, w) in [("regressors", got.regressors, want.regressors), ("scores", got.classificators, want.classificators)] {
            var worst: Float = 0
            for i in 0..<w.count { worst = max(worst, abs(g.storage[i] - w.storage[i]) / max(1, abs(w.storage[i]))) }
            XCTAssertLessThan(worst, 1e-4, name)
        }
        // Meaningful: the two face images still score a face, the gradient does not.
        for (image, face) in [(0, true), (1, true), (2, false)] {
            let best: Float = got.classificators.storage[(image * 896)..<((image + 1) * 896)].max()!
            XCTAssertEqual(best > 0, face, "image \(image)")
        }
    }

    func testStemColumnsByHand() {
        // One 128 × 128 plane holding 1000·row + column, so a column entry names the pixel it copied.
        var x = [Float](repeating: 0, count: 128 * 128)
        for row in 0..<128 { for column in 0..<128 { x[row * 128 + column] = Float(row * 1000 + column) } }
        var col = [Float](repeating: .nan, count: 25 * 64 * 64)
        x.withUnsafeBufferPointer { xp in
            col.withUnsafeMutableBufferPointer { BlazeFaceInference.stemColumns(xp.baseAddress!, channels: 1, batch: 1, into: $0.baseAddress!) }
        }
        func entry(ky: Int, kx: Int, oy: Int, ox: Int) -> Float { col[(ky * 5 + kx) * 4096 + oy * 64 + ox] }
        XCTAssertEqual(entry(ky: 0, kx: 0, oy: 0, ox: 0), 0)            // pixel (−1, −1): padding
        XCTAssertEqual(entry(ky: 1, kx: 0, oy: 0, ox: 5), 9)            // pixel (0, 9)
        XCTAssertEqual(entry(ky: 0, kx: 0, oy: 1, ox: 1), 1001)         // pixel (1, 1)
        XCTAssertEqual(entry(ky: 2, kx: 3, oy: 10, ox: 20), 21042)      // pixel (21, 42)
        XCTAssertEqual(entry(ky: 4, kx: 4, oy: 0, ox: 62), 3127)        // pixel (3, 127)
        XCTAssertEqual(entry(ky: 4, kx: 4, oy: 0, ox: 63), 0)           // pixel (3, 129): padding after
        XCTAssertEqual(entry(ky: 4, kx: 1, oy: 63, ox: 3), 0)           // pixel (129, 6)
        XCTAssertEqual(entry(ky: 2, kx: 1, oy: 63, ox: 3), 127006)      // pixel (127, 6)
        XCTAssertFalse(col.contains { $0.isNaN })
    }

    func testShortcutByHand() {
        // Stride 2, one input channel widened to two: the pooled input (max of 1, 5, 3, 2 = 5) is added to channel 0,
        // nothing to channel 1, then ReLU.
        var y: [Float] = [-2, -1]
        [Float(1), 5, 3, 2].withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer {
                BlazeFaceInference.addShortcutReLU(x.baseAddress!, inChannels: 1, size: 2, stride: 2, onto: $0.baseAddress!,
                                                   outChannels: 2, batch: 1)
            }
        }
        XCTAssertEqual(y, [3, 0])
        // Stride 1, same width: elementwise.
        var z: [Float] = [1, -4, 0.5, 2]
        [Float(1), 3, -1, -2].withUnsafeBufferPointer { x in
            z.withUnsafeMutableBufferPointer {
                BlazeFaceInference.addShortcutReLU(x.baseAddress!, inChannels: 1, size: 2, stride: 1, onto: $0.baseAddress!,
                                                   outChannels: 1, batch: 1)
            }
        }
        XCTAssertEqual(z, [2, 0, 0, 0])
    }
}
