import EmotionModel
import NeuralNet

/// Teachers that look at every training batch exactly as the student sees it — the same shift, rotation,
/// zoom, erasing and mirroring — so each distillation target belongs to the image it is paired with
/// (`distill --teacher-views augmented`; "consistent" teaching, Beyer et al. 2022). The price is every
/// teacher's forward pass on every batch; `TeacherLogits` is the cached alternative.
public struct LiveTeachers {
    /// One teacher: its evaluation-mode network (BatchNorm folded) and an assembler with its own normalisation.
    private let members: [(network: InferenceNetwork, assembler: BatchAssembler)]

    /// Teachers reading `dataset` (the student's training images). Each must take the dataset's image side:
    /// the augmentation is drawn in the student's pixels, so a teacher of another input size cannot see the
    /// same view.
    public init(teachers: [LoadedModel], dataset: ImageDataset) throws {
        precondition(!teachers.isEmpty, "at least one teacher")
        try Self.check(teachers, side: dataset.side)
        members = teachers.map { teacher in
            (InferenceNetwork(teacher.network), BatchAssembler(dataset: dataset, preprocessing: teacher.metadata.preprocessing))
        }
    }

    /// Throws unless every teacher takes `side`×`side` images (checked before any data is read).
    public static func check(_ teachers: [LoadedModel], side: Int) throws {
        for teacher in teachers where teacher.metadata.preprocessing.inputSize != side {
            let size = teacher.metadata.preprocessing.inputSize
            throw TrainingError("--teacher-views augmented needs teachers that take the student's \(side)×\(side) "
                                + "images, but a teacher takes \(size)×\(size) (use --teacher-views clean for it)")
        }
    }

    /// The teachers' mean logits `[indices.count, classes]` on the images at `indices`, each distorted by the
    /// matching augmentation and the batch then mixed by `mix` (the ensemble target of
    /// `TeacherLogits.compute(teachers:dataset:)`, per view).
    public func logits(_ indices: ArraySlice<Int>, augmentations: ArraySlice<Augmentation>, mix: BatchMix? = nil) -> Tensor {
        func input(_ assembler: BatchAssembler) -> Tensor {
            var x = assembler.batch(indices, augmentations: augmentations)
            mix?.apply(to: &x)
            return x
        }
        return TeacherLogits.mean(members.map { $0.network.logits(input($0.assembler)) })
    }
}
