import EmotionModel
import NeuralNet

/// The teacher's logits for every training image, as is and mirrored, computed once before distillation
/// so each epoch costs only the student's compute.
///
/// With shift or rotation augmentation the student sees distortions the cache does not hold; the logits of
/// the un-shifted, un-rotated image with the same mirroring stand in for them (small distortions barely
/// move a teacher's prediction, and recomputing them every epoch would cost the teacher's full compute).
public enum TeacherLogits {
    /// An ensemble's logits: the mean of each teacher's (`compute(teacher:dataset:)`), so the softened targets
    /// are the normalised geometric mean of the teachers' softened predictions. One teacher: its own logits.
    public static func compute(teachers: [LoadedModel], dataset: ImageDataset, batchSize: Int = 64) -> Tensor {
        precondition(!teachers.isEmpty, "at least one teacher")
        return mean(teachers.map { compute(teacher: $0, dataset: dataset, batchSize: batchSize) })
    }

    /// The element-wise mean of same-shaped logits (one tensor: itself), summed in order then divided.
    static func mean(_ logits: [Tensor]) -> Tensor {
        var sum = logits[0]
        guard logits.count > 1 else { return sum }
        for other in logits.dropFirst() {
            for i in sum.storage.indices { sum.storage[i] += other.storage[i] }
        }
        let k = Float(logits.count)
        for i in sum.storage.indices { sum.storage[i] /= k }
        return sum
    }

    /// `[images, 2, classes]`: index 0 as is, 1 mirrored. `dataset` is resized to the teacher's input size
    /// with EmotionModel's `Preprocessing.resize` when it differs.
    public static func compute(teacher: LoadedModel, dataset: ImageDataset, batchSize: Int = 64,
                               progress: ((Int) -> Void)? = nil) -> Tensor {
        let pre = teacher.metadata.preprocessing
        let images = dataset.resized(to: pre.inputSize) { Preprocessing.resize($0, width: $1, height: $2, to: $3) }
        let network = InferenceNetwork(teacher.network)
        let assembler = BatchAssembler(dataset: images, preprocessing: pre)
        let plain = Evaluator.logits(network, assembler, batchSize: batchSize) { progress?($0) }
        let mirrored = Evaluator.logits(network, assembler, augmentation: Augmentation(flip: true, dx: 0, dy: 0, rotation: 0),
                                        batchSize: batchSize) { progress?(dataset.count + $0) }
        let n = dataset.count, c = plain.shape[1]
        var out = Tensor(shape: [n, 2, c])
        for i in 0..<n {
            for j in 0..<c {
                out.storage[(i * 2) * c + j] = plain.storage[i * c + j]
                out.storage[(i * 2 + 1) * c + j] = mirrored.storage[i * c + j]
            }
        }
        return out
    }
}
