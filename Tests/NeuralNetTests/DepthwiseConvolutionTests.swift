import XCTest
@testable import NeuralNet

/// `DepthwiseConv2d` against values worked out by hand.
final class DepthwiseConvolutionTests: XCTestCase {
    /// Two channels of a 3×3 image, 3×3 filters, stride 1, one pixel of zero padding all round.
    func testStrideOneSymmetricPaddingByHand() throws {
        let conv = DepthwiseConv2d(channels: 2, kernelSize: 3, padBefore: 1, padAfter: 1)
        // Channel 0: all-ones filter (sums of the 3×3 neighbourhood); channel 1: picks the right neighbour × 2.
        try conv.load(stateDict: [
            "weight": Tensor(shape: [2, 1, 3, 3], storage: [1, 1, 1, 1, 1, 1, 1, 1, 1,
                                                            0, 0, 0, 0, 0, 2, 0, 0, 0]),
            "bias": Tensor(shape: [2], storage: [0.5, -1]),
        ])
        let x = Tensor(shape: [2, 1, 3, 3], storage: [1, 2, 3, 4, 5, 6, 7, 8, 9,
                                                      1, 2, 3, 4, 5, 6, 7, 8, 9])
        let y = conv.forward(x)
        XCTAssertEqual(y.shape, [2, 1, 3, 3])
        // Channel 0, e.g. the corner (0,0): 1+2+4+5 = 12, +0.5; the centre: 45 + 0.5.
        XCTAssertEqual(Array(y.storage[0..<9]), [12.5, 21.5, 16.5, 27.5, 45.5, 33.5, 24.5, 39.5, 28.5])
        // Channel 1: 2 × right neighbour (0 past the edge) − 1.
        XCTAssertEqual(Array(y.storage[9..<18]), [3, 5, -1, 9, 11, -1, 15, 17, -1])
    }

    /// Stride 2 with TensorFlow Lite's SAME padding on an even size: nothing before, one row/column after.
    func testStrideTwoAsymmetricPaddingByHand() throws {
        let conv = DepthwiseConv2d(channels: 1, kernelSize: 3, stride: 2, padBefore: 0, padAfter: 1, bias: false)
        try conv.load(stateDict: ["weight": Tensor(shape: [1, 1, 3, 3], storage: [1, 1, 1, 1, 1, 1, 1, 1, 1])])
        let x = Tensor(shape: [1, 1, 4, 4], storage: (1...16).map(Float.init))
        let y = conv.forward(x)
        XCTAssertEqual(y.shape, [1, 1, 2, 2])
        // Windows: rows 0–2 × cols 0–2 = 1+2+3+5+6+7+9+10+11 = 54; rows 0–2 × cols 2–3 (col 4 is padding)
        // = 3+4+7+8+11+12 = 45; rows 2–3 × cols 0–2 = 9+10+11+13+14+15 = 72; rows 2–3 × cols 2–3 = 11+12+15+16 = 54.
        XCTAssertEqual(y.storage, [54, 45, 72, 54])
        XCTAssertEqual(conv.outputSize(64, 64).0, 32)
    }

    /// Batches are independent planes: image 1 of a batch gives what it gives alone.
    func testBatchImagesAreIndependent() throws {
        let conv = DepthwiseConv2d(channels: 1, kernelSize: 3, padBefore: 1, padAfter: 1)
        try conv.load(stateDict: ["weight": Tensor(shape: [1, 1, 3, 3], storage: [0, 1, 0, 1, -4, 1, 0, 1, 0]),
                                  "bias": Tensor(shape: [1], storage: [0.25])])
        let a = (0..<9).map { Float($0 * $0) }, b = (0..<9).map { Float(9 - $0) }
        let both = conv.forward(Tensor(shape: [1, 2, 3, 3], storage: a + b))
        let alone = conv.forward(Tensor(shape: [1, 1, 3, 3], storage: b))
        XCTAssertEqual(Array(both.storage[9..<18]), alone.storage)
        // Centre of b (value 5): 8 + 6 + 4 + 2 − 4·5 + 0.25.
        XCTAssertEqual(alone.storage[4], 0.25)
    }
    /// Random inputs against a bounds-checked loop adding the taps in the order the layer documents (bias, then
    /// ky, then kx; an outside tap adds 0 · tap): equal bit for bit, strides 1 and 2, rows with and without a tail.
    func testRandomInputsMatchTheDirectLoopBitForBit() throws {
        var rng = RandomGenerator(seed: 5)
        for (stride, before, after, h, w) in [(1, 1, 1, 16, 16), (1, 1, 1, 7, 13), (2, 0, 1, 16, 16), (2, 1, 1, 9, 11), (1, 2, 0, 5, 20)] {
            let channels = 3, n = 2, k = 3
            let conv = DepthwiseConv2d(channels: channels, kernelSize: k, stride: stride, padBefore: before, padAfter: after)
            let weight = uniformTensor([channels, 1, k, k], bound: 1, rng: &rng), bias = uniformTensor([channels], bound: 1, rng: &rng)
            try conv.load(stateDict: ["weight": weight, "bias": bias])
            let x = uniformTensor([channels, n, h, w], bound: 1, rng: &rng)
            let y = conv.forward(x)
            let (oh, ow) = conv.outputSize(h, w)
            var want = [Float](repeating: 0, count: channels * n * oh * ow)
            for c in 0..<channels {
                for b in 0..<n {
                    for oy in 0..<oh {
                        for ox in 0..<ow {
                            var sum = bias.storage[c]
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let iy: Int = oy * stride - before + ky
                                    let ix: Int = ox * stride - before + kx
                                    let inside: Bool = iy >= 0 && iy < h && ix >= 0 && ix < w
                                    let v: Float = inside ? x.storage[((c * n + b) * h + iy) * w + ix] : 0
                                    let tap: Float = weight.storage[(c * k + ky) * k + kx]
                                    sum += v * tap
                                }
                            }
                            want[((c * n + b) * oh + oy) * ow + ox] = sum
                        }
                    }
                }
            }
            XCTAssertEqual(y.storage, want, "stride \(stride), \(h) × \(w)")
        }
    }
}
