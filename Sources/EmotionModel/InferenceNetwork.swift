import Foundation
import NeuralNet

/// A ResEmoteNet compiled for fast evaluation: every BatchNorm folded into its convolution, ReLU and
/// residual additions fused into the convolution output pass, dropout removed, and all activation buffers
/// allocated once per batch size and reused across calls.
///
/// With several threads, a batch of at least `imagesPerLane` images per thread is split into one slice per
/// thread, each run end to end by its own lane (a replica sharing the weights, with its own buffers): no
/// synchronisation between layers and no operand packed twice, which scales better than splitting every
/// product. Smaller batches (one face) split the larger products instead.
///
/// Built from a network's current weights (later training does not affect it). Not thread-safe.
public final class InferenceNetwork {
    /// The smallest slice of a batch worth its own thread.
    public static let imagesPerLane = 8
    public let architecture: ResEmoteNetArchitecture
    private let stem: [FusedConv]
    private let seReduce: FusedLinear, seExpand: FusedLinear
    private let blocks: [(conv1: FusedConv, conv2: FusedConv, shortcut: FusedConv?)]
    private let head: [FusedLinear]
    private var buffers: [UnsafeMutablePointer<Float>] = []
    private var bufferBatch = 0
    /// Replicas for the second and later batch slices (created on first use).
    private var lanes: [InferenceNetwork] = []

    public init(_ net: ResEmoteNet) {
        architecture = net.architecture
        stem = [FusedConv(conv: net.conv1, batchNorm: net.bn1), FusedConv(conv: net.conv2, batchNorm: net.bn2),
                FusedConv(conv: net.conv3, batchNorm: net.bn3)]
        seReduce = FusedLinear(net.se.fc0)
        seExpand = FusedLinear(net.se.fc2)
        blocks = [net.resBlock1, net.resBlock2, net.resBlock3].map { b in
            (FusedConv(conv: b.conv1, batchNorm: b.bn1), FusedConv(conv: b.conv2, batchNorm: b.bn2),
             b.shortcutConv.map { FusedConv(conv: $0, batchNorm: b.shortcutBN) })
        }
        head = [net.fc1, net.fc2, net.fc3, net.fc4].map(FusedLinear.init)
    }

    /// A replica sharing `other`'s weights, with its own buffers and scratch.
    private init(sharingWeightsOf other: InferenceNetwork) {
        architecture = other.architecture
        stem = other.stem.map(FusedConv.init(sharingWeightsOf:))
        seReduce = other.seReduce
        seExpand = other.seExpand
        blocks = other.blocks.map { b in
            (FusedConv(sharingWeightsOf: b.conv1), FusedConv(sharingWeightsOf: b.conv2),
             b.shortcut.map(FusedConv.init(sharingWeightsOf:)))
        }
        head = other.head
    }

    deinit { for b in buffers { b.deallocate() } }

    /// A replica sharing these weights (no copy) with its own buffers, for another thread.
    public func replica() -> InferenceNetwork { InferenceNetwork(sharingWeightsOf: self) }

    /// Allocates (once per larger batch) the five work buffers: two ping-pong activation buffers, two for
    /// the residual branches and one pair of head vectors.
    private func workBuffers(batch n: Int) -> [UnsafeMutablePointer<Float>] {
        if n <= bufferBatch { return buffers }
        for b in buffers { b.deallocate() }
        let a = architecture, s = a.inputSize
        let stemMax = max(a.inputChannels * s * s, a.stemChannels[0] * s * s, a.stemChannels[1] * s * s / 4, a.stemChannels[2] * s * s / 16)
        var side = s / 8, resMax = 0
        for r in a.residualChannels { side = (side + 1) / 2; resMax = max(resMax, r * side * side) }
        let headMax = max(a.residualChannels[2], a.headWidths[0], a.classes)
        let sizes = [max(stemMax, resMax), max(stemMax, resMax), resMax, resMax, 2 * headMax]
        buffers = sizes.map { UnsafeMutablePointer<Float>.allocate(capacity: $0 * n) }
        bufferBatch = n
        return buffers
    }

