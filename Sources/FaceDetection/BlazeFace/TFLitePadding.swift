import NeuralNet

/// TensorFlow Lite's `SAME` padding and the zero padding BlazeFace needs around NeuralNet's symmetric layers.
enum TFLitePadding {
    /// Zero rows/columns before and after one spatial axis for TFLite `SAME` padding: the output is
    /// `ceil(size / stride)` and, when the total is odd, the extra one goes after (bottom/right).
    /// 128 → 64 with a 5×5 stride-2 kernel pads (1, 2); 64 → 32 with 3×3 stride 2 pads (0, 1).
    static func same(size: Int, kernel: Int, stride: Int) -> (before: Int, after: Int) {
        let out = (size + stride - 1) / stride
        let total = max((out - 1) * stride + kernel - size, 0)
        return (total / 2, total - total / 2)
    }

    /// `[C, N, H, W]` with `before` zero rows and columns added above and to the left, `after` below and right.
    static func zeroPadded(_ x: Tensor, before: Int, after: Int) -> Tensor {
        let planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3]
        let ph = h + before + after, pw = w + before + after
        var y = Tensor(shape: [x.shape[0], x.shape[1], ph, pw])
        x.withUnsafePointer { xp in
            y.withUnsafeMutablePointer { yp in
                for plane in 0..<planes {
                    for row in 0..<h {
                        (yp + (plane * ph + row + before) * pw + before).update(from: xp + (plane * h + row) * w, count: w)
                    }
                }
            }
        }
        return y
    }
}
