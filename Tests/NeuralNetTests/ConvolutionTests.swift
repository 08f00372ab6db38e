import XCTest
@testable import NeuralNet

/// Convolution values against a direct (six-loop) reference.
final class ConvolutionTests: XCTestCase {
    /// Direct convolution over channel-major `[Cin, N, H, W]`.
    private func reference(_ x: Tensor, _ conv: Conv2d) -> Tensor {
        let (cin, n, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let k = conv.kernelSize, s = conv.stride, p = conv.padding
        let oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1
        var y = Tensor(shape: [conv.outChannels, n, oh, ow])
        for co in 0..<conv.outChannels {
            for b in 0..<n {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var acc = Double(conv.bias?.value.storage[co] ?? 0)
                        for ci in 0..<cin {
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let iy = oy * s - p + ky, ix = ox * s - p + kx
                                    guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                                    acc += Double(x.storage[((ci * n + b) * h + iy) * w + ix])
                                        * Double(conv.weight.value.storage[((co * cin + ci) * k + ky) * k + kx])
                                }
                            }
                        }
                        y.storage[((co * n + b) * oh + oy) * ow + ox] = Float(acc)
                    }
                }
            }
        }
        return y
    }

    func testForwardMatchesDirectConvolutionOnEveryPath() {
        let saved = Conv2d.blockFloats
        defer { Conv2d.blockFloats = saved; Compute.threadCount = Compute.defaultThreadCount }
        let configs: [(Int, Int, Int, Int, Int, [Int])] = [
            (3, 5, 3, 1, 1, [3, 4, 14, 14]),   // blocked path (P = 784)
            (3, 5, 3, 2, 1, [3, 2, 7, 9]),     // whole-matrix path, stride 2
            (4, 6, 1, 1, 0, [4, 3, 5, 5]),     // pointwise: no im2col
            (4, 6, 1, 2, 0, [4, 3, 5, 5]),     // strided 1×1 shortcut
            (2, 3, 5, 2, 2, [2, 2, 9, 8]),     // larger kernel and padding
            (2, 3, 5, 1, 2, [2, 3, 9, 8]),     // same-size 5×5: shifted whole-plane copies, |shift| = 2
            (2, 3, 3, 1, 0, [2, 3, 6, 7]),     // stride 1, no padding, small plane (offset-table path)
            (3, 4, 3, 2, 1, [3, 2, 20, 20]),   // stride 2, 10×10 output (general row-wise path)
            (2, 3, 3, 1, 0, [2, 2, 12, 13]),   // stride 1, no padding, 10×11 output (general row-wise path)
        ] + ConvolutionTests.deadTapConfigs
        for threads in [1, 2, 3] {
            Compute.threadCount = threads
            for blockFloats in [saved, 300] {
                Conv2d.blockFloats = blockFloats
                for (cin, cout, k, s, p, shape) in configs {
                    var rng = RandomGenerator(seed: 21)
                    let conv = Conv2d(inChannels: cin, outChannels: cout, kernelSize: k, stride: s, padding: p, rng: &rng)
                    let x = GradientCheck.random(shape, seed: 22)
                    let diff = conv.forward(x).maxAbsDifference(reference(x, conv))
                    XCTAssertLessThan(diff, 1e-5, "k\(k) s\(s) p\(p) \(shape) threads \(threads) block \(blockFloats)")
                }
            }
        }
    }

    /// Geometries with kernel taps that only ever read padding (the compact live-tap path).
    static let deadTapConfigs: [(Int, Int, Int, Int, Int, [Int])] = [
        (5, 4, 3, 1, 1, [5, 3, 1, 1]),     // 3×3 over 1×1: only the centre tap is live
        (5, 4, 3, 2, 1, [5, 2, 2, 2]),     // stride 2 over 2×2 → 1×1: taps (1,1) (1,2) (2,1) (2,2)
        (3, 2, 3, 1, 1, [3, 2, 1, 6]),     // one-row image: the top and bottom kernel rows are dead
        (2, 3, 5, 1, 2, [2, 2, 2, 1]),     // 5×5 over 2×1: rows 0 and 4 and columns 0, 1, 3, 4 dead
    ]

    func testDeadTapGeometries() {
        let g = ConvGeometry(inChannels: 1, batch: 1, height: 1, width: 1, kernel: 3, stride: 1, padding: 1)
        XCTAssertEqual(g.liveTaps, [4])
        let s2 = ConvGeometry(inChannels: 1, batch: 1, height: 2, width: 2, kernel: 3, stride: 2, padding: 1)
        XCTAssertEqual(s2.liveTaps, [4, 5, 7, 8])
        let row = ConvGeometry(inChannels: 1, batch: 1, height: 1, width: 6, kernel: 3, stride: 1, padding: 1)
        XCTAssertEqual(row.liveTaps, [3, 4, 5])
        let full = ConvGeometry(inChannels: 1, batch: 1, height: 2, width: 2, kernel: 3, stride: 1, padding: 1)
        XCTAssertFalse(full.hasDeadTaps)
        XCTAssertEqual(full.liveTaps.count, 9)
    }

    /// The inference convolution (no BatchNorm, so its weights are the layer's) on every path, dead taps included.
    func testFusedConvolutionMatchesDirectConvolution() {
        defer { Compute.threadCount = Compute.defaultThreadCount }
        let configs: [(Int, Int, Int, Int, Int, [Int])] = [
            (3, 5, 3, 1, 1, [3, 4, 14, 14]), (3, 5, 3, 2, 1, [3, 2, 7, 9]), (4, 6, 1, 1, 0, [4, 3, 5, 5]),
        ] + ConvolutionTests.deadTapConfigs
        for threads in [1, 2] {
            Compute.threadCount = threads
            for (cin, cout, k, s, p, shape) in configs {
                var rng = RandomGenerator(seed: 23)
                let conv = Conv2d(inChannels: cin, outChannels: cout, kernelSize: k, stride: s, padding: p, rng: &rng)
                let fused = FusedConv(conv: conv, batchNorm: nil)
                let x = GradientCheck.random(shape, seed: 24)
                let expected = reference(x, conv)
                var y = Tensor(shape: expected.shape)
                // Twice: the second call reuses the cached tap plan and scratch.
                for round in 0..<2 {
                    x.withUnsafePointer { xp in
                        y.withUnsafeMutablePointer { fused.run(xp, batch: shape[1], height: shape[2], width: shape[3], into: $0, relu: false, threads: threads) }
                    }
                    XCTAssertLessThan(y.maxAbsDifference(expected), 1e-5, "k\(k) s\(s) p\(p) \(shape) threads \(threads) round \(round)")
                }
            }
        }
    }

    /// Same thread count and seed → bit-identical gradients (the determinism the trainer's resume relies on).
    func testBackwardIsDeterministicForAFixedThreadCount() {
        Compute.threadCount = 2
        defer { Compute.threadCount = Compute.defaultThreadCount }
        func grads() -> [Float] {
            var rng = RandomGenerator(seed: 5)
            let conv = Conv2d(inChannels: 3, outChannels: 4, kernelSize: 3, stride: 1, padding: 1, rng: &rng)
            let x = GradientCheck.random([3, 4, 16, 16], seed: 6)
            let y = conv.forward(x)
            let dx = conv.backward(GradientCheck.random(y.shape, seed: 7))!
            return conv.weight.grad.storage + dx.storage
        }
        XCTAssertEqual(grads(), grads())
    }
}
