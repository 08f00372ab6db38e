import NeuralNet
import XCTest
import Training

/// mixup and CutMix within a batch: the pixels, the partners, λ and the mixed loss.
final class BatchMixTests: XCTestCase {
    /// A batch of three 1-channel 2×2 images with values worked by hand: image i holds 10·i + pixel index.
    private func batch() -> Tensor {
        Tensor(shape: [3, 1, 2, 2], storage: [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23])
    }

    /// Blending with λ = 0.75: image 0 becomes 0.75·image 0 + 0.25·image 2 (its partner), image 2 the other way
    /// round, and the middle image, its own partner, stays. Pixel 1 of image 0: 0.75·1 + 0.25·21 = 6.
    func testBlend() {
        var x = batch()
        BatchMix(kind: .blend, lambda: 0.75).apply(to: &x)
        XCTAssertEqual(x.storage, [5, 6, 7, 8, 10, 11, 12, 13, 15, 16, 17, 18])
        XCTAssertEqual(BatchMix.partners(count: 3), [2, 1, 0])
        XCTAssertEqual(BatchMix.partners(count: 4), [3, 2, 1, 0])
    }

    /// A box of the right column (x 1, width 1, both rows) takes those pixels from the partner, in every
    /// channel, from the images as they were before mixing.
    func testBox() {
        var x = batch()
        BatchMix(kind: .box(x: 1, y: 0, width: 1, height: 2), lambda: 0.5).apply(to: &x)
        XCTAssertEqual(x.storage, [0, 21, 2, 23, 10, 11, 12, 13, 20, 1, 22, 3])
        var two = Tensor(shape: [2, 2, 1, 2], storage: [1, 2, 3, 4, 5, 6, 7, 8])
        BatchMix(kind: .box(x: 0, y: 0, width: 1, height: 1), lambda: 0.5).apply(to: &two)
        XCTAssertEqual(two.storage, [5, 2, 7, 4, 1, 6, 3, 8])
    }

    /// Drawn CutMix boxes lie inside the image and λ is the fraction of pixels kept; mixup's λ follows
    /// Beta(α, α) (mean ½, variance 1/(4(2α+1)) = 0.1786 for α = 0.2); with both on, about half the batches
    /// use each.
    func testRandomDraws() {
        var g = RandomGenerator(seed: 7)
        var lambdas: [Double] = []
        for _ in 0..<4000 {
            let mix = BatchMix.random(MixingOptions(cutmixAlpha: 1), side: 48, using: &g)!
            guard case let .box(x, y, w, h) = mix.kind else { return XCTFail("not a box") }
            XCTAssertTrue(x >= 0 && y >= 0 && w >= 0 && h >= 0 && x + w <= 48 && y + h <= 48)
            XCTAssertEqual(mix.lambda, 1 - Float(w * h) / 2304, accuracy: 1e-6)
            lambdas.append(Double(BatchMix.random(MixingOptions(mixupAlpha: 0.2), side: 48, using: &g)!.lambda))
        }
        let mean = lambdas.reduce(0, +) / Double(lambdas.count)
        let variance = lambdas.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(lambdas.count)
        XCTAssertEqual(mean, 0.5, accuracy: 0.035)   // 5 standard errors of 4,000 draws
        XCTAssertEqual(variance, 1 / 5.6, accuracy: 0.012)
        var boxes = 0
        for _ in 0..<2000 {
            if case .box = BatchMix.random(MixingOptions(mixupAlpha: 0.2, cutmixAlpha: 1), side: 48, using: &g)!.kind { boxes += 1 }
        }
        XCTAssertEqual(Double(boxes), 1000, accuracy: 120)
        XCTAssertNil(BatchMix.random(.none, side: 48, using: &g))
    }

    /// The mixed loss against PyTorch: `0.3·cross_entropy(l, y) + 0.7·cross_entropy(l, y.flip(0))` with class
    /// weights [1, 2, 0.5, 1, 1, 1.5, 1] and label smoothing 0.1, value and gradient (torch 2, autograd).
    func testCrossEntropyAgainstPyTorch() {
        let logits = Tensor(shape: [4, 7], storage: [0.5, -1.0, 0.25, 2.0, 0.0, -0.5, 1.0,
                                                     1.5, 0.5, -0.25, 0.0, 0.75, -1.0, 0.0,
                                                     -0.5, 0.0, 1.25, -1.5, 0.5, 0.25, 2.5,
                                                     0.0, 2.0, -0.75, 0.5, -0.25, 1.0, -1.0])
        let loss = BatchMix(kind: .blend, lambda: 0.3).crossEntropy(logits: logits, targets: [0, 3, 6, 1],
                                                                    classWeights: [1, 2, 0.5, 1, 1, 1.5, 1],
                                                                    labelSmoothing: 0.1)
        XCTAssertEqual(loss.value, 2.718817949295044, accuracy: 1e-5)
        let expected: [Float] = [-0.0207458, -0.2496568, 0.026695, 0.1589827, 0.0190455, 0.0089989, 0.0566804,
                                 0.0769336, 0.0236391, 0.012437, -0.0390534, 0.0348333, 0.0022639, -0.1110534,
                                 0.0031638, 0.0042125, 0.0332195, -0.1266422, 0.0135094, 0.0084606, 0.0640764,
                                 -0.110989, 0.0183148, 0.0070118, 0.0266025, 0.0110586, 0.0442851, 0.0037162]
        for (a, b) in zip(loss.gradient.storage, expected) { XCTAssertEqual(a, b, accuracy: 2e-6) }
    }
}
