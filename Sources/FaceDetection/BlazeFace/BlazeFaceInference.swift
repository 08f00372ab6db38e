import NeuralNet

/// `BlazeFaceNetwork`'s forward pass over activation buffers kept from call to call.
///
/// The layer-by-layer pass (`BlazeFaceNetwork.layerForward`) allocates every layer's output, and the larger ones
/// (a 64 × 64 × 24 map is 384 kB) come from fresh `mmap`ed pages each time: up to a millisecond of page faults a
/// view under analyze's 128 kB `M_MMAP_THRESHOLD`. Here three activation buffers take turns (block input,
/// depthwise output, block output), the stem's im2col columns and the heads' outputs have buffers of their own,
/// and all grow only when a larger batch comes. Every layer runs the same NeuralNet kernel on the same values
/// as the layer-by-layer pass (`Conv2d`/`DepthwiseConv2d` into the caller's buffer), so the outputs are the same
/// bit for bit; the stem is the one 1 × 1 product `W[24, 75] × columns[75, N·64·64]` on columns built here.
///
/// Gray input (`channels` 1, R = G = B as `BlazeFaceDetector` makes it) skips two thirds of the stem: its three
/// input channels see the same plane, so the weights are summed over them once and the columns have 25 rows
/// instead of 75 (the same function, rounded differently: within 1e-5 of the RGB pass's outputs).
/// Not thread-safe: one per network, and a network is used by one thread at a time.
final class BlazeFaceInference {
    private static let side = BlazeFaceNetwork.inputSize, half = side / 2, taps = 25

    /// The stem as 1 × 1 products over its im2col columns: RGB (75 rows) and gray (25 rows, summed weights).
    private let rgbStem = BlazeFaceInference.columnConvolution(rows: 3 * taps)
    private let grayStem = BlazeFaceInference.columnConvolution(rows: taps)
    /// The stem weights `grayStem` was summed from (a shared array buffer: comparing is O(1) while unchanged).
    private var summedFrom: [Float] = []

    private var input = Workspace(), columns = Workspace()
    private var buffers = [Workspace(), Workspace(), Workspace()]
    private var heads = Workspace()

    deinit {
        input.release(); columns.release(); heads.release()
        for i in buffers.indices { buffers[i].release() }
    }

    private static func columnConvolution(rows: Int) -> Conv2d {
        var rng = RandomGenerator(seed: 0)  // replaced by the stem's weights before each use
        return Conv2d(inChannels: rows, outChannels: 24, kernelSize: 1, rng: &rng)
    }

    /// The input buffer `[channels, batch, 128, 128]` for the next `run`, to be filled by the caller.
    func inputBuffer(channels: Int, batch: Int) -> UnsafeMutablePointer<Float> {
        input.pointer(count: channels * batch * Self.side * Self.side)
    }

    /// The network's outputs (as `BlazeFaceNetwork.forward`) for what the caller wrote into `inputBuffer`.
    func run(_ network: BlazeFaceNetwork, channels: Int, batch n: Int) -> (regressors: Tensor, classificators: Tensor) {
        precondition(channels == 1 || channels == 3, "BlazeFace input has 1 (gray) or 3 channels, not \(channels)")
        let half = Self.half, area = half * half
        // The largest activation of one image (block 1's output: 28 channels at 64 × 64).
        var perImage = 24 * area, side = half
        for block in network.blocks {
            side /= block.stride
            perImage = max(perImage, block.outChannels * side * side)
        }
        let a = buffers[0].pointer(count: perImage * n), b = buffers[1].pointer(count: perImage * n)
        let c = buffers[2].pointer(count: perImage * n)
        let stem = stemConvolution(network, channels: channels)
        let rows = channels * Self.taps
        let col = columns.pointer(count: rows * n * area)
        Self.stemColumns(input.pointer(count: channels * n * Self.side * Self.side), channels: channels, batch: n, into: col)
        stem.forward(col, batch: n, height: half, width: half, into: a)
        let stemCount = 24 * n * area
        for i in 0..<stemCount { a[i] = max(a[i], 0) }

        // Heads: 2 + 32 channels on the 16 × 16 map, 6 + 96 on the 8 × 8 map.
        let head = heads.pointer(count: (2 + 32) * n * 256 + (6 + 96) * n * 64)
        let scores8 = head, boxes8 = scores8 + 2 * n * 256, scores16 = boxes8 + 32 * n * 256, boxes16 = scores16 + 6 * n * 64
        var x = a, d = b, y = c, size = half
        for (i, block) in network.blocks.enumerated() {
            let out = size / block.stride
            block.depthwise.forward(x, batch: n, height: size, width: size, into: d)
            block.pointwise.forward(d, batch: n, height: out, width: out, into: y)
            Self.addShortcutReLU(x, inChannels: block.inChannels, size: size, stride: block.stride,
                                 onto: y, outChannels: block.outChannels, batch: n)
            swap(&x, &y)
            size = out
            if i == BlazeFaceNetwork.stride8Block {
                network.classifier8.forward(x, batch: n, height: size, width: size, into: scores8)
                network.regressor8.forward(x, batch: n, height: size, width: size, into: boxes8)
            }
        }
        network.classifier16.forward(x, batch: n, height: size, width: size, into: scores16)
        network.regressor16.forward(x, batch: n, height: size, width: size, into: boxes16)

        var scores = Tensor(shape: [n, BlazeFaceNetwork.anchorCount, 1])
        var boxes = Tensor(shape: [n, BlazeFaceNetwork.anchorCount, BlazeFaceNetwork.regressorWidth])
        scores.withUnsafeMutablePointer { sp in
            boxes.withUnsafeMutablePointer { bp in
                BlazeFaceNetwork.scatterAnchors(scores8, batch: n, cells: 256, width: 1, anchorsPerCell: 2, firstAnchor: 0, into: sp)
                BlazeFaceNetwork.scatterAnchors(boxes8, batch: n, cells: 256, width: 16, anchorsPerCell: 2, firstAnchor: 0, into: bp)
                BlazeFaceNetwork.scatterAnchors(scores16, batch: n, cells: 64, width: 1, anchorsPerCell: 6, firstAnchor: 512, into: sp)
                BlazeFaceNetwork.scatterAnchors(boxes16, batch: n, cells: 64, width: 16, anchorsPerCell: 6, firstAnchor: 512, into: bp)
            }
        }
        return (boxes, scores)
    }

