import FaceDetection
import NeuralNet

/// The one preprocessing contract from a gray face crop to network input, shared by analysis and training:
///
/// 1. gray crop (any size) → `inputSize × inputSize` bytes with `resize` (bilinear, pixel centres aligned,
///    rounded to bytes: training caches these bytes);
/// 2. bytes → [0, 1] (`/ 255`);
/// 3. normalise per channel: `(v − mean[c]) / std[c]`, the gray value replicated to every input channel;
/// 4. with `testTimeAugmentation` = mirror, the crop and its mirror image both go through the network and
///    their class probabilities are averaged.
///
/// `mean`, `std` and `testTimeAugmentation` come from the model file's metadata.
public struct Preprocessing: Equatable, Sendable {
    public var inputSize: Int
    public var inputChannels: Int
    /// One value per input channel.
    public var mean: [Float]
    /// One value per input channel (all positive).
    public var std: [Float]
    /// What each face's scores are averaged over (step 4).
    public var testTimeAugmentation: TestTimeAugmentation

    public init(inputSize: Int, inputChannels: Int, mean: [Float], std: [Float],
                testTimeAugmentation: TestTimeAugmentation = .none) {
        precondition(mean.count == inputChannels && std.count == inputChannels && std.allSatisfy { $0 > 0 })
        self.inputSize = inputSize; self.inputChannels = inputChannels; self.mean = mean; self.std = std
        self.testTimeAugmentation = testTimeAugmentation
    }

    /// Bytes per model-size crop.
    public var pixelsPerFace: Int { inputSize * inputSize }

    /// Resizes a row-major gray image to `size × size` bytes: the whole image cut with `FaceCrop.extract`, the
    /// one crop geometry that analysis uses on detected faces (bilinear with half-pixel centres, like OpenCV's
    /// `INTER_LINEAR`, edge pixels repeated), so training, evaluation and analysis resample faces alike. An
    /// image already at that size is returned unchanged.
    public static func resize(_ pixels: [UInt8], width: Int, height: Int, to size: Int) -> [UInt8] {
        precondition(width > 0 && height > 0 && pixels.count == width * height, "resize: \(pixels.count) bytes for \(width)×\(height)")
        if width == size && height == size { return pixels }
        return FaceCrop.extract(pixels: pixels, width: width, height: height,
                                box: FaceBox(x: 0, y: 0, width: width, height: height), outputSize: size)
    }

    /// Writes one model-size crop (`pixelsPerFace` bytes) as image `index` of a batch-first
    /// `[N, inputChannels, inputSize, inputSize]` buffer (steps 2–3).
    public func write(_ face: [UInt8], into batch: UnsafeMutablePointer<Float>, index: Int) {
        precondition(face.count == pixelsPerFace, "preprocessing: \(face.count) bytes, expected \(pixelsPerFace)")
        let plane = pixelsPerFace
        for c in 0..<inputChannels {
            let dst = batch + (index * inputChannels + c) * plane
            let scale = 1 / (255 * std[c]), shift = -mean[c] / std[c]
            for i in 0..<plane { dst[i] = Float(face[i]) * scale + shift }
        }
    }

    /// A batch tensor `[N, inputChannels, inputSize, inputSize]` from model-size crops.
    public func batch(_ faces: [[UInt8]]) throws -> Tensor {
        for (i, face) in faces.enumerated() where face.count != pixelsPerFace {
            throw EmotionModelError("face \(i) has \(face.count) bytes; the model needs \(inputSize)×\(inputSize) = \(pixelsPerFace) gray pixels")
        }
        var t = Tensor(shape: [faces.count, inputChannels, inputSize, inputSize])
        // Faces are independent: spread them over the engine's threads.
        let parts = max(1, min(Compute.threadCount, faces.count / 4))
        t.withUnsafeMutablePointer { p in
            Compute.parallel(parts) { w in
                for i in Compute.range(w, of: parts, total: faces.count) { write(faces[i], into: p, index: i) }
            }
        }
        return t
    }
}
