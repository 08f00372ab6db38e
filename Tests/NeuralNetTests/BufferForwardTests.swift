import XCTest
@testable import NeuralNet

/// The inference entry points that write into the caller's buffer give what the tensor-returning ones give,
/// bit for bit, on random inputs.
final class BufferForwardTests: XCTestCase {
    private func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return uniformTensor(shape, bound: 1, rng: &rng)
    }

    private func check(_ conv: Conv2d, input shape: [Int], seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        let x = random(shape, seed: seed)
        let want = conv.forward(x, saveForBackward: false)
        var got = [Float](repeating: .nan, count: want.count)
        x.withUnsafePointer { xp in
            got.withUnsafeMutableBufferPointer {
                conv.forward(xp, batch: shape[1], height: shape[2], width: shape[3], into: $0.baseAddress!)
            }
        }
        XCTAssertEqual(got, want.storage, "Conv2d \(conv.inChannels)→\(conv.outChannels) k\(conv.kernelSize)", file: file, line: line)
    }

    func testConvolutionIntoABufferMatchesForward() {
        var rng = RandomGenerator(seed: 7)
        // Pointwise (one product on the input, as BlazeFace's), wide enough to run on two workers.
        check(Conv2d(inChannels: 24, outChannels: 28, kernelSize: 1, rng: &rng), input: [24, 2, 32, 32], seed: 1)
        // Small pointwise (the product with few columns), 3 × 3 padded (im2col), 5 × 5 stride 2 unpadded (blocks).
        check(Conv2d(inChannels: 96, outChannels: 6, kernelSize: 1, rng: &rng), input: [96, 1, 2, 2], seed: 2)
        check(Conv2d(inChannels: 4, outChannels: 8, kernelSize: 3, padding: 1, rng: &rng), input: [4, 3, 9, 7], seed: 3)
        check(Conv2d(inChannels: 3, outChannels: 24, kernelSize: 5, stride: 2, rng: &rng), input: [3, 1, 131, 131], seed: 4)
    }

    func testDepthwiseIntoABufferMatchesForward() throws {
        for (stride, before, after, size) in [(1, 1, 1, 64), (2, 0, 1, 32), (1, 1, 1, 5)] {
            let conv = DepthwiseConv2d(channels: 12, kernelSize: 3, stride: stride, padBefore: before, padAfter: after)
            try conv.load(stateDict: ["weight": random([12, 1, 3, 3], seed: 11), "bias": random([12], seed: 12)])
            let x = random([12, 2, size, size], seed: 13)
            let want = conv.forward(x)
            var got = [Float](repeating: .nan, count: want.count)
            x.withUnsafePointer { xp in
                got.withUnsafeMutableBufferPointer { conv.forward(xp, batch: 2, height: size, width: size, into: $0.baseAddress!) }
            }
            XCTAssertEqual(got, want.storage, "stride \(stride), \(size) × \(size)")
        }
    }
}