    /// The stem's weights as a 1 × 1 convolution over the columns: `[24, 75]` as loaded, or summed over the three
    /// input channels for gray input (`[24, 25]`, channel 0 + 1 + 2 in that order), redone when the weights change.
    private func stemConvolution(_ network: BlazeFaceNetwork, channels: Int) -> Conv2d {
        let weights = network.stem.weight.value.storage
        if channels == 3 {
            rgbStem.weight.value = Tensor(shape: [24, 3 * Self.taps, 1, 1], storage: weights)
            rgbStem.bias!.value = network.stem.bias!.value
            return rgbStem
        }
        if summedFrom != weights {
            var summed = [Float](repeating: 0, count: 24 * Self.taps)
            for o in 0..<24 {
                for t in 0..<Self.taps {
                    let w = (o * 3) * Self.taps + t
                    summed[o * Self.taps + t] = weights[w] + weights[w + Self.taps] + weights[w + 2 * Self.taps]
                }
            }
            grayStem.weight.value = Tensor(shape: [24, Self.taps, 1, 1], storage: summed)
            summedFrom = weights
        }
        grayStem.bias!.value = network.stem.bias!.value
        return grayStem
    }

    /// im2col for the stem (5 × 5, stride 2, TFLite `SAME` padding: one zero row/column before, two after):
    /// `col[(c·5 + ky)·5 + kx][(b·64 + oy)·64 + ox] = x[c][b][2·oy − 1 + ky][2·ox − 1 + kx]`, zero outside the image.
    static func stemColumns(_ x: UnsafePointer<Float>, channels: Int, batch n: Int, into col: UnsafeMutablePointer<Float>) {
        let side = Self.side, half = Self.half, count = n * half * half
        for c in 0..<channels {
            for ky in 0..<5 {
                for kx in 0..<5 {
                    var dst = col + ((c * 5 + ky) * 5 + kx) * count
                    // Output columns whose input column 2·ox − 1 + kx lies in 0..<128.
                    let lo = kx == 0 ? 1 : 0, hi = min(half, (side - kx) / 2 + 1)
                    for b in 0..<n {
                        let plane = x + (c * n + b) * side * side
                        for oy in 0..<half {
                            let iy = 2 * oy - 1 + ky
                            if iy < 0 || iy >= side {
                                dst.update(repeating: 0, count: half)
                            } else {
                                let src = plane + iy * side - 1 + kx
                                for ox in 0..<lo { dst[ox] = 0 }
                                for ox in lo..<hi { dst[ox] = src[2 * ox] }
                                for ox in hi..<half { dst[ox] = 0 }
                            }
                            dst += half
                        }
                    }
                }
            }
        }
    }

    /// A block's end: `y = max(y + shortcut, 0)` where the shortcut is the block input `x` (2 × 2 max-pooled when
    /// the block strides) followed by zero channels up to `outChannels`, as `BlazeFaceBlock.forward` computes it.
    static func addShortcutReLU(_ x: UnsafePointer<Float>, inChannels: Int, size: Int, stride: Int,
                                onto y: UnsafeMutablePointer<Float>, outChannels: Int, batch n: Int) {
        let out = size / stride, plane = out * out
        if stride == 1 {
            let count = inChannels * n * plane
            for i in 0..<count { y[i] = max(y[i] + x[i], 0) }
        } else {
            for p in 0..<(inChannels * n) {
                let src = x + p * size * size, dst = y + p * plane
                for oy in 0..<out {
                    let r0 = src + 2 * oy * size, r1 = r0 + size, row = dst + oy * out
                    for ox in 0..<out {
                        let pooled = max(max(r0[2 * ox], r0[2 * ox + 1]), max(r1[2 * ox], r1[2 * ox + 1]))
                        row[ox] = max(row[ox] + pooled, 0)
                    }
                }
            }
        }
        // The appended zero channels: max(y + 0, 0) is max(y, 0), bit for bit.
        for i in (inChannels * n * plane)..<(outChannels * n * plane) { y[i] = max(y[i], 0) }
    }
}

/// A float buffer that keeps its memory between uses and grows when asked for more.
private struct Workspace {
    private var storage: UnsafeMutablePointer<Float>?
    private var capacity = 0

    /// At least `count` floats (contents unspecified).
    mutating func pointer(count: Int) -> UnsafeMutablePointer<Float> {
        if let storage, capacity >= count { return storage }
        storage?.deallocate()
        let made = UnsafeMutablePointer<Float>.allocate(capacity: count)
        storage = made
        capacity = count
        return made
    }

    /// Frees the memory (the owner's deinit).
    mutating func release() {
        storage?.deallocate()
        storage = nil
        capacity = 0
    }
}
