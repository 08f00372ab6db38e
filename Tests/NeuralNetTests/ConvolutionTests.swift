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
            // Tiny planes with per-position taps (`PositionTaps`, batches of 8 and more): stride 2 over 3×3 → 2×2
            // (4 of 9 taps per output), 3×3 over 2×2, 5×5 over 3×3, stride 2 over 5×5 → 3×3; stride 2 over
            // 6×6 → 3×3, too little saving for it; and a batch too small for it.
            (4, 5, 3, 2, 1, [4, 8, 3, 3]), (6, 3, 3, 1, 1, [6, 8, 2, 2]), (3, 4, 5, 1, 2, [3, 9, 3, 3]),
            (2, 3, 3, 2, 1, [2, 8, 5, 5]), (2, 3, 3, 2, 1, [2, 8, 6, 6]), (4, 5, 3, 2, 1, [4, 3, 3, 3]),
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

    /// 3×3 convolutions through Winograd against the direct convolution: F(2×2, 3×3) pooled (the stem: ReLU, 2×2
    /// max pool) and unpooled with and without a residual and ReLU (the residual blocks; unpooled 2×2 planes take
    /// `PositionTaps`, which needs as few multiply-adds without the transforms), with tiny blocks
    /// (several per worker, tile rows crossing images) and the default blocks; F(3×3, 3×3) over 3×3 planes
    /// (batches of 8 and more; smaller ones take the im2col path); on 1–3 threads.
    func testWinogradConvolutionMatchesDirectConvolution() {
        let saved = Winograd.blockTiles
        defer { Winograd.blockTiles = saved; Compute.threadCount = Compute.defaultThreadCount }
        let shapes: [[Int]] = [[4, 3, 8, 8], [6, 2, 12, 10], [5, 1, 2, 2], [8, 5, 24, 24], [9, 4, 2, 2],
                                [6, 9, 3, 3], [3, 8, 3, 3], [5, 2, 3, 3], [5, 3, 4, 4], [4, 8, 2, 2]]
        // (pool, residual, relu)
        let epilogues: [(Bool, Bool, Bool)] = [(true, false, true), (false, false, false), (false, true, true), (false, false, true)]
        for threads in [1, 2, 3] {
            Compute.threadCount = threads
            for blockTiles in [saved, 5] {
                Winograd.blockTiles = blockTiles
                for shape in shapes {
                    let (cin, n, h, w) = (shape[0], shape[1], shape[2], shape[3])
                    var rng = RandomGenerator(seed: 31)
                    let conv = Conv2d(inChannels: cin, outChannels: 7, kernelSize: 3, stride: 1, padding: 1, rng: &rng)
                    conv.bias!.value = GradientCheck.random([7], seed: 32)
                    let fused = FusedConv(conv: conv, batchNorm: nil)
                    let x = GradientCheck.random(shape, seed: 33)
                    let residual = GradientCheck.random([7, n, h, w], seed: 34)
                    let full = reference(x, conv)
                    for (pool, withResidual, relu) in epilogues where !pool || h % 2 == 0 {
                        var expected: Tensor
                        if pool {
                            expected = Tensor(shape: [7, n, h / 2, w / 2])
                            for i in 0..<expected.count {
                                let ox = i % (w / 2), oy = i / (w / 2) % (h / 2), plane = i / (w * h / 4)
                                let base = plane * h * w + 2 * oy * w + 2 * ox
                                let m = max(full.storage[base], full.storage[base + 1], full.storage[base + w], full.storage[base + w + 1])
                                expected.storage[i] = max(m, 0)
                            }
                        } else {
                            expected = full
                            for i in 0..<expected.count {
                                let v = full.storage[i] + (withResidual ? residual.storage[i] : 0)
                                expected.storage[i] = relu ? max(v, 0) : v
                            }
                        }
                        for winograd in [true, false] {
                            fused.allowsWinograd = winograd
                            var y = Tensor(shape: expected.shape)
                            x.withUnsafePointer { xp in
                                residual.withUnsafePointer { rp in
                                    y.withUnsafeMutablePointer {
                                        fused.run(xp, batch: n, height: h, width: w, into: $0, residual: withResidual ? rp : nil,
                                                  relu: relu, pool2x2: pool, threads: threads)
                                    }
                                }
                            }
                            XCTAssertLessThan(y.maxAbsDifference(expected), 1e-5,
                                              "\(shape) threads \(threads) block \(blockTiles) pool \(pool) residual \(withResidual) relu \(relu) winograd \(winograd)")
                        }
                    }
                }
            }
        }
    }

    /// The transformed weights of one hand-worked kernel: `G g Gᵀ` for g = [[1, 2, 3], [4, 5, 6], [7, 8, 9]].
    func testWinogradWeightTransform() {
        let g: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let u = g.withUnsafeBufferPointer { Winograd.transformWeights($0.baseAddress!, outChannels: 1, inChannels: 1) }
        // G g: rows g0 = (1, 2, 3), ½(g0 + g1 + g2) = (6, 7.5, 9), ½(g0 − g1 + g2) = (2, 2.5, 3), g2 = (7, 8, 9);
        // then each row (a, b, c) → (a, ½(a + b + c), ½(a − b + c), c).
        let expected: [Float] = [1, 3, 1, 3,
                                 6, 11.25, 3.75, 9,
                                 2, 3.75, 1.25, 3,
                                 7, 12, 4, 9]
        XCTAssertEqual(u, expected)
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

/// Which taps each output position of a tiny plane reads, worked out by hand.
final class PositionTapsTests: XCTestCase {
    func testPerPositionTapsOfTheSecondResidualStage() {
        // 3×3 kernel, stride 2, padding 1, 3×3 → 2×2: output (0, 0) reads input rows/columns −1…1, so kernel rows
        // and columns 1–2 (taps 4, 5, 7, 8); output (1, 1) reads 1…3, so kernel rows and columns 0–1 (0, 1, 3, 4).
        let g = ConvGeometry(inChannels: 1, batch: 1, height: 3, width: 3, kernel: 3, stride: 2, padding: 1)
        let weight = [Float](repeating: 1, count: 9)
        let plan = weight.withUnsafeBufferPointer { PositionTaps(g, weight: $0.baseAddress!, outChannels: 1) }
        XCTAssertEqual(plan?.positions.map(\.taps), [[4, 5, 7, 8], [3, 4, 6, 7], [1, 2, 4, 5], [0, 1, 3, 4]])
        XCTAssertEqual(plan?.work, 16)
        // Stride 2 over 6×6 → 3×3 (the first residual stage): outputs read rows −1…1, 1…3, 3…5, so 2, 3 and 3
        // kernel rows (and columns): 64 of 81 tap products, a 21 % saving, under the 25 % needed.
        let wide = ConvGeometry(inChannels: 1, batch: 1, height: 6, width: 6, kernel: 3, stride: 2, padding: 1)
        XCTAssertNil(weight.withUnsafeBufferPointer { PositionTaps(wide, weight: $0.baseAddress!, outChannels: 1) })
    }
}
