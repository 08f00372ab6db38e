import XCTest
@testable import NeuralNet

/// Finite-difference checks of every layer's backward pass on tiny shapes.
final class LayerGradientTests: XCTestCase {
    override func setUp() { Compute.threadCount = 2 }

    private func checkConv(cin: Int, cout: Int, k: Int, stride: Int, pad: Int, shape: [Int], bias: Bool = true) {
        var rng = RandomGenerator(seed: 1)
        let conv = Conv2d(inChannels: cin, outChannels: cout, kernelSize: k, stride: stride, padding: pad, bias: bias, rng: &rng)
        GradientCheck().run(input: GradientCheck.random(shape, seed: 2), parameters: conv.namedParameters.map { ($0.name, $0.parameter) },
                            forward: { conv.forward($0) }, backward: { conv.backward($0) })
    }

    func testConvolutions() {
        checkConv(cin: 2, cout: 3, k: 3, stride: 1, pad: 1, shape: [2, 2, 5, 5])
        checkConv(cin: 3, cout: 4, k: 3, stride: 2, pad: 1, shape: [3, 2, 5, 6])
        checkConv(cin: 3, cout: 2, k: 1, stride: 2, pad: 0, shape: [3, 2, 5, 5])
        checkConv(cin: 3, cout: 2, k: 1, stride: 1, pad: 0, shape: [3, 2, 3, 3], bias: false)
        checkConv(cin: 1, cout: 2, k: 5, stride: 1, pad: 2, shape: [1, 3, 4, 4])
        checkConv(cin: 2, cout: 3, k: 3, stride: 1, pad: 0, shape: [2, 1, 4, 5])
        // Dead taps (compact live-tap path): 3×3 over 1×1, stride 2 over 2×2, a one-row image.
        checkConv(cin: 3, cout: 2, k: 3, stride: 1, pad: 1, shape: [3, 2, 1, 1])
        checkConv(cin: 3, cout: 2, k: 3, stride: 2, pad: 1, shape: [3, 2, 2, 2])
        checkConv(cin: 2, cout: 2, k: 3, stride: 1, pad: 1, shape: [2, 2, 1, 4], bias: false)
    }

    /// Large enough for the blocked, per-worker path (≥ 256 columns per worker), with small blocks.
    func testConvolutionBlockedPath() {
        let saved = Conv2d.blockFloats
        Conv2d.blockFloats = 200
        defer { Conv2d.blockFloats = saved }
        checkConv(cin: 2, cout: 3, k: 3, stride: 1, pad: 1, shape: [2, 4, 12, 12])
        checkConv(cin: 2, cout: 3, k: 3, stride: 2, pad: 1, shape: [2, 4, 24, 24])
        checkConv(cin: 2, cout: 2, k: 5, stride: 1, pad: 2, shape: [2, 4, 11, 12])
    }

    func testBatchNormTraining() {
        let bn = BatchNorm2d(channels: 3)
        for c in 0..<3 { bn.weight.value.storage[c] = 0.5 + Float(c); bn.bias.value.storage[c] = Float(c) - 1 }
        GradientCheck(h: 1e-2, tolerance: 3e-2).run(input: GradientCheck.random([3, 2, 3, 3], seed: 3),
                                                     parameters: bn.namedParameters.map { ($0.name, $0.parameter) },
                                                     forward: { bn.forward($0, training: true) }, backward: { bn.backward($0) })
    }

    func testReLUAndSigmoid() {
        let relu = ReLU(), sigmoid = Sigmoid()
        // Keep inputs away from ReLU's kink so the central difference is exact.
        var x = GradientCheck.random([2, 3, 4], seed: 4)
        for i in 0..<x.count where abs(x.storage[i]) < 0.05 { x.storage[i] = 0.3 }
        GradientCheck().run(input: x, forward: { relu.forward($0) }, backward: { relu.backward($0) })
        GradientCheck().run(input: x, forward: { sigmoid.forward($0) }, backward: { sigmoid.backward($0) })
    }

    func testMaxPoolAndAveragePool() {
        let pool = MaxPool2d(kernelSize: 2), avg = GlobalAvgPool()
        // Distinct values so the maximum is unique under a small perturbation.
        let x = Tensor(shape: [2, 2, 4, 5], storage: (0..<80).map { Float(($0 * 37) % 80) / 10 })
        GradientCheck().run(input: x, forward: { pool.forward($0) }, backward: { pool.backward($0) })
        GradientCheck().run(input: x, forward: { avg.forward($0) }, backward: { avg.backward($0) })
    }

    func testDropoutUsesTheSameMaskBackward() {
        let dropout = Dropout(p: 0.5)
        GradientCheck().run(input: GradientCheck.random([3, 4], seed: 5), forward: {
            var rng = RandomGenerator(seed: 11)
            return dropout.forward($0, training: true, rng: &rng)
        }, backward: { dropout.backward($0) })
    }

    func testLinear() {
        var rng = RandomGenerator(seed: 6)
        let fc = Linear(inFeatures: 5, outFeatures: 3, rng: &rng)
        GradientCheck().run(input: GradientCheck.random([5, 4], seed: 7), parameters: fc.namedParameters.map { ($0.name, $0.parameter) },
                            forward: { fc.forward($0) }, backward: { fc.backward($0) })
    }

    func testSqueezeExcitation() {
        var rng = RandomGenerator(seed: 8)
        let se = SqueezeExcitation(channels: 4, hidden: 2, rng: &rng)
        GradientCheck().run(input: GradientCheck.random([4, 2, 3, 3], seed: 9), parameters: se.namedParameters.map { ($0.name, $0.parameter) },
                            forward: { se.forward($0) }, backward: { se.backward($0) })
    }

    func testResidualBlocks() {
        for (cin, cout, stride) in [(2, 3, 2), (3, 3, 1)] {
            var rng = RandomGenerator(seed: 10)
            let block = ResidualBlock(inChannels: cin, outChannels: cout, stride: stride, rng: &rng)
            GradientCheck(h: 3e-3, tolerance: 3e-2).run(input: GradientCheck.random([cin, 3, 4, 4], seed: 12),
                                                        parameters: block.namedParameters.map { ($0.name, $0.parameter) },
                                                        forward: { block.forward($0, training: true) }, backward: { block.backward($0) })
        }
    }

    func testLossGradients() {
        let logits = GradientCheck.random([3, 7], seed: 13)
        let teacher = GradientCheck.random([3, 7], seed: 14)
        let weights: [Float] = [1, 2, 0.5, 1, 1.5, 1, 0.8]
        let targets = [0, 4, 6]
        let cases: [(String, (Tensor) -> LossResult)] = [
            ("ce", { Loss.crossEntropy(logits: $0, targets: targets) }),
            ("weighted ce + smoothing", { Loss.crossEntropy(logits: $0, targets: targets, classWeights: weights, labelSmoothing: 0.1) }),
            ("distillation T=3", { Loss.distillation(studentLogits: $0, teacherLogits: teacher, temperature: 3) }),
        ]
        for (name, f) in cases {
            let g = f(logits).gradient
            for i in 0..<logits.count {
                var p = logits, m = logits
                p.storage[i] += 1e-2; m.storage[i] -= 1e-2
                let numeric = (f(p).value - f(m).value) / 2e-2
                XCTAssertEqual(numeric, g.storage[i], accuracy: 1e-3, "\(name) d/dlogit[\(i)]")
            }
        }
    }
}
