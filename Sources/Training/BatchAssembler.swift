import EmotionModel
import NeuralNet

/// Builds model input batches `[N, channels, side, side]` from cached dataset bytes: augments each image,
/// then applies EmotionModel's `Preprocessing` (bytes → [0, 1] → per-channel mean/std, gray replicated to
/// every channel). The arithmetic is `Preprocessing.write`'s, the scaling through a 256-entry table per
/// channel.
public struct BatchAssembler: Sendable {
    public let dataset: ImageDataset
    public let preprocessing: Preprocessing
    /// `lookup[c][p]`: the input value of byte p in channel c.
    private let lookup: [[Float]]

    /// An assembler for `dataset`, whose side must be the preprocessing's input size.
    public init(dataset: ImageDataset, preprocessing: Preprocessing) {
        precondition(dataset.side == preprocessing.inputSize, "BatchAssembler: dataset side \(dataset.side), model input \(preprocessing.inputSize)")
        self.dataset = dataset
        self.preprocessing = preprocessing
        self.lookup = (0..<preprocessing.inputChannels).map { c in
            let scale = 1 / (255 * preprocessing.std[c]), shift = -preprocessing.mean[c] / preprocessing.std[c]
            return (0..<256).map { Float($0) * scale + shift }
        }
    }

    /// The images at `indices` (each distorted by the matching entry of `augmentations`, when given; one whose
    /// `detectorCrop` is set starts from the dataset's detector crop, which must be attached).
    public func batch(_ indices: ArraySlice<Int>, augmentations: ArraySlice<Augmentation>? = nil) -> Tensor {
        let side = dataset.side, plane = side * side, channels = preprocessing.inputChannels
        var out = Tensor(shape: [indices.count, channels, side, side])
        var scratch = [UInt8](repeating: 0, count: plane)
        let crops = dataset.detectorCrops?.pixels ?? []
        out.withUnsafeMutablePointer { dst in
            dataset.pixels.withUnsafeBufferPointer { registered in
                crops.withUnsafeBufferPointer { detected in
                    for (slot, index) in indices.enumerated() {
                        let augmentation = augmentations.map { $0[$0.startIndex + slot] } ?? .identity
                        precondition(!augmentation.detectorCrop || !detected.isEmpty,
                                     "BatchAssembler: a detector crop was asked for, but the dataset has none")
                        let all = augmentation.detectorCrop ? detected : registered
                        let source = UnsafeBufferPointer(rebasing: all[(index * plane)..<((index + 1) * plane)])
                        let base = dst + slot * channels * plane
                        func write(_ pixels: UnsafeBufferPointer<UInt8>) {
                            for c in 0..<channels {
                                let table = lookup[c], plane0 = base + c * plane
                                for i in 0..<plane { plane0[i] = table[Int(pixels[i])] }
                            }
                        }
                        let distortion = augmentation.distortion
                        if distortion == .identity {
                            write(source)
                        } else {
                            scratch.withUnsafeMutableBufferPointer { buffer in
                                distortion.apply(source, side: side, to: buffer)
                                write(UnsafeBufferPointer(buffer))
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