    /// Logits `[N, classes]` for a batch `[N, inputChannels, inputSize, inputSize]`.
    public func logits(_ images: Tensor) -> Tensor {
        let a = architecture
        precondition(images.shape.count == 4 && images.shape[1] == a.inputChannels && images.shape[2] == a.inputSize
                     && images.shape[3] == a.inputSize, "InferenceNetwork expects [N, \(a.inputChannels), \(a.inputSize), \(a.inputSize)], got \(images.shape)")
        let n = images.shape[0]
        let threads = Compute.threadCount
        let parts = min(threads, n / Self.imagesPerLane)
        if parts >= 2 {
            while lanes.count < parts - 1 { lanes.append(InferenceNetwork(sharingWeightsOf: self)) }
            let imageSize = a.inputChannels * a.inputSize * a.inputSize
            let workers = [self] + lanes
            var slices = [[Float]](repeating: [], count: parts)
            images.storage.withUnsafeBufferPointer { all in
                slices.withUnsafeMutableBufferPointer { out in
                    Compute.parallel(parts) { w in
                        let r = Compute.range(w, of: parts, total: n)
                        let slice = Tensor(shape: [r.count, a.inputChannels, a.inputSize, a.inputSize],
                                           storage: Array(all[(r.lowerBound * imageSize)..<(r.upperBound * imageSize)]))
                        out[w] = workers[w].logits(slice, threads: 1).storage
                    }
                }
            }
            return Tensor(shape: [n, a.classes], storage: slices.flatMap { $0 })
        }
        return logits(images, threads: threads)
    }

    /// The whole batch on this instance, splitting the larger products over `threads`.
    private func logits(_ images: Tensor, threads: Int) -> Tensor {
        let a = architecture
        let n = images.shape[0]
        let input = a.inputChannels == 1 ? images : images.swappingFirstTwoAxes()
        var out = Tensor(shape: [a.classes, n])
        let work = workBuffers(batch: n)
        let (bufA, bufB, bufT, bufS, vec) = (work[0], work[1], work[2], work[3], work[4])
        input.withUnsafePointer { x in
            var side = a.inputSize
            var source = x
            // Stem: conv+BN+ReLU+2×2 max pool, A → B → A.
            for (i, conv) in stem.enumerated() {
                // Alternate A/B so a stage never reads the buffer it writes.
                let target = i % 2 == 0 ? bufA : bufB
                conv.run(source, batch: n, height: side, width: side, into: target, relu: true, pool2x2: true, threads: threads)
                side /= 2
                source = UnsafePointer(target)
            }
            squeezeExcite(bufA, channels: a.stemChannels[2], batch: n, plane: side * side, scratch: vec, threads: threads)
            // Residual blocks alternate between A and B.
            var (current, next) = (bufA, bufB)
            for block in blocks {
                let (oh, ow) = block.conv1.outputSize(height: side, width: side)
                block.conv1.run(current, batch: n, height: side, width: side, into: bufT, relu: true, threads: threads)
                var shortcut = UnsafePointer(current)
                if let sc = block.shortcut {
                    sc.run(current, batch: n, height: side, width: side, into: bufS, relu: false, threads: threads)
                    shortcut = UnsafePointer(bufS)
                }
                block.conv2.run(bufT, batch: n, height: oh, width: ow, into: next, residual: shortcut, relu: true, threads: threads)
                side = oh
                precondition(oh == ow)
                swap(&current, &next)
            }
            // Global average pool → [r3, N], then the FC head.
            let r3 = a.residualChannels[2], plane = side * side
            for i in 0..<(r3 * n) {
                var s: Float = 0
                for j in 0..<plane { s += current[i * plane + j] }
                vec[i] = s / Float(plane)
            }
            var (hIn, hOut) = (vec, vec + r3 * n)
            for (i, layer) in head.enumerated() {
                let target = i == head.count - 1 ? nil : hOut
                if let target {
                    layer.run(hIn, batch: n, into: target, relu: true, threads: threads)
                    swap(&hIn, &hOut)
                } else {
                    out.withUnsafeMutablePointer { layer.run(hIn, batch: n, into: $0, relu: false, threads: threads) }
                }
            }
        }
        return out.swappingFirstTwoAxes()
    }

    /// SE gating in place on `[C, N, plane]`.
    private func squeezeExcite(_ x: UnsafeMutablePointer<Float>, channels: Int, batch n: Int, plane: Int,
                               scratch: UnsafeMutablePointer<Float>, threads: Int) {
        let pooled = scratch, hidden = scratch + channels * n
        for i in 0..<(channels * n) {
            var s: Float = 0
            for j in 0..<plane { s += x[i * plane + j] }
            pooled[i] = s / Float(plane)
        }
        seReduce.run(pooled, batch: n, into: hidden, relu: true, threads: threads)
        seExpand.run(hidden, batch: n, into: pooled, relu: false, threads: threads)
        for i in 0..<(channels * n) {
            let g = 1 / (1 + exp(-pooled[i]))
            let row = x + i * plane
            for j in 0..<plane { row[j] *= g }
        }
    }
}
